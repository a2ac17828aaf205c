import { accounts, CurrencySchema } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import type { QueryHandler } from '@arrears/messaging';
import { toSafeInteger } from '@arrears/read-models';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { JurisdictionFilterSchema, parseInput } from './query-filters';
import { schemaOf } from './schema';

export const RECOVERY_GRANULARITIES = ['day', 'month'] as const;
export type RecoveryGranularity = (typeof RECOVERY_GRANULARITIES)[number];
/** At most a year of days, or ten years of months: one answer is one NATS message. */
export const MAX_RECOVERY_PERIODS: Readonly<Record<RecoveryGranularity, number>> = { day: 366, month: 120 };

const CalendarDaySchema = z.iso.date();

export const RecoveryTrendParamsSchema = z
  .object({
    /** The first day of the trend, included. */
    from: CalendarDaySchema,
    /** The last day, included. */
    to: CalendarDaySchema,
    granularity: z.enum(RECOVERY_GRANULARITIES),
    creditorId: z.string().min(1).max(100).optional(),
    product: accounts.ProductSchema.optional(),
    /** A country (`US`, which takes in `US-IL`) or one jurisdiction: the debtor's. */
    jurisdiction: JurisdictionFilterSchema.optional(),
    /** Required: amounts of different currencies are never added. */
    currency: CurrencySchema,
  })
  .strict()
  .refine((range) => range.from <= range.to, { message: 'must not be before from', path: ['to'] })
  .refine((range) => periodCount(range.from, range.to, range.granularity) <= MAX_RECOVERY_PERIODS[range.granularity], {
    message: `spans too many periods: at most ${MAX_RECOVERY_PERIODS.day} days or ${MAX_RECOVERY_PERIODS.month} months`,
    path: ['to'],
  });
export type RecoveryTrendParams = z.input<typeof RecoveryTrendParamsSchema>;

export interface RecoveryPeriod {
  /** `YYYY-MM-DD` for a day, `YYYY-MM` for a month. */
  readonly period: string;
  /** The period's days within `from`–`to`, both included (a month at either end may be cut short). */
  readonly start: string;
  readonly end: string;
  /** Payments received (`receivedOn`) in the period, minor units. */
  readonly collected: number;
  /** Payments received up to the period's end, since the first placement. */
  readonly collectedToDate: number;
  /** What the accounts placed up to the period's end owed when placed, minor units. */
  readonly placedToDate: number;
  /** collected ÷ placedToDate, 4 decimals; null while nothing is placed. */
  readonly rate: number | null;
  /** collectedToDate ÷ placedToDate, 4 decimals; null while nothing is placed. */
  readonly cumulativeRate: number | null;
}

export interface RecoveryTrend {
  readonly from: string;
  readonly to: string;
  readonly granularity: RecoveryGranularity;
  readonly currency: string;
  readonly creditorId: string | null;
  readonly product: string | null;
  readonly jurisdiction: string | null;
  /** The cumulative recovery rate aimed at (`recoveryTarget` of the accounts policy). */
  readonly target: number;
  readonly periods: readonly RecoveryPeriod[];
}

interface RawPeriod {
  start: string;
  end: string;
  collected: string;
  collected_to_date: string;
  placed_to_date: string;
}

/**
 * Recovery over time from the accounts read models. An account's placed amount is not stored: a balance changes only
 * by a payment (its allocation to fees, interest and principal) or a waiver (never more than the part owed), each an
 * activity row, so what was placed is the balance now plus every such reduction. Days are UTC calendar days: a
 * placement counts from its `placedAt`'s day, a payment from its `receivedOn`.
 */
