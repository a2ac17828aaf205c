import { accounts } from '@arrears/contracts';
import { z } from 'zod';

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

const CalendarDaySchema = z.iso.date();
const OperatorIdSchema = z.string().min(1).max(200);
/** The case's creditor (from its AccountPlaced). */
const CreditorIdSchema = z.string().min(1).max(100);
/** The debtor's: a country (`US`, which takes in `US-IL`) or one jurisdiction. */
const JurisdictionFilterSchema = accounts.JurisdictionSchema;

/** `dueToday(day, options)` and `overdue(day, options)`: the day and the options are checked as one. */
export const WorklistParamsSchema = z
  .object({
    /** A calendar day (`2026-04-28`), compared with the promises' due dates. */
    day: CalendarDaySchema,
    /** Only the promises this collector took. */
    operatorId: OperatorIdSchema.optional(),
    creditorId: CreditorIdSchema.optional(),
    jurisdiction: JurisdictionFilterSchema.optional(),
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    /** Keyset paging: the `promiseId` of the last row of the previous page (its `nextAfter`). */
    after: z.uuid().optional(),
  })
  .strict();
export type WorklistOptions = Omit<z.input<typeof WorklistParamsSchema>, 'day'>;

/** `ofAccount(params)`: the promises of one case. */
export const AccountPromisesParamsSchema = z.object({ accountId: z.uuid() }).strict();
export type AccountPromisesParams = z.input<typeof AccountPromisesParamsSchema>;

export const PROMISE_RATE_GROUPINGS = ['operator', 'bucket', 'tier'] as const;
export type PromiseRateGrouping = (typeof PROMISE_RATE_GROUPINGS)[number];

export const PromiseRatesParamsSchema = z
  .object({
    /** Promises made (`madeOn`) from this day to `to`, both included. */
    from: CalendarDaySchema,
    to: CalendarDaySchema,
    /** The collector who took the promise, or the case's aging bucket or risk tier when it was made. */
    groupBy: z.enum(PROMISE_RATE_GROUPINGS),
    /** The case's creditor and product, and the debtor's jurisdiction (a country takes in its jurisdictions). */
    creditorId: CreditorIdSchema.optional(),
    product: accounts.ProductSchema.optional(),
    jurisdiction: JurisdictionFilterSchema.optional(),
  })
  .strict()
  .refine((range) => range.from <= range.to, { message: 'must not be before from', path: ['to'] });
export type PromiseRatesParams = z.input<typeof PromiseRatesParamsSchema>;

/** Whole days from `from` to `to` (calendar days, so no time zone or daylight saving enters). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
