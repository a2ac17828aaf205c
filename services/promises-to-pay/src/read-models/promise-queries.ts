import { accounts, type Money } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { PromiseRow, type PromiseChannel, type PromiseStatus } from './entities';
import { parseInput, toSafeInteger } from '@arrears/read-models';
import type { QueryHandler } from '@arrears/messaging';
import {
  AccountPromisesParamsSchema,
  daysBetween,
  PromiseRatesParamsSchema,
  WorklistParamsSchema,
  type AccountPromisesParams,
  type PromiseRateGrouping,
  type PromiseRatesParams,
  type WorklistOptions,
} from './query-params';
import { schemaOf } from './schema';

/** A promise as callers see it: money as `{ minor, currency }`, instants as ISO strings, days as `YYYY-MM-DD`. */
export interface PromiseView {
  readonly promiseId: string;
  readonly accountId: string;
  readonly amount: Money;
  /** Everything applied to the promise so far. */
  readonly paid: Money;
  /** What is still to pay (never below zero). */
  readonly outstanding: Money;
  readonly madeOn: string;
  readonly dueDate: string;
  readonly graceDays: number;
  readonly breaksAt: string;
  readonly recordedAt: string;
  readonly channel: PromiseChannel;
  readonly operatorId: string;
  readonly status: PromiseStatus;
  /** The case's aging bucket and risk tier when the promise was made (null: not known then). */
  readonly agingBucket: accounts.AgingBucket | null;
  readonly riskTier: accounts.RiskTier | null;
  readonly keptAt: string | null;
  readonly brokenAt: string | null;
  /** The day the promise broke (the PromiseBroken's `brokenOn`); null unless broken. */
  readonly brokenOn: string | null;
  readonly cancelledAt: string | null;
}

export interface OverduePromiseView extends PromiseView {
  /** Days from the due date to the day asked about. */
  readonly daysOverdue: number;
  /** The day asked about is within the grace days after the due date: the promise cannot have broken yet. */
  readonly inGrace: boolean;
}

export interface PromisePage<View extends PromiseView = PromiseView> {
  readonly rows: readonly View[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextAfter: string | null;
}

/** Promised and collected in one currency: amounts of different currencies are never added up. */
export interface CurrencyAmounts {
  readonly currency: string;
  /** The sum of the promises' amounts, in minor units. */
  readonly promised: number;
  /** The sum of what was applied to them so far, in minor units. */
  readonly collected: number;
}

export interface PromiseRateGroup {
  /** The operator id, aging bucket or risk tier; null for promises made while the case's bucket or tier was not known. */
  readonly key: string | null;
  readonly made: number;
  readonly kept: number;
  readonly broken: number;
  readonly cancelled: number;
  /** Still open now. */
  readonly open: number;
  /** Something was paid towards them, but they were not kept (open, broken or cancelled with a payment). */
  readonly partiallyPaid: number;
  /** kept ÷ (kept + broken): of the promises settled by the debtor, the share kept; null when none is settled. */
  readonly keptRate: number | null;
  /** The collectors who made them. */
  readonly collectors: number;
  /** The promise rate: made ÷ (collectors × days of the range). */
  readonly promisesPerCollectorPerDay: number;
  /** Per currency, in currency order. */
  readonly amounts: readonly CurrencyAmounts[];
}

export interface PromiseRates {
  readonly from: string;
  readonly to: string;
  /** Days of the range, both ends included. */
  readonly days: number;
  readonly groupBy: PromiseRateGrouping;
  /** Operators in id order; buckets and tiers in the contract's order; the unknown (null) last. */
  readonly groups: readonly PromiseRateGroup[];
}

const GROUP_COLUMN: Record<PromiseRateGrouping, string> = { operator: 'operator_id', bucket: 'aging_bucket', tier: 'risk_tier' };
const GROUP_ORDER: Record<PromiseRateGrouping, readonly string[]> = { operator: [], bucket: accounts.AGING_BUCKETS, tier: accounts.RISK_TIERS };

interface RateRow {
  key: string | null;
  made: number;
  kept: number;
  broken: number;
  cancelled: number;
  open: number;
  partially_paid: number;
  collectors: number;
  amounts: { currency: string; promised: string; collected: string }[];
}

/** Reads the promise read models: the collectors' worklists and the promise rates. */
export class PromiseQueries {
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
    this.s = quoteIdentifier(schemaOf(dataSource));
  }

  /** Open promises due on `day`, by promise id, keyset paged; `operatorId` narrows to one collector's. */
  async dueToday(day: string, options: WorklistOptions = {}): Promise<PromisePage> {
    const page = await this.openPromises('=', day, options);
    return { rows: page.rows.map(promiseView), nextAfter: page.nextAfter };
  }