export class RecoveryTrendQuery {
  private readonly s: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: number,
  ) {
    this.s = quoteIdentifier(schemaOf(dataSource));
  }

  async trend(params: RecoveryTrendParams): Promise<RecoveryTrend> {
    const parsed = parseInput(RecoveryTrendParamsSchema, params);
    const creditorId = parsed.creditorId ?? null;
    const product = parsed.product ?? null;
    const jurisdiction = parsed.jurisdiction ?? null;
    const rows: RawPeriod[] = await this.dataSource.manager.query(
      // Each account and each payment is read once, summed per day; the periods then add up at most a few hundred days
      // each. (Summing the accounts and payments again for every period took seconds at 5,000 accounts.)
      `with periods as (
         select greatest(p::date, $1::date) as start,
                least((p + ('1 ' || $3::text)::interval - interval '1 day')::date, $2::date) as "end"
           from generate_series(date_trunc($3::text, $1::date), $2::date, ('1 ' || $3::text)::interval) p
       ),
       accounts as materialized (
         select s.account_id, (s.placed_at at time zone 'UTC')::date as placed_on, s.total
           from ${this.s}.account_summaries s
          where s.currency = $4 and ($5::text is null or s.creditor_id = $5) and ($6::text is null or s.product = $6)
            and ($7::text is null or s.jurisdiction = $7 or s.jurisdiction like $7 || '-%')
            and (s.placed_at at time zone 'UTC')::date <= $2::date
       ),
       reductions as materialized (
         select x.account_id,
                sum(case when x.kind = 'payment'
                         then (x.allocation ->> 'fees')::bigint + (x.allocation ->> 'interest')::bigint + (x.allocation ->> 'principal')::bigint
                         else x.amount end) as amount
           from ${this.s}.account_activity x join accounts a on a.account_id = x.account_id
          group by x.account_id
       ),
       placed as materialized (
         select a.placed_on as day, sum(a.total + coalesce(r.amount, 0)) as amount
           from accounts a left join reductions r on r.account_id = a.account_id
          group by a.placed_on
       ),
       payments as materialized (
         select x.received_on as day, sum(x.amount) as amount
           from ${this.s}.account_activity x join accounts a on a.account_id = x.account_id
          where x.kind = 'payment' and x.received_on <= $2::date
          group by x.received_on
       )
       select to_char(pr.start, 'YYYY-MM-DD') as start, to_char(pr."end", 'YYYY-MM-DD') as "end",
              (select coalesce(sum(amount), 0) from payments where day between pr.start and pr."end")::text as collected,
              (select coalesce(sum(amount), 0) from payments where day <= pr."end")::text as collected_to_date,
              (select coalesce(sum(amount), 0) from placed where day <= pr."end")::text as placed_to_date
         from periods pr order by pr.start`,
      [parsed.from, parsed.to, parsed.granularity, parsed.currency, creditorId, product, jurisdiction],
    );
    return {
      from: parsed.from,
      to: parsed.to,
      granularity: parsed.granularity,
      currency: parsed.currency,
      creditorId,
      product,
      jurisdiction,
      target: this.target,
      periods: rows.map((row) => {
        const collected = toSafeInteger(row.collected, 'collected');
        const collectedToDate = toSafeInteger(row.collected_to_date, 'collected to date');
        const placedToDate = toSafeInteger(row.placed_to_date, 'placed to date');
        return {
          period: parsed.granularity === 'month' ? row.start.slice(0, 7) : row.start,
          start: row.start,
          end: row.end,
          collected,
          collectedToDate,
          placedToDate,
          rate: ratio(collected, placedToDate),
          cumulativeRate: ratio(collectedToDate, placedToDate),
        };
      }),
    };
  }
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/** Periods from `from` to `to`: days, or calendar months touched. */
function periodCount(from: string, to: string, granularity: RecoveryGranularity): number {
  if (granularity === 'day') return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  const months = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7));
  return months(to) - months(from) + 1;
}

/** `RecoveryTrend` over NATS (`<root>.qry.accounts.RecoveryTrend`). */
export function recoveryQueryHandlers(query: RecoveryTrendQuery): Record<string, QueryHandler> {
  return { RecoveryTrend: (params) => query.trend(params as RecoveryTrendParams) };
}
