import { z } from 'zod';
import { CalendarDateSchema, PositiveMoneySchema } from '../money';

export const FREQUENCIES = ['weekly', 'fortnightly', 'monthly'] as const;
export const FrequencySchema = z.enum(FREQUENCIES);
export type Frequency = z.infer<typeof FrequencySchema>;

/** The most instalments any plan may have, whatever the policy allows. */
export const MAX_INSTALMENTS = 120;

/** The options a plan may carry; each has an approval limit by role (docs/payment-plans.md, "Approvals"). */
export const PLAN_OPTIONS = ['fee-waiver', 'interest-freeze', 'term-extension', 'settlement'] as const;
export const PlanOptionSchema = z.enum(PLAN_OPTIONS);
export type PlanOption = z.infer<typeof PlanOptionSchema>;

/** What completing the plan means for the account: the whole balance paid, or a lesser amount accepted in full settlement. */
export const PLAN_OUTCOMES = ['paid-in-full', 'settled'] as const;
export const PlanOutcomeSchema = z.enum(PLAN_OUTCOMES);
export type PlanOutcome = z.infer<typeof PlanOutcomeSchema>;

export const InstalmentSchema = z
  .object({
    /** 1-based. */
    number: z.number().int().min(1).max(MAX_INSTALMENTS),
    dueDate: CalendarDateSchema,
    amount: PositiveMoneySchema,
  })
  .strict();
export type Instalment = z.infer<typeof InstalmentSchema>;

/** The written commitment the debtor signed: the document's id in the document store and the SHA-256 of its bytes. */
export const CommitmentSchema = z
  .object({
    documentId: z.string().trim().min(1).max(200),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the document as 64 lowercase hex digits'),
  })
  .strict();
export type Commitment = z.infer<typeof CommitmentSchema>;
