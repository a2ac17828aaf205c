import { accounts, ArrearsError, ErrorCode } from '@arrears/contracts';
import { z } from 'zod';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { AccountActivity, AccountSummary, type FlagDetails } from './entities';
import { toSafeInteger } from '@arrears/read-models';
import type { QueryHandler } from '@arrears/messaging';
import {
  AccountIdSchema,
  AccountListFilterSchema,
  parseInput,
  PortfolioFilterSchema,
  type AccountListFilter,
  type ParsedAccountListFilter,
  type PortfolioFilter,
} from './query-filters';

/** A summary row as callers see it: instants as ISO strings, the idempotency bookkeeping left out. */
export type AccountSummaryView = Omit<AccountSummary, 'placedAt' | 'updatedAt' | 'closedAt' | 'lastAppliedPosition' | 'flagDetails'> & {
  readonly flagDetails: FlagDetails;
  readonly placedAt: string;
  readonly closedAt: string | null;
  readonly updatedAt: string;
  /** The stream position the row reflects: a caller that wrote an event can wait until it is reached. */
  readonly version: number;
};

export type AccountActivityView = Omit<AccountActivity, 'occurredAt'> & { readonly occurredAt: string };

export interface AccountPage {
  readonly rows: readonly AccountSummaryView[];
  /** All rows matching the filter, on every page. */
  readonly total: number;
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextAfter: string | null;
}

export interface AccountDetail {
  readonly summary: AccountSummaryView;
  /** Payments and adjustments, oldest first. */
  readonly activity: readonly AccountActivityView[];
}

export interface BalanceTotals {
  readonly accounts: number;
  readonly principal: number;
  readonly fees: number;
  readonly interest: number;
  readonly total: number;
  readonly credit: number;
}

export interface PortfolioGroup extends BalanceTotals {
  readonly currency: string;
  /** Null for accounts not yet reviewed after placement. */
  readonly agingBucket: accounts.AgingBucket | null;
  readonly riskTier: accounts.RiskTier | null;
}

export interface PortfolioSummary {
  /** Per currency, aging bucket and risk tier; ordered by currency, then bucket and tier in their domain order. */
  readonly groups: readonly PortfolioGroup[];
  /** Per currency: amounts of different currencies are never added together. */
  readonly currencies: readonly (BalanceTotals & { readonly currency: string })[];
}

/**
 * Reads the account read models. `list` pages by keyset over a fixed order — newest placement first, then
 * account id — so a page never repeats or skips a row while accounts are being placed or updated.
 */
const CalendarDaySchema = z.iso.date();

