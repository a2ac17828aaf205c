import { accounts, CurrencySchema } from '@arrears/contracts';
import { z } from 'zod';
import { ACTIVE_PLAN_STATUSES } from './entities';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

const CalendarDaySchema = z.iso.date();
const OperatorIdSchema = z.string().min(1).max(200);
const limit = z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);
const inOrder = (range: { readonly from?: string | undefined; readonly to?: string | undefined }) => range.from === undefined || range.to === undefined || range.from <= range.to;
const notBeforeFrom = { message: 'must not be before from', path: ['to'] };

export const PlanIdSchema = z.uuid();

/** One plan; with `accountId`, only when it is that case's (the gateway asks by the case a collector works). */
export const PlanParamsSchema = z.object({ planId: PlanIdSchema, accountId: z.uuid().optional() }).strict();
export type PlanParams = z.input<typeof PlanParamsSchema>;

/** `ofAccount(params)`: the plans of one case. */
export const AccountPlansParamsSchema = z.object({ accountId: z.uuid() }).strict();
export type AccountPlansParams = z.input<typeof AccountPlansParamsSchema>;

/** `activePlans(options)`: the plans on the table or running. */
export const ActivePlansParamsSchema = z
  .object({
    status: z.enum(ACTIVE_PLAN_STATUSES).optional(),
    /** Only the plans this collector (or supervisor) proposed. */
    proposedBy: OperatorIdSchema.optional(),
    currency: CurrencySchema.optional(),
    limit,
    /** Keyset paging: the `planId` of the last row of the previous page (its `nextAfter`). */
    after: PlanIdSchema.optional(),
  })
  .strict();
export type ActivePlansOptions = z.input<typeof ActivePlansParamsSchema>;

/** An instalment, as the keyset of the instalment lists. */
export const InstalmentKeySchema = z.object({ planId: PlanIdSchema, number: z.number().int().min(1) }).strict();
export type InstalmentKey = z.infer<typeof InstalmentKeySchema>;

const instalmentListOptions = {
  /** Only the instalments of plans this collector (or supervisor) proposed. */
  proposedBy: OperatorIdSchema.optional(),
  currency: CurrencySchema.optional(),
  limit,
  /** Keyset paging: the last instalment of the previous page (its `nextAfter`). */
  after: InstalmentKeySchema.optional(),
};

/** `dueBetween(from, to, options)` (and `dueOn(day, options)`, a range of one day): the days and the options as one. */
export const DueParamsSchema = z
  .object({ from: CalendarDaySchema, to: CalendarDaySchema, ...instalmentListOptions })
  .strict()
  .refine(inOrder, notBeforeFrom);
/** `overdue(day, options)`. */
export const OverdueParamsSchema = z.object({ day: CalendarDaySchema, ...instalmentListOptions }).strict();
/** `missed(options)`. */
export const MissedParamsSchema = z.object(instalmentListOptions).strict();
export type InstalmentListOptions = z.input<typeof MissedParamsSchema>;

export const PLAN_PERFORMANCE_GROUPINGS = ['proposer', 'bucket', 'tier'] as const;
export type PlanPerformanceGrouping = (typeof PLAN_PERFORMANCE_GROUPINGS)[number];

export const PlanPerformanceParamsSchema = z
  .object({
    /** The proposer, or the case's aging bucket or risk tier when the plan was proposed. */
    groupBy: z.enum(PLAN_PERFORMANCE_GROUPINGS),
    /** Plans proposed (`proposedOn`, a UTC day) from this day and up to `to`, both included; either may be left open. */
    from: CalendarDaySchema.optional(),
    to: CalendarDaySchema.optional(),
    proposedBy: OperatorIdSchema.optional(),
    agingBucket: accounts.AgingBucketSchema.optional(),
    riskTier: accounts.RiskTierSchema.optional(),
  })
  .strict()
  .refine(inOrder, notBeforeFrom);
export type PlanPerformanceParams = z.input<typeof PlanPerformanceParamsSchema>;

/** Whole days from `from` to `to` (calendar days, so no time zone or daylight saving enters). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