  /**
   * Open promises due before `day` — those still in their grace days, and those past them that the break timer has
   * not broken yet — the longest overdue first (then by promise id), keyset paged.
   */
  async overdue(day: string, options: WorklistOptions = {}): Promise<PromisePage<OverduePromiseView>> {
    const page = await this.openPromises('<', day, options);
    return {
      rows: page.rows.map((row) => {
        const daysOverdue = daysBetween(row.dueDate, page.day);
        return { ...promiseView(row), daysOverdue, inGrace: daysOverdue <= row.graceDays };
      }),
      nextAfter: page.nextAfter,
    };
  }

  /** Promises that broke on `day` (their PromiseBroken's `brokenOn`), by promise id, keyset paged; `operatorId` narrows to one collector's. */
  async brokenOn(day: string, options: WorklistOptions = {}): Promise<PromisePage> {
    const parsed = parseInput(WorklistParamsSchema, { ...options, day });
    const page = this.dataSource.manager
      .createQueryBuilder(PromiseRow, 'p')
      .where(`p.status = 'broken'`)
      .andWhere('p.brokenOn = :day', { day: parsed.day })
      .orderBy('p.promiseId', 'ASC')
      .limit(parsed.limit + 1);
    if (parsed.operatorId !== undefined) page.andWhere('p.operatorId = :operatorId', { operatorId: parsed.operatorId });
    this.placedAs(page, parsed);
    if (parsed.after !== undefined) page.andWhere('p.promiseId > :after', { after: parsed.after });
    const rows = await page.getMany();
    const shown = rows.slice(0, parsed.limit);
    return { rows: shown.map(promiseView), nextAfter: rows.length > parsed.limit ? (shown.at(-1)?.promiseId ?? null) : null };
  }

  /** Every promise of a case, whatever its status, the latest recorded first (then by promise id). */
  async ofAccount(params: AccountPromisesParams): Promise<PromiseView[]> {
    const { accountId } = parseInput(AccountPromisesParamsSchema, params);
    const rows = await this.dataSource.manager.find(PromiseRow, { where: { accountId }, order: { recordedAt: 'DESC', promiseId: 'DESC' } });
    return rows.map(promiseView);
  }

  /**
   * Per collector, aging bucket or risk tier (the case's when the promise was made): what became of the promises made
   * from `from` to `to`, as they stand now. Money is summed per currency, never across.
   */
  async promiseRates(params: PromiseRatesParams): Promise<PromiseRates> {
    const parsed = parseInput(PromiseRatesParamsSchema, params);
    const days = daysBetween(parsed.from, parsed.to) + 1;
    const rows: RateRow[] = await this.dataSource.manager.query(
      `with p as (
         select ${GROUP_COLUMN[parsed.groupBy]} as key, * from ${this.s}.promises pr
          where made_on between $1::date and $2::date
            and (($4::text is null and $5::text is null and $6::text is null)
                 or exists (select 1 from ${this.s}.case_placements c
                             where c.account_id = pr.account_id and ($4::text is null or c.creditor_id = $4) and ($5::text is null or c.product = $5)
                               and ($6::text is null or c.jurisdiction = $6 or c.jurisdiction like $6 || '-%')))
       ),
       money as (
         select key, json_agg(json_build_object('currency', currency, 'promised', promised::text, 'collected', collected::text) order by currency) as amounts
           from (select key, currency, sum(amount_minor) as promised, sum(paid_minor) as collected from p group by key, currency) per_currency
          group by key
       ),
       counts as (
         select key,
                count(*)::int as made,
                count(*) filter (where status = 'kept')::int as kept,
                count(*) filter (where status = 'broken')::int as broken,
                count(*) filter (where status = 'cancelled')::int as cancelled,
                count(*) filter (where status = 'open')::int as open,
                count(*) filter (where status <> 'kept' and paid_minor > 0)::int as partially_paid,
                count(distinct operator_id)::int as collectors
           from p group by key
       )
       select c.*, m.amounts
         from counts c join money m on m.key is not distinct from c.key
        order by array_position($3::text[], c.key) nulls last, c.key nulls last`,
      [parsed.from, parsed.to, GROUP_ORDER[parsed.groupBy], parsed.creditorId ?? null, parsed.product ?? null, parsed.jurisdiction ?? null],
    );
    return {
      from: parsed.from,
      to: parsed.to,
      days,
      groupBy: parsed.groupBy,
      groups: rows.map((row) => ({
        key: row.key,
        made: row.made,
        kept: row.kept,
        broken: row.broken,
        cancelled: row.cancelled,
        open: row.open,
        partiallyPaid: row.partially_paid,
        keptRate: row.kept + row.broken === 0 ? null : row.kept / (row.kept + row.broken),
        collectors: row.collectors,
        promisesPerCollectorPerDay: row.made / (row.collectors * days),
        amounts: row.amounts.map((amount) => ({
          currency: amount.currency,
          promised: toSafeInteger(amount.promised, `promised ${amount.currency}`),
          collected: toSafeInteger(amount.collected, `collected ${amount.currency}`),
        })),
      })),
    };
  }