export class AccountQueries {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: AccountListFilter = {}): Promise<AccountPage> {
    const parsed = parseInput(AccountListFilterSchema, filter);
    const matching = this.filtered(parsed);
    const page = matching.clone().orderBy('s.placedAt', 'DESC').addOrderBy('s.accountId', 'DESC').limit(parsed.limit + 1);
    if (parsed.after !== undefined) {
      // Compared with the row itself, not with values carried in a cursor: the timestamp keeps its microseconds.
      const last = page.subQuery().select('a.placedAt').addSelect('a.accountId').from(AccountSummary, 'a').where('a.accountId = :after').getQuery();
      page.andWhere(`(s.placedAt, s.accountId) < ${last}`, { after: parsed.after });
    }
    const [rows, total] = await Promise.all([page.getMany(), matching.getCount()]);
    const shown = rows.slice(0, parsed.limit);
    return { rows: shown.map(summaryView), total, nextAfter: rows.length > parsed.limit ? (shown.at(-1)?.accountId ?? null) : null };
  }

  async detail(accountId: string): Promise<AccountDetail> {
    const id = parseInput(AccountIdSchema, accountId, 'accountId');
    const summary = await this.dataSource.manager.findOne(AccountSummary, { where: { accountId: id } });
    if (summary === null) throw new ArrearsError(ErrorCode.NOT_FOUND, `No account ${id} in the read model`, { field: 'accountId' });
    const activity = await this.dataSource.manager.find(AccountActivity, { where: { accountId: id }, order: { streamPosition: 'ASC' } });
    return { summary: summaryView(summary), activity: activity.map(activityView) };
  }

  /** The debtor's accounts still open (as far as the read model has seen), other than `exceptAccountId`. */
  async openAccountsOfDebtor(debtorId: string, exceptAccountId?: string): Promise<string[]> {
    const rows = await this.dataSource.manager.find(AccountSummary, { where: { debtorId: parseInput(AccountIdSchema, debtorId, 'debtorId'), status: 'open' }, select: { accountId: true } });
    return rows.map((row) => row.accountId).filter((id) => id !== exceptAccountId).sort();
  }

  /**
   * Open accounts whose derived figures may have moved with the passing of time by `today`: the aging bucket the
   * days past due now call for differs from the one recorded, or the last payment left the recent-payment window in
   * the past week, or a breathing space ended. A pre-filter only — the decider re-derives everything — so it may name more than change, never
   * fewer among those the read model has seen. Keyset paged by account id (`after`).
   */
  async accountsDueForReview(today: string, recentPaymentDays: number, limit: number, after?: string): Promise<string[]> {
    const day = parseInput(CalendarDaySchema, today, 'today');
    const query = this.dataSource.manager
      .createQueryBuilder(AccountSummary, 's')
      .select('s.accountId', 'accountId')
      .where("s.status = 'open'")
      .andWhere(
        `(s.agingBucket is distinct from (case when :day::date - s.dueDate <= 0 then 'current' when :day::date - s.dueDate <= 30 then '1-30' ` +
          `when :day::date - s.dueDate <= 90 then '31-90' else '90+' end) ` +
          'or (s.lastPaymentOn is not null and :day::date - s.lastPaymentOn between :expired and :expired + 7) ' +
          "or (s.flagDetails -> 'breathing-space' ->> 'endsOn')::date < :day::date)",
        { day, expired: recentPaymentDays + 1 },
      )
      .orderBy('s.accountId', 'ASC')
      .limit(limit);
    if (after !== undefined) query.andWhere('s.accountId > :after', { after });
    const rows = await query.getRawMany<{ accountId: string }>();
    return rows.map((row) => row.accountId);
  }

  async portfolioSummary(filter: PortfolioFilter = {}): Promise<PortfolioSummary> {
    const parsed = parseInput(PortfolioFilterSchema, filter);
    const query = this.dataSource.manager
      .createQueryBuilder(AccountSummary, 's')
      .select('s.currency', 'currency')
      .addSelect('s.agingBucket', 'agingBucket')
      .addSelect('s.riskTier', 'riskTier')
      // 1 on the rows of the per-currency grouping set.
      .addSelect('grouping(s.agingBucket, s.riskTier) <> 0', 'perCurrency')
      .addSelect('count(*)', 'accounts')
      .addSelect('sum(s.principal)', 'principal')
      .addSelect('sum(s.fees)', 'fees')
      .addSelect('sum(s.interest)', 'interest')
      .addSelect('sum(s.total)', 'total')
      .addSelect('sum(s.credit)', 'credit')
      .where('s.status = :status', { status: parsed.status })
      .groupBy('grouping sets ((s.currency, s.agingBucket, s.riskTier), (s.currency))')
      .orderBy('s.currency')
      .addOrderBy('array_position(:buckets::text[], s.agingBucket)', 'ASC', 'NULLS FIRST')
      .addOrderBy('array_position(:tiers::text[], s.riskTier)', 'ASC', 'NULLS FIRST')
      .setParameters({ buckets: [...accounts.AGING_BUCKETS], tiers: [...accounts.RISK_TIERS] });
    if (parsed.creditorId !== undefined) query.andWhere('s.creditorId = :creditorId', { creditorId: parsed.creditorId });
    if (parsed.product !== undefined) query.andWhere('s.product = :product', { product: parsed.product });
    // A country takes in its jurisdictions: `US` is `US-IL` and `US-CA` too.
    if (parsed.jurisdiction !== undefined) query.andWhere(`(s.jurisdiction = :jurisdiction or s.jurisdiction like :jurisdiction || '-%')`, { jurisdiction: parsed.jurisdiction });
    if (parsed.currency !== undefined) query.andWhere('s.currency = :currency', { currency: parsed.currency });
    const rows = await query.getRawMany<RawPortfolioRow>();
    const groups: PortfolioGroup[] = [];
    const currencies: (BalanceTotals & { currency: string })[] = [];
    for (const row of rows) {
      if (row.perCurrency) currencies.push({ currency: row.currency, ...totals(row) });
      else groups.push({ currency: row.currency, agingBucket: row.agingBucket, riskTier: row.riskTier, ...totals(row) });
    }
    return { groups, currencies };
  }

  private filtered(filter: ParsedAccountListFilter): SelectQueryBuilder<AccountSummary> {
    const query = this.dataSource.manager.createQueryBuilder(AccountSummary, 's');
    if (filter.agingBucket !== undefined) query.andWhere('s.agingBucket = :agingBucket', { agingBucket: filter.agingBucket });
    if (filter.riskTier !== undefined) query.andWhere('s.riskTier = :riskTier', { riskTier: filter.riskTier });
    // `@>` rather than `= any(…)`: the GIN index on active_flags serves it.
    if (filter.flag !== undefined) query.andWhere('s.activeFlags @> array[:flag]::text[]', { flag: filter.flag });
    if (filter.creditorId !== undefined) query.andWhere('s.creditorId = :creditorId', { creditorId: filter.creditorId });
    if (filter.status !== undefined) query.andWhere('s.status = :status', { status: filter.status });
    if (filter.currency !== undefined) query.andWhere('s.currency = :currency', { currency: filter.currency });
    if (filter.minTotal !== undefined) query.andWhere('s.total >= :minTotal', { minTotal: filter.minTotal });
    if (filter.maxTotal !== undefined) query.andWhere('s.total <= :maxTotal', { maxTotal: filter.maxTotal });
    return query;
  }
}

