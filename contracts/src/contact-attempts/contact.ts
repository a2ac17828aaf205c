import { z } from 'zod';
import { EncryptedSchema } from '../personal-data';

export const CHANNELS = ['call', 'sms', 'email', 'letter', 'visit'] as const;
export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;

export const OUTCOMES = ['no-answer', 'busy', 'voicemail', 'wrong-number', 'right-party-contact', 'third-party', 'refused', 'dispute-raised', 'promise-offered'] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

/** Outcomes in which the collector spoke with someone about the debt: what Regulation F calls a telephone conversation. */
export const CONVERSATION_OUTCOMES: readonly Outcome[] = ['right-party-contact', 'refused', 'dispute-raised', 'promise-offered'];

export const TARGET_KINDS = ['phone', 'email', 'address', 'attorney'] as const;
export const TargetKindSchema = z.enum(TARGET_KINDS);

export const PURPOSES = ['collection', 'final-notice', 'validation-notice'] as const;
export const PurposeSchema = z.enum(PURPOSES);

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM');
export const TimeRangeSchema = z
  .object({ days: z.array(z.enum(WEEKDAYS)).min(1).optional(), from: LocalTimeSchema, to: LocalTimeSchema })
  .strict();
export type TimeRange = z.infer<typeof TimeRangeSchema>;

/** Where a contact goes, as a command names it: in plaintext (the dialer and the mailer need it). */
export const PlainTargetSchema = z.object({ kind: TargetKindSchema, value: z.string().trim().min(3).max(500) }).strict();

/**
 * Where a contact goes, named by its place on the debtor's file instead of its value — for a caller who sees only
 * masked details: the n-th phone or email as the account lists them (0, the first, is the one the case shows
 * masked), the postal address (0), the attorney (0) when the debtor is represented.
 */
export const OnFileTargetSchema = z.object({ kind: TargetKindSchema, onFile: z.number().int().min(0).max(49) }).strict();

/** What RequestContact takes: the target in plaintext, or its place on file. */
export const RequestedTargetSchema = z.union([PlainTargetSchema, OnFileTargetSchema], {
  error: "must be { kind, value } (the number or address itself) or { kind, onFile } (its place on the debtor's file, 0 the first)",
});
export type RequestedTarget = z.infer<typeof RequestedTargetSchema>;

/**
 * Where a contact goes, as events keep it: the value encrypted under the debtor's key, and a keyed hash of its
 * normalised form, so attempts to one number can be counted without the number.
 */
export const SealedTargetSchema = z
  .object({ kind: TargetKindSchema, value: EncryptedSchema, key: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256 HMAC') })
  .strict();
export type SealedTarget = z.infer<typeof SealedTargetSchema>;

/** One rule's say in a decision: which rule, why, what it counted against what limit, and when it would allow. */
export const ComplianceReasonSchema = z
  .object({
    ruleId: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'must be a rule id such as reg-f.call-frequency'),
    message: z.string().min(1).max(1_000),
    counted: z.number().int().min(0).optional(),
    limit: z.number().int().min(0).optional(),
    nextAllowedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type ComplianceReason = z.infer<typeof ComplianceReasonSchema>;

export const LANGUAGE_CATEGORIES = ['threat-violence', 'threat-arrest', 'threat-lawsuit-without-basis', 'threat-home-visit', 'abuse', 'third-party-disclosure'] as const;
export const LanguageHitSchema = z.object({ ruleId: z.string().min(1), category: z.enum(LANGUAGE_CATEGORIES), term: z.string().min(1).max(200) }).strict();