  /**
   * Only the promises of cases placed by the creditor, or whose debtor is in the jurisdiction (a country takes in its
   * own: `US` is `US-IL` too). A case whose AccountPlaced has not been applied here matches neither.
   */
  private placedAs(page: SelectQueryBuilder<PromiseRow>, filter: { readonly creditorId?: string | undefined; readonly jurisdiction?: string | undefined }): void {
    if (filter.creditorId === undefined && filter.jurisdiction === undefined) return;
    page.andWhere(
      `exists (select 1 from ${this.s}.case_placements c
                where c.account_id = p.account_id and (CAST(:creditorId AS text) is null or c.creditor_id = :creditorId)
                  and (CAST(:jurisdiction AS text) is null or c.jurisdiction = :jurisdiction or c.jurisdiction like :jurisdiction || '-%'))`,
      { creditorId: filter.creditorId ?? null, jurisdiction: filter.jurisdiction ?? null },
    );
  }

  private async openPromises(due: '=' | '<', day: string, options: WorklistOptions): Promise<{ day: string; rows: PromiseRow[]; nextAfter: string | null }> {
    const parsed = parseInput(WorklistParamsSchema, { ...options, day });
    const page = this.dataSource.manager
      .createQueryBuilder(PromiseRow, 'p')
      .where(`p.status = 'open'`)
      .andWhere(`p.dueDate ${due} :day`, { day: parsed.day })
      .orderBy('p.dueDate', 'ASC')
      .addOrderBy('p.promiseId', 'ASC')
      .limit(parsed.limit + 1);
    if (parsed.operatorId !== undefined) page.andWhere('p.operatorId = :operatorId', { operatorId: parsed.operatorId });
    this.placedAs(page, parsed);
    if (parsed.after !== undefined) {
      // Compared with the row itself, not with values carried in a cursor; it may have been settled since.
      const last = page.subQuery().select('a.dueDate').addSelect('a.promiseId').from(PromiseRow, 'a').where('a.promiseId = :after').getQuery();
      page.andWhere(`(p.dueDate, p.promiseId) > ${last}`, { after: parsed.after });
    }
    const rows = await page.getMany();
    const shown = rows.slice(0, parsed.limit);
    return { day: parsed.day, rows: shown, nextAfter: rows.length > parsed.limit ? (shown.at(-1)?.promiseId ?? null) : null };
  }
}

function promiseView(row: PromiseRow): PromiseView {
  const money = (minor: number): Money => ({ minor, currency: row.currency });
  return {
    promiseId: row.promiseId,
    accountId: row.accountId,
    amount: money(row.amountMinor),
    paid: money(row.paidMinor),
    outstanding: money(Math.max(0, row.amountMinor - row.paidMinor)),
    madeOn: row.madeOn,
    dueDate: row.dueDate,
    graceDays: row.graceDays,
    breaksAt: row.breaksAt.toISOString(),
    recordedAt: row.recordedAt.toISOString(),
    channel: row.channel,
    operatorId: row.operatorId,
    status: row.status,
    agingBucket: row.agingBucket,
    riskTier: row.riskTier,
    keptAt: row.keptAt?.toISOString() ?? null,
    brokenAt: row.brokenAt?.toISOString() ?? null,
    brokenOn: row.brokenOn,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
  };
}

/** The read models as NATS queries (`<root>.qry.promises-to-pay.<Query>`), for the gateway; each validates its params. */
export function promiseQueryHandlers(queries: PromiseQueries): Record<string, QueryHandler> {
  return {
    PromisesDue: ({ day, ...options }) => queries.dueToday(day as string, options as WorklistOptions),
    PromisesOverdue: ({ day, ...options }) => queries.overdue(day as string, options as WorklistOptions),
    PromisesBroken: ({ day, ...options }) => queries.brokenOn(day as string, options as WorklistOptions),
    PromiseRates: (params) => queries.promiseRates(params as PromiseRatesParams),
    AccountPromises: (params) => queries.ofAccount(params as AccountPromisesParams),
  };
}
