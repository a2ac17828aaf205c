import { z } from 'zod';
import { defineEvent, type EventOf } from '../catalog';
import { InstantSchema } from '../envelope';
import { EncryptedSchema } from '../personal-data';
import {
  ChannelSchema,
  ComplianceReasonSchema,
  LanguageHitSchema,
  OutcomeSchema,
  PurposeSchema,
  SealedTargetSchema,
  TimeRangeSchema,
} from './contact';

const service = 'contact-attempts' as const;
const ids = { contactId: z.uuid(), accountId: z.uuid(), debtorId: z.uuid() };
const request = {
  ...ids,
  channel: ChannelSchema,
  target: SealedTargetSchema,
  purpose: PurposeSchema,
  operatorId: z.string().min(1).max(200),
  intendedAt: InstantSchema,
  /** The rule pack the debtor's jurisdiction selected. */
  rulePack: z.string().min(1).max(50),
  jurisdiction: z.string().min(2).max(10),
  /** The debtor's time zones the decision was judged in: one when known, every candidate when not; none when no zone could be known (then it blocked). */
  timeZones: z.array(z.string().min(1)),
};

export const ContactAllowed = defineEvent({
  service,
  type: 'ContactAllowed',
  version: 1,
  description: 'The compliance engine allowed an outbound contact before it happened; the reasons record what it checked.',
  schema: z.object({ ...request, reasons: z.array(ComplianceReasonSchema) }).strict(),
});

export const ContactBlocked = defineEvent({
  service,
  type: 'ContactBlocked',
  version: 1,
  description: 'The compliance engine refused an outbound contact: every rule that blocks it, what it counted, and when it would next be allowed.',
  schema: z.object({ ...request, reasons: z.array(ComplianceReasonSchema).min(1), nextAllowedAt: InstantSchema.optional() }).strict(),
});

export const AttemptOutcomeRecorded = defineEvent({
  service,
  type: 'AttemptOutcomeRecorded',
  version: 1,
  description: 'What came of an allowed contact: the outcome, whether a conversation took place, its length and recording; notes encrypted.',
  schema: z
    .object({
      ...ids,
      outcome: OutcomeSchema,
      /** A conversation about the debt took place (right-party contact, refusal, dispute, promise). */
      conversation: z.boolean(),
      /** The call connected (anyone answered): what the per-day connected-call caps count. */
      connected: z.boolean(),
      durationSeconds: z.number().int().min(0).max(86_400).optional(),
      recordingReference: z.string().min(1).max(300).optional(),
      /** The collector's notes, encrypted under the debtor's key. */
      notes: EncryptedSchema.optional(),
      /** The call's transcript, encrypted under the debtor's key. */
      transcript: EncryptedSchema.optional(),
      endedAt: InstantSchema,
    })
    .strict(),
});

export const ProhibitedLanguageDetected = defineEvent({
  service,
  type: 'ProhibitedLanguageDetected',
  version: 1,
  description: 'A script, message, note or transcript contained prohibited language: for the supervisor to review.',
  schema: z
    .object({
      accountId: z.uuid(),
      debtorId: z.uuid(),
      contactId: z.uuid().optional(),
      source: z.enum(['message', 'notes', 'transcript', 'script']),
      operatorId: z.string().min(1).max(200),
      hits: z.array(LanguageHitSchema).min(1),
    })
    .strict(),
});

export const ContactPreferenceSet = defineEvent({
  service,
  type: 'ContactPreferenceSet',
  version: 1,
  description: "The debtor's contact preferences, replaced as a whole: channel opt-outs, inconvenient times and places, preferred times.",
  schema: z
    .object({
      debtorId: z.uuid(),
      accountId: z.uuid(),
      optedOutChannels: z.array(ChannelSchema),
      inconvenientTimes: z.array(TimeRangeSchema),
      inconvenientPlaces: z.array(z.enum(['work', 'home', 'school', 'hospital', 'other'])),
      preferredTimes: z.array(TimeRangeSchema),
    })
    .strict(),
});

export const ComplaintRecorded = defineEvent({
  service,
  type: 'ComplaintRecorded',
  version: 1,
  description: 'The debtor (or someone for them) complained about how they were contacted; the description is encrypted.',
  schema: z
    .object({
      complaintId: z.uuid(),
      accountId: z.uuid(),
      debtorId: z.uuid(),
      category: z.enum(['harassment', 'frequency', 'time-of-day', 'third-party-disclosure', 'wrong-debtor', 'language', 'other']),
      channel: ChannelSchema.optional(),
      description: EncryptedSchema,
      receivedAt: InstantSchema,
    })
    .strict(),
});

export const ComplaintResolved = defineEvent({
  service,
  type: 'ComplaintResolved',
  version: 1,
  description: 'A complaint was resolved: upheld or not, with what was done.',
  schema: z
    .object({ complaintId: z.uuid(), accountId: z.uuid(), debtorId: z.uuid(), upheld: z.boolean(), resolution: z.string().min(1).max(1_000), resolvedAt: InstantSchema })
    .strict(),
});

export const DialTargetReleased = defineEvent({
  service,
  type: 'DialTargetReleased',
  version: 1,
  description: 'The full number (or address) of an allowed contact was released to the dialer, which is about to use it; who asked is the actor.',
  schema: z.object({ ...ids, channel: ChannelSchema, targetKind: SealedTargetSchema.shape.kind }).strict(),
});

const script = {
  scriptId: z.uuid(),
  title: z.string().min(1).max(200),
  language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or zh-CN'),
  channel: ChannelSchema.optional(),
};

export const ScriptSaved = defineEvent({
  service,
  type: 'ScriptSaved',
  version: 1,
  description: 'A collection script (what collectors say or send) was saved, clean of prohibited language; each save is a new version.',
  schema: z.object({ ...script, version: z.number().int().min(1), text: z.string().min(1).max(20_000) }).strict(),
});

export const ScriptRejected = defineEvent({
  service,
  type: 'ScriptRejected',
  version: 1,
  description: 'A script was refused because it contains prohibited language: for the supervisor to review. The text is not kept.',
  schema: z.object({ ...script, hits: z.array(LanguageHitSchema).min(1) }).strict(),
});

export const CONTACT_EVENTS = [DialTargetReleased, ContactAllowed, ContactBlocked, AttemptOutcomeRecorded, ProhibitedLanguageDetected, ContactPreferenceSet, ComplaintRecorded, ComplaintResolved] as const;
export type ContactEvent = EventOf<(typeof CONTACT_EVENTS)[number]>;

/** The script library's events (stream `script-<scriptId>`), apart from the debtors' contact records. */
export const SCRIPT_EVENTS = [ScriptSaved, ScriptRejected] as const;
export type ScriptEvent = EventOf<(typeof SCRIPT_EVENTS)[number]>;

