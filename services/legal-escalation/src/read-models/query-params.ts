import { accounts, InstantSchema } from '@arrears/contracts';
import { PageLimitSchema } from '@arrears/read-models';
import { z } from 'zod';
import { ESCALATION_STATUSES } from './entities';

const OperatorIdSchema = z.string().min(1).max(200);

export const CaseIdSchema = z.uuid();
export const HandoffNumberSchema = z.number().int().min(1);

/** Who asked, and whether the 48 hours passed unacknowledged: the filters every escalation query takes. */
const escalationFilters = {
  /** The case saga (`system:case-workflow`) or the supervisor who requested it. */
  requestedBy: OperatorIdSchema.optional(),
  /** Only those flagged overdue (true), or only those never overdue (false). */
  overdue: z.boolean().optional(),
};

/** `statusCounts(filter)`. */
export const StatusCountFilterSchema = z.object(escalationFilters).strict();
export type StatusCountFilter = z.input<typeof StatusCountFilterSchema>;

/** One handoff of a case, as the keyset of the list. */
export const EscalationKeySchema = z.object({ caseId: CaseIdSchema, handoff: HandoffNumberSchema }).strict();
export type EscalationKey = z.infer<typeof EscalationKeySchema>;

/** `escalations(asOf, options)`: the instant and the options as one. */
export const EscalationListParamsSchema = z
  .object({
    asOf: InstantSchema,
    status: z.enum(ESCALATION_STATUSES).optional(),
    /** Only the handoffs whose 48-hour deadline runs now — requested, evidence-fixed, delivered — (true), or the others (false). */
    inFlight: z.boolean().optional(),
    ...escalationFilters,
    /** The case's creditor (from its AccountPlaced). */
    creditorId: z.string().min(1).max(100).optional(),
    /** The debtor's: a country (`US`, which takes in `US-IL`) or one jurisdiction. */
    jurisdiction: accounts.JurisdictionSchema.optional(),
    limit: PageLimitSchema,
    /** Keyset paging: the last handoff of the previous page (its `nextAfter`). */
    after: EscalationKeySchema.optional(),
  })
  .strict();
export type EscalationListOptions = Omit<z.input<typeof EscalationListParamsSchema>, 'asOf'>;

/** `handoffTimes(params)`. */
export const HandoffTimesParamsSchema = z
  .object({
    /** Handoffs requested from `from` (included) to `to` (excluded). */
    from: InstantSchema,
    to: InstantSchema,
    requestedBy: OperatorIdSchema.optional(),
  })
  .strict()
  .refine((range) => Date.parse(range.from) < Date.parse(range.to), { message: 'must be after from', path: ['to'] });
export type HandoffTimesParams = z.input<typeof HandoffTimesParamsSchema>;
