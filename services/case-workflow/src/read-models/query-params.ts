import { accounts, caseWorkflow, InstantSchema } from '@arrears/contracts';
import { PageLimitSchema } from '@arrears/read-models';
import { z } from 'zod';

const CollectorIdSchema = z.string().min(1).max(200);
const TeamIdSchema = z.string().min(1).max(50);
/** A half-open period of instants: from `from` (included) to `to` (excluded). */
const period = { from: InstantSchema, to: InstantSchema };
const inOrder = (range: { readonly from: string; readonly to: string }) => Date.parse(range.from) < Date.parse(range.to);
const afterFrom = { message: 'must be after from', path: ['to'] };

export const CaseIdSchema = z.uuid();

/** Who holds the cases, and what they are: the filters every case query takes. */
const caseFilters = {
  /** The collector holding the case now, as the roster says. */
  collectorId: CollectorIdSchema.optional(),
  teamId: TeamIdSchema.optional(),
  bucket: accounts.AgingBucketSchema.optional(),
  tier: accounts.RiskTierSchema.optional(),
  product: accounts.ProductSchema.optional(),
  /** The debtor's: a country (`US`, which takes in `US-IL`) or one jurisdiction. */
  jurisdiction: accounts.JurisdictionSchema.optional(),
};

/** `stageCounts(filter)`. */
export const StageCountFilterSchema = z.object(caseFilters).strict();
export type StageCountFilter = z.input<typeof StageCountFilterSchema>;

/** `casesInStage(stage, options)` and `casesOfCollector(collectorId, options)`: the stage, collector and options as one. */
export const CaseListParamsSchema = z
  .object({
    stage: caseWorkflow.StageSchema.optional(),
    ...caseFilters,
    limit: PageLimitSchema,
    /** Keyset paging: the `caseId` of the last row of the previous page (its `nextAfter`). */
    after: CaseIdSchema.optional(),
  })
  .strict();
export type CaseListOptions = Omit<z.input<typeof CaseListParamsSchema>, 'stage' | 'collectorId'>;
export type CasesInStageOptions = CaseListOptions & { readonly collectorId?: string };
export type CasesOfCollectorOptions = CaseListOptions & { readonly stage?: caseWorkflow.Stage };

/** `collectorWorkload(filter)`. */
export const WorkloadFilterSchema = z.object({ teamId: TeamIdSchema.optional(), collectorId: CollectorIdSchema.optional() }).strict();
export type WorkloadFilter = z.input<typeof WorkloadFilterSchema>;

/** A checklist item, as the keyset of the item lists. */
export const ItemKeySchema = z.object({ caseId: CaseIdSchema, entry: z.number().int().min(1), item: caseWorkflow.ChecklistItemSchema }).strict();
export type ItemKey = z.infer<typeof ItemKeySchema>;

const itemListOptions = {
  stage: caseWorkflow.StageSchema.optional(),
  limit: PageLimitSchema,
  /** Keyset paging: the last item of the previous page (its `nextAfter`). */
  after: ItemKeySchema.optional(),
};

/** `overdueItems(asOf, options)`: the instant and the options as one. */
export const OverdueParamsSchema = z.object({ asOf: InstantSchema, collectorId: CollectorIdSchema.optional(), teamId: TeamIdSchema.optional(), ...itemListOptions }).strict();
export type OverdueOptions = Omit<z.input<typeof OverdueParamsSchema>, 'asOf'>;

/** `missedDeadlines(from, to, options)`. */
export const MissedParamsSchema = z
  .object({
    ...period,
    /** The collector the DeadlineMissed alerted: the one holding the case when the deadline passed. */
    collectorId: CollectorIdSchema.optional(),
    ...itemListOptions,
  })
  .strict()
  .refine(inOrder, afterFrom);
export type MissedOptions = Omit<z.input<typeof MissedParamsSchema>, 'from' | 'to'>;

export const DURATION_GROUPINGS = ['tier', 'bucket'] as const;
export type DurationGrouping = (typeof DURATION_GROUPINGS)[number];

/** `stageDurations(params)`. */
export const StageDurationParamsSchema = z
  .object({
    /** Visits that ended from `from` (included) to `to` (excluded) count as completed. */
    ...period,
    /** The instant the open visits' ages are taken at; default `to`. */
    asOf: InstantSchema.optional(),
    /** Per stage and the case's risk tier or aging bucket when it entered the stage; per stage alone when left out. */
    groupBy: z.enum(DURATION_GROUPINGS).optional(),
    tier: accounts.RiskTierSchema.optional(),
    bucket: accounts.AgingBucketSchema.optional(),
    /** The case's product, and the debtor's jurisdiction (a country takes in its jurisdictions), as they are now. */
    product: accounts.ProductSchema.optional(),
    jurisdiction: accounts.JurisdictionSchema.optional(),
  })
  .strict()
  .refine(inOrder, afterFrom);
export type StageDurationParams = z.input<typeof StageDurationParamsSchema>;
