import { z } from 'zod';
import { defineCommand, type CommandOf } from '../catalog';
import { InstantSchema } from '../envelope';
import { ChannelSchema, OutcomeSchema, PurposeSchema, RequestedTargetSchema, TimeRangeSchema } from './contact';

const service = 'contact-attempts' as const;
const accountId = z.uuid();

export const RequestContact = defineCommand({
  service,
  type: 'RequestContact',
  description:
    'Ask to contact the debtor of an account (the case) before doing it: the compliance engine decides, and the decision — allowed, or blocked ' +
    'with every reason and when it would next be allowed — is recorded. The operator is the command\'s actor.',
  schema: z
    .object({
      contactId: z.uuid(),
      accountId,
      channel: ChannelSchema,
      /** The number or address in plaintext (`value`), or its place on the debtor's file (`onFile`: 0 is the first listed). */
      target: RequestedTargetSchema,
      purpose: PurposeSchema.default('collection'),
      intendedAt: InstantSchema,
      /** SMS and email: the text to be sent, checked for an opt-out and for prohibited language. */
      messageText: z.string().min(1).max(5_000).optional(),
      /** Calls: whether the call will be recorded (required by some jurisdictions). */
      recordingPlanned: z.boolean().optional(),
    })
    .strict()
    .refine((data) => (data.channel === 'sms' || data.channel === 'email') === (data.messageText !== undefined), {
      message: 'an SMS or email needs its messageText; other channels take none',
      path: ['messageText'],
    }),
});

export const RecordAttemptOutcome = defineCommand({
  service,
  type: 'RecordAttemptOutcome',
  description: 'Record what came of an allowed contact. Notes and transcripts are checked for prohibited language.',
  schema: z
    .object({
      contactId: z.uuid(),
      accountId,
      outcome: OutcomeSchema,
      durationSeconds: z.number().int().min(0).max(86_400).optional(),
      recordingReference: z.string().trim().min(1).max(300).optional(),
      notes: z.string().max(20_000).optional(),
      transcript: z.string().max(200_000).optional(),
    })
    .strict(),
});

export const SetContactPreference = defineCommand({
  service,
  type: 'SetContactPreference',
  description: "Replace the debtor's contact preferences: channels opted out of, inconvenient times and places, preferred times.",
  schema: z
    .object({
      accountId,
      optedOutChannels: z.array(ChannelSchema).max(5),
      inconvenientTimes: z.array(TimeRangeSchema).max(20),
      inconvenientPlaces: z.array(z.enum(['work', 'home', 'school', 'hospital', 'other'])).max(5),
      preferredTimes: z.array(TimeRangeSchema).max(20),
    })
    .strict(),
});

export const RecordComplaint = defineCommand({
  service,
  type: 'RecordComplaint',
  description: 'Record a complaint about how the debtor was contacted.',
  schema: z
    .object({
      complaintId: z.uuid(),
      accountId,
      category: z.enum(['harassment', 'frequency', 'time-of-day', 'third-party-disclosure', 'wrong-debtor', 'language', 'other']),
      channel: ChannelSchema.optional(),
      description: z.string().trim().min(1).max(10_000),
      receivedAt: InstantSchema,
    })
    .strict(),
});

export const ResolveComplaint = defineCommand({
  service,
  type: 'ResolveComplaint',
  description: 'Resolve a complaint: upheld or not, and what was done.',
  schema: z.object({ complaintId: z.uuid(), accountId, upheld: z.boolean(), resolution: z.string().trim().min(1).max(1_000) }).strict(),
});

export const ReleaseDialTarget = defineCommand({
  service,
  type: 'ReleaseDialTarget',
  description:
    'The dialer asks for the full number of an allowed contact that has not happened yet; the reply carries it, the release is recorded. ' +
    'Only the dialer role may; everyone else sees targets masked.',
  schema: z.object({ contactId: z.uuid(), accountId }).strict(),
});

export const SaveScript = defineCommand({
  service,
  type: 'SaveScript',
  description:
    'Save a collection script (supervisors and admins). It is checked against the prohibited-language lists first: a script with a hit is ' +
    'refused and the refusal recorded (ScriptRejected) for review.',
  schema: z
    .object({
      scriptId: z.uuid(),
      title: z.string().trim().min(1).max(200),
      language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or zh-CN'),
      channel: ChannelSchema.optional(),
      text: z.string().trim().min(1).max(20_000),
    })
    .strict(),
});

export const CONTACT_COMMANDS = [ReleaseDialTarget, RequestContact, RecordAttemptOutcome, SetContactPreference, RecordComplaint, ResolveComplaint] as const;
export type ContactCommand = CommandOf<(typeof CONTACT_COMMANDS)[number]>;

export const SCRIPT_COMMANDS = [SaveScript] as const;
export type ScriptCommand = CommandOf<(typeof SCRIPT_COMMANDS)[number]>;