interface RawPortfolioRow {
  readonly currency: string;
  readonly agingBucket: accounts.AgingBucket | null;
  readonly riskTier: accounts.RiskTier | null;
  readonly perCurrency: boolean;
  readonly accounts: string;
  readonly principal: string;
  readonly fees: string;
  readonly interest: string;
  readonly total: string;
  readonly credit: string;
}

function totals(row: RawPortfolioRow): BalanceTotals {
  return {
    accounts: toSafeInteger(row.accounts, 'count'),
    principal: toSafeInteger(row.principal, 'sum of principal'),
    fees: toSafeInteger(row.fees, 'sum of fees'),
    interest: toSafeInteger(row.interest, 'sum of interest'),
    total: toSafeInteger(row.total, 'sum of totals'),
    credit: toSafeInteger(row.credit, 'sum of credit'),
  };
}

function summaryView(row: AccountSummary): AccountSummaryView {
  const { placedAt, updatedAt, closedAt, lastAppliedPosition, ...rest } = row;
  return { ...rest, placedAt: placedAt.toISOString(), updatedAt: updatedAt.toISOString(), closedAt: closedAt?.toISOString() ?? null, version: lastAppliedPosition };
}

function activityView(row: AccountActivity): AccountActivityView {
  return { ...row, occurredAt: row.occurredAt.toISOString() };
}

/** The read models as NATS queries (`arrears.qry.accounts.<Query>`), for the gateway; each validates its params. */
export function accountQueryHandlers(queries: AccountQueries): Record<string, QueryHandler> {
  return {
    ListAccounts: (params) => queries.list(params as AccountListFilter),
    AccountDetail: (params) => queries.detail(params['accountId'] as string),
    PortfolioSummary: (params) => queries.portfolioSummary(params as PortfolioFilter),
  };
}
