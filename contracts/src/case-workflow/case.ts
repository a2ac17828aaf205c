import { z } from 'zod';
import { AgingBucketSchema, FlagSchema, ProductSchema, RiskTierSchema } from '../accounts/account';

export const STAGES = ['contact', 'pressure', 'negotiate', 'close'] as const;
export const StageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof StageSchema>;

/** What each stage requires to be done, each by its deadline (docs/case-workflow.md, "Stages"). */
export const CHECKLIST_ITEMS = ['first-attempt', 'right-party-contact', 'legal-consequences-notice', 'commitment'] as const;
export const ChecklistItemSchema = z.enum(CHECKLIST_ITEMS);
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;

/** Why a case is closed. */
export const CLOSE_REASONS = ['paid', 'settled', 'plan-completed', 'handed-to-legal', 'written-off', 'returned', 'sold'] as const;
export const CaseCloseReasonSchema = z.enum(CLOSE_REASONS);

/**
 * What the case saga has learnt from other services' events, each recorded with the event it came from: the saga's
 * stream alone replays the case, and every decision can be traced to what caused it.
 */
export const SIGNALS = [
  'assigned',
  'attempt',
  'right-party-contact',
  'promise-offered',
  'final-notice-sent',
  'promise-recorded',
  'promise-kept',
  'promise-broken',
  'promise-cancelled',
  'plan-proposed',
  'plan-accepted',
  'instalment-missed',
  'plan-defaulted',
  'plan-completed',
  'plan-cancelled',
  'payment',
  'bucket-changed',
  'tier-changed',
  'flagged',
  'flag-cleared',
  'account-closed',
  'wilful-default-flagged',
  'legal-handoff-started',
  'legal-handoff-refused',
  'litigation-status',
] as const;
export const SignalSchema = z.enum(SIGNALS);
export type Signal = z.infer<typeof SignalSchema>;

/** The case's profile as assignment and the stage rules read it. */
export const CaseProfileSchema = z
  .object({
    product: ProductSchema,
    currency: z.string().regex(/^[A-Z]{3}$/),
    /** Whole balance owed, minor units. */
    balance: z.number().int().min(0),
    daysPastDue: z.number().int().min(0),
    bucket: AgingBucketSchema,
    tier: RiskTierSchema,
    brokenPromises: z.number().int().min(0),
  })
  .strict();
export type CaseProfile = z.infer<typeof CaseProfileSchema>;

export { FlagSchema as CaseFlagSchema };

/** One factor of an assignment score: its points and why. */
export const ScoreFactorSchema = z.object({ factor: z.string().min(1).max(50), points: z.number(), detail: z.string().min(1).max(300) }).strict();
export type ScoreFactor = z.infer<typeof ScoreFactorSchema>;

export const ASSIGNMENT_REASONS = ['new-case', 'overload', 'absence', 'stalled', 'supervisor'] as const;
export const AssignmentReasonSchema = z.enum(ASSIGNMENT_REASONS);
export type AssignmentReason = z.infer<typeof AssignmentReasonSchema>;
