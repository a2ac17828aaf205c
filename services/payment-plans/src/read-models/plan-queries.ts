import { accounts, ArrearsError, ErrorCode, type Money, type paymentPlans } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import type { QueryHandler } from '@arrears/messaging';
import { parseInput, toSafeInteger } from '@arrears/read-models';
import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { ACTIVE_PLAN_STATUSES, InstalmentRow, PlanRow, UNPAID_INSTALMENT_STATUSES, type InstalmentStatus, type PlanStatus } from './entities';
import {
  AccountPlansParamsSchema,
  ActivePlansParamsSchema,
  daysBetween,
  DueParamsSchema,
  MissedParamsSchema,
  OverdueParamsSchema,
  PlanIdSchema,
  PlanParamsSchema,
  PlanPerformanceParamsSchema,
  type AccountPlansParams,
  type ActivePlansOptions,
  type InstalmentKey,
  type InstalmentListOptions,
  type PlanParams,
  type PlanPerformanceGrouping,
  type PlanPerformanceParams,
} from './query-params';
import { schemaOf } from './schema';

/** A plan as callers see it: money as `{ minor, currency }`, instants as ISO strings, days as `YYYY-MM-DD`. */
export interface PlanView {
  readonly planId: string;
  readonly accountId: string;
  readonly status: PlanStatus;
  /** What the plan pays in all. */
  readonly total: Money;
  /** The account's whole balance when the plan was proposed. */
  readonly balance: Money;
  readonly outcome: paymentPlans.PlanOutcome;
  readonly frequency: paymentPlans.Frequency;
  readonly instalmentCount: number;
  readonly options: {
    /** The fees waived if the plan completes. */
    readonly feeWaiver: Money | null;
    readonly interestFreeze: boolean;
    readonly termExtension: boolean;
    readonly settlement: { readonly discount: Money; readonly discountBasisPoints: number } | null;
  };
  /** The options beyond the proposer's limits, and of those the ones not approved yet. */
  readonly approvalsNeeded: readonly paymentPlans.PlanOption[];
  readonly awaitingApproval: readonly paymentPlans.PlanOption[];
  readonly graceDays: number;
  readonly missedToDefault: number;
  readonly proposedBy: string;
  readonly proposedAt: string;
  readonly proposedOn: string;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly acceptedOn: string | null;
  readonly acceptedAt: string | null;
  /** Everything paid to its instalments so far. */
  readonly paid: Money;
  /** What is still to pay of the total. */
  readonly outstanding: Money;
  /** The first instalment not paid in full, with what is still to pay of it; null once the plan has ended. */
  readonly nextInstalment: { readonly number: number; readonly dueDate: string; readonly amount: Money } | null;
  /** Missed instalments not since paid in full. */
  readonly missedUnpaid: number;
  /** The case's aging bucket and risk tier when the plan was proposed (null: not known then). */
  readonly agingBucket: accounts.AgingBucket | null;
  readonly riskTier: accounts.RiskTier | null;
  readonly completedOn: string | null;
  readonly defaultedOn: string | null;
  /** When it completed, defaulted or was cancelled. */
  readonly endedAt: string | null;
  /** When its latest event happened. */
  readonly updatedAt: string;
}

export interface InstalmentView {
  readonly planId: string;
  readonly accountId: string;
  readonly number: number;
  readonly dueDate: string;
  readonly amount: Money;
  readonly paid: Money;
  readonly outstanding: Money;
  readonly status: InstalmentStatus;
  /** The moment it counts as missed unless paid; null until the plan is accepted. */
  readonly missesAt: string | null;
  readonly wasMissed: boolean;
  /** The day the payment that completed it was received. */
  readonly paidOn: string | null;
}

export interface PlanDetail extends PlanView {
  readonly instalments: readonly InstalmentView[];
}

export interface OverdueInstalmentView extends InstalmentView {
  /** Days from the due date to the day asked about. */
  readonly daysOverdue: number;
  /** The day asked about is before the instalment's `missesAt`: it cannot have been missed yet. */
  readonly inGrace: boolean;
}

export interface MissedInstalmentView extends InstalmentView {
  /** Of its plan: missed instalments not since paid, and how many of them default it. */
  readonly missedUnpaid: number;
  readonly missedToDefault: number;
}

export interface Page<Row, Cursor> {
  readonly rows: readonly Row[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly nextAfter: Cursor | null;
}
export type PlanPage = Page<PlanView, string>;
export type InstalmentPage<Row extends InstalmentView = InstalmentView> = Page<Row, InstalmentKey>;

/** Agreed and collected in one currency: amounts of different currencies are never added up. */
export interface CurrencyAmounts {
  readonly currency: string;
  /** The sum of the accepted plans' totals, in minor units. */
  readonly agreed: number;
  /** The sum of what was paid to the plans' instalments, in minor units. */
  readonly collected: number;
}

export interface PlanPerformanceGroup {
  /** The proposer, aging bucket or risk tier; null for plans proposed while the case's bucket or tier was not known. */
  readonly key: string | null;
  readonly proposed: number;
  /** Still proposed or awaiting approval. */
  readonly pending: number;
  /** Accepted by the debtor, whatever became of them since. */
  readonly accepted: number;
  readonly running: number;
  readonly completed: number;
  readonly defaulted: number;
  /** Cancelled before or after acceptance. */
  readonly cancelled: number;
  readonly cancelledAfterAcceptance: number;
  /** accepted ÷ (accepted + cancelled before acceptance): of the proposals decided, the share accepted; null when none is. */
  readonly acceptanceRate: number | null;
  /** completed ÷ (accepted plans that have ended); null when none has. */
  readonly completionRate: number | null;
  /** defaulted ÷ (accepted plans that have ended); null when none has. */
  readonly defaultRate: number | null;
  readonly instalments: {
    readonly paidOnTime: number;
    readonly paidLate: number;
    /** Missed, whether paid since (then also counted as paid late) or not. */
    readonly missed: number;
  };
  /** Per currency, in currency order. */
  readonly amounts: readonly CurrencyAmounts[];
}

export interface PlanPerformance {
  readonly groupBy: PlanPerformanceGrouping;
  readonly from: string | null;
  readonly to: string | null;
  /** Proposers in id order; buckets and tiers in the contract's order; the unknown (null) last. */
  readonly groups: readonly PlanPerformanceGroup[];
}

const GROUP_COLUMN: Record<PlanPerformanceGrouping, string> = { proposer: 'proposed_by', bucket: 'aging_bucket', tier: 'risk_tier' };
const GROUP_ORDER: Record<PlanPerformanceGrouping, readonly string[]> = { proposer: [], bucket: accounts.AGING_BUCKETS, tier: accounts.RISK_TIERS };
const ACTIVE: readonly string[] = ACTIVE_PLAN_STATUSES;
const UNPAID: readonly string[] = UNPAID_INSTALMENT_STATUSES;
/** A plan with no instalment left to pay (between its last payment and its PlanCompleted) sorts after every date. */
const NEXT_DUE = `coalesce(p.nextDueDate, CAST('infinity' AS date))`;

interface PerformanceRow {
  key: string | null;
  proposed: number;
  pending: number;
  accepted: number;
  running: number;
  completed: number;
  defaulted: number;
  cancelled: number;
  cancelled_after_acceptance: number;
  paid_on_time: number;
  paid_late: number;
  missed: number;
  amounts: { currency: string; agreed: string; collected: string }[];
}

/** Reads the plan read models: the active plans, one plan in full, the instalment worklists and plan performance. */
export class PlanQueries {
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
    this.s = quoteIdentifier(schemaOf(dataSource));
  }

  /**
   * Plans proposed, awaiting approval or running, the soonest next instalment first (then by plan id), keyset paged;
   * narrowed to one status, proposer or currency. A plan's place moves on as its instalments are paid.
   */
  async activePlans(options: ActivePlansOptions = {}): Promise<PlanPage> {
    const parsed = parseInput(ActivePlansParamsSchema, options);
    const page = this.dataSource.manager
      .createQueryBuilder(PlanRow, 'p')
      .where('p.status IN (:...statuses)', { statuses: parsed.status === undefined ? ACTIVE : [parsed.status] })
      .orderBy(NEXT_DUE, 'ASC')
      .addOrderBy('p.planId', 'ASC')
      .limit(parsed.limit + 1);
    if (parsed.proposedBy !== undefined) page.andWhere('p.proposedBy = :proposedBy', { proposedBy: parsed.proposedBy });
    if (parsed.currency !== undefined) page.andWhere('p.currency = :currency', { currency: parsed.currency });
    if (parsed.after !== undefined) {
      // Compared with the row itself, not with values carried in a cursor; it may have moved on since.
      // Written out: TypeORM's sub-query builder would put the entity column before the expression.
      const last = `(select coalesce(a.next_due_date, CAST('infinity' AS date)), a.plan_id from ${this.s}.plans a where a.plan_id = :after)`;
      page.andWhere(`(${NEXT_DUE}, p.planId) > ${last}`, { after: parsed.after });
    }
    const rows = await page.getMany();
    const shown = rows.slice(0, parsed.limit);
    return { rows: shown.map(planView), nextAfter: rows.length > parsed.limit ? (shown.at(-1)?.planId ?? null) : null };
  }

  /** One plan, whatever its status, with its instalments in order; NOT_FOUND when the read model has no such plan. */
  async plan(planId: string): Promise<PlanDetail> {
    const id = parseInput(PlanIdSchema, planId, 'planId');
    const plan = await this.dataSource.manager.findOne(PlanRow, { where: { planId: id } });
    if (plan === null) throw new ArrearsError(ErrorCode.NOT_FOUND, `No plan ${id} in the plan read model`, { field: 'planId' });
    const instalments = await this.dataSource.manager.find(InstalmentRow, { where: { planId: id }, order: { number: 'ASC' } });
    return { ...planView(plan), instalments: instalments.map(instalmentView) };
  }

  /** Every plan of a case, whatever its status, the latest proposed first (then by plan id). */
  async ofAccount(params: AccountPlansParams): Promise<PlanView[]> {
    const { accountId } = parseInput(AccountPlansParamsSchema, params);
    const rows = await this.dataSource.manager.find(PlanRow, { where: { accountId }, order: { proposedAt: 'DESC', planId: 'DESC' } });
    return rows.map(planView);
  }

  /** Instalments of running plans due on `day` and not paid in full, keyset paged by plan id and number. */
  dueOn(day: string, options: InstalmentListOptions = {}): Promise<InstalmentPage> {
    return this.dueBetween(day, day, options);
  }

  /** Instalments of running plans due from `from` to `to` (both included) and not paid in full, by due date, plan, number. */
  async dueBetween(from: string, to: string, options: InstalmentListOptions = {}): Promise<InstalmentPage> {
    const parsed = parseInput(DueParamsSchema, { ...options, from, to });
    const page = await this.unpaidInstalments(parsed, (query) => query.andWhere('i.dueDate BETWEEN :from AND :to', { from: parsed.from, to: parsed.to }));
    return { rows: page.rows.map(instalmentView), nextAfter: page.nextAfter };
  }

  /**
   * Instalments of running plans due before `day` and not paid in full — those still in their grace days and those
   * missed — the longest overdue first (then by plan and number), keyset paged.
   */
  async overdue(day: string, options: InstalmentListOptions = {}): Promise<InstalmentPage<OverdueInstalmentView>> {
    const parsed = parseInput(OverdueParamsSchema, { ...options, day });
    const page = await this.unpaidInstalments(parsed, (query) => query.andWhere('i.dueDate < :day', { day: parsed.day }));
    const dayStarts = Date.parse(`${parsed.day}T00:00:00Z`);
    return {
      rows: page.rows.map((row) => ({
        ...instalmentView(row),
        daysOverdue: daysBetween(row.dueDate, parsed.day),
        inGrace: row.missesAt !== null && dayStarts < row.missesAt.getTime(),
      })),
      nextAfter: page.nextAfter,
    };
  }

  /** Instalments missed and not since paid in full, of plans still running (a payment may yet cure them), by due date. */
  async missed(options: InstalmentListOptions = {}): Promise<InstalmentPage<MissedInstalmentView>> {
    const parsed = parseInput(MissedParamsSchema, options);
    const page = await this.unpaidInstalments(parsed, (query) => query.andWhere(`i.status = 'missed'`));
    const planIds = [...new Set(page.rows.map((row) => row.planId))];
    const plans = new Map((planIds.length === 0 ? [] : await this.dataSource.manager.findBy(PlanRow, { planId: In(planIds) })).map((plan) => [plan.planId, plan]));
    return {
      rows: page.rows.map((row) => {
        const plan = plans.get(row.planId);
        return { ...instalmentView(row), missedUnpaid: plan?.missedUnpaid ?? 0, missedToDefault: plan?.missedToDefault ?? 0 };
      }),
      nextAfter: page.nextAfter,
    };
  }

  /**
   * Per proposer, aging bucket or risk tier (the case's when the plan was proposed): what became of the plans proposed
   * in the range (any proposal day when it is left open), as they stand now, narrowed to one proposer, bucket or tier.
   * Money is summed per currency, never across.
   */
  async performance(params: PlanPerformanceParams): Promise<PlanPerformance> {
    const parsed = parseInput(PlanPerformanceParamsSchema, params);
    const rows: PerformanceRow[] = await this.dataSource.manager.query(
      `with p as (
         select ${GROUP_COLUMN[parsed.groupBy]} as key, * from ${this.s}.plans
          where ($1::date is null or proposed_on >= $1::date) and ($2::date is null or proposed_on <= $2::date)
            and ($3::text is null or proposed_by = $3) and ($4::text is null or aging_bucket = $4) and ($5::text is null or risk_tier = $5)
       ),
       counts as (
         select key,
                count(*)::int as proposed,
                count(*) filter (where status in ('proposed', 'awaiting-approval'))::int as pending,
                count(*) filter (where accepted_at is not null)::int as accepted,
                count(*) filter (where status = 'running')::int as running,
                count(*) filter (where status = 'completed')::int as completed,
                count(*) filter (where status = 'defaulted')::int as defaulted,
                count(*) filter (where status = 'cancelled')::int as cancelled,
                count(*) filter (where status = 'cancelled' and accepted_at is not null)::int as cancelled_after_acceptance
           from p group by key
       ),
       instalments as (
         select p.key,
                count(*) filter (where i.status = 'paid')::int as paid_on_time,
                count(*) filter (where i.status = 'paid-late')::int as paid_late,
                count(*) filter (where i.was_missed)::int as missed
           from p join ${this.s}.instalments i on i.plan_id = p.plan_id group by p.key
       ),
       money as (
         select key, json_agg(json_build_object('currency', currency, 'agreed', agreed::text, 'collected', collected::text) order by currency) as amounts
           from (select key, currency, coalesce(sum(total_minor) filter (where accepted_at is not null), 0) as agreed, sum(paid_minor) as collected
                   from p group by key, currency) per_currency
          group by key
       )
       select c.*, i.paid_on_time, i.paid_late, i.missed, m.amounts
         from counts c
         join instalments i on i.key is not distinct from c.key
         join money m on m.key is not distinct from c.key
        order by array_position($6::text[], c.key) nulls last, c.key nulls last`,
      [parsed.from ?? null, parsed.to ?? null, parsed.proposedBy ?? null, parsed.agingBucket ?? null, parsed.riskTier ?? null, GROUP_ORDER[parsed.groupBy]],
    );
    return { groupBy: parsed.groupBy, from: parsed.from ?? null, to: parsed.to ?? null, groups: rows.map(performanceGroup) };
  }

  /** A page of the running plans' instalments not paid in full that `narrow` picks, by due date, plan id and number. */
  private async unpaidInstalments(
    parsed: { proposedBy?: string | undefined; currency?: string | undefined; limit: number; after?: InstalmentKey | undefined },
    narrow: (query: SelectQueryBuilder<InstalmentRow>) => SelectQueryBuilder<InstalmentRow>,
  ): Promise<{ rows: InstalmentRow[]; nextAfter: InstalmentKey | null }> {
    const page = this.dataSource.manager
      .createQueryBuilder(InstalmentRow, 'i')
      .innerJoin(PlanRow, 'p', 'p.planId = i.planId')
      .where(`p.status = 'running'`)
      .andWhere('i.status IN (:...unpaid)', { unpaid: UNPAID })
      .orderBy('i.dueDate', 'ASC')
      .addOrderBy('i.planId', 'ASC')
      .addOrderBy('i.number', 'ASC')
      .limit(parsed.limit + 1);
    narrow(page);
    if (parsed.proposedBy !== undefined) page.andWhere('p.proposedBy = :proposedBy', { proposedBy: parsed.proposedBy });
    if (parsed.currency !== undefined) page.andWhere('i.currency = :currency', { currency: parsed.currency });
    if (parsed.after !== undefined) {
      // Compared with the row itself, not with values carried in a cursor; it may have been paid since.
      const last = `(select a.due_date, a.plan_id, a.number from ${this.s}.instalments a where a.plan_id = :afterPlan and a.number = :afterNumber)`;
      page.andWhere(`(i.dueDate, i.planId, i.number) > ${last}`, { afterPlan: parsed.after.planId, afterNumber: parsed.after.number });
    }
    const rows = await page.getMany();
    const shown = rows.slice(0, parsed.limit);
    const last = shown.at(-1);
    return { rows: shown, nextAfter: rows.length > parsed.limit && last !== undefined ? { planId: last.planId, number: last.number } : null };
  }
}

/** Minor units of one currency as Money. */
function inCurrency(currency: string): (minor: number) => Money {
  return (minor) => ({ minor, currency });
}

function planView(row: PlanRow): PlanView {
  const money = inCurrency(row.currency);
  return {
    planId: row.planId,
    accountId: row.accountId,
    status: row.status,
    total: money(row.totalMinor),
    balance: money(row.balanceMinor),
    outcome: row.outcome,
    frequency: row.frequency,
    instalmentCount: row.instalmentCount,
    options: {
      feeWaiver: row.feeWaiverMinor === null ? null : money(row.feeWaiverMinor),
      interestFreeze: row.interestFreeze,
      termExtension: row.termExtension,
      settlement: row.settlementDiscountMinor === null ? null : { discount: money(row.settlementDiscountMinor), discountBasisPoints: row.settlementBasisPoints ?? 0 },
    },
    approvalsNeeded: row.approvalsNeeded,
    awaitingApproval: row.awaitingApproval,
    graceDays: row.graceDays,
    missedToDefault: row.missedToDefault,
    proposedBy: row.proposedBy,
    proposedAt: row.proposedAt.toISOString(),
    proposedOn: row.proposedOn,
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    acceptedOn: row.acceptedOn,
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    paid: money(row.paidMinor),
    outstanding: money(row.totalMinor - row.paidMinor),
    nextInstalment:
      row.nextInstalment === null || row.nextDueDate === null || row.nextDueMinor === null ? null : { number: row.nextInstalment, dueDate: row.nextDueDate, amount: money(row.nextDueMinor) },
    missedUnpaid: row.missedUnpaid,
    agingBucket: row.agingBucket,
    riskTier: row.riskTier,
    completedOn: row.completedOn,
    defaultedOn: row.defaultedOn,
    endedAt: row.endedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function instalmentView(row: InstalmentRow): InstalmentView {
  const money = inCurrency(row.currency);
  return {
    planId: row.planId,
    accountId: row.accountId,
    number: row.number,
    dueDate: row.dueDate,
    amount: money(row.amountMinor),
    paid: money(row.paidMinor),
    outstanding: money(row.amountMinor - row.paidMinor),
    status: row.status,
    missesAt: row.missesAt?.toISOString() ?? null,
    wasMissed: row.wasMissed,
    paidOn: row.paidOn,
  };
}

function performanceGroup(row: PerformanceRow): PlanPerformanceGroup {
  const decided = row.accepted + row.cancelled - row.cancelled_after_acceptance;
  const ended = row.completed + row.defaulted + row.cancelled_after_acceptance;
  const rate = (count: number, of: number) => (of === 0 ? null : count / of);
  return {
    key: row.key,
    proposed: row.proposed,
    pending: row.pending,
    accepted: row.accepted,
    running: row.running,
    completed: row.completed,
    defaulted: row.defaulted,
    cancelled: row.cancelled,
    cancelledAfterAcceptance: row.cancelled_after_acceptance,
    acceptanceRate: rate(row.accepted, decided),
    completionRate: rate(row.completed, ended),
    defaultRate: rate(row.defaulted, ended),
    instalments: { paidOnTime: row.paid_on_time, paidLate: row.paid_late, missed: row.missed },
    amounts: row.amounts.map((amount) => ({
      currency: amount.currency,
      agreed: toSafeInteger(amount.agreed, `agreed ${amount.currency}`),
      collected: toSafeInteger(amount.collected, `collected ${amount.currency}`),
    })),
  };
}

/** The read models as NATS queries (`<root>.qry.payment-plans.<Query>`), for the gateway; each validates its params. */
export function planQueryHandlers(queries: PlanQueries): Record<string, QueryHandler> {
  return {
    ActivePlans: (params) => queries.activePlans(params as ActivePlansOptions),
    Plan: async (params) => {
      const { planId, accountId } = parseInput(PlanParamsSchema, params as PlanParams);
      const plan = await queries.plan(planId);
      // Asked by way of a case, a plan of another case is not there: a collector sees only the cases they work.
      if (accountId !== undefined && plan.accountId !== accountId) throw new ArrearsError(ErrorCode.NOT_FOUND, `No plan ${planId} on account ${accountId}`, { field: 'planId' });
      return plan;
    },
    AccountPlans: (params) => queries.ofAccount(params as AccountPlansParams),
    /** Without `to`, the instalments due on `from` alone. */
    InstalmentsDue: ({ from, to, ...options }) => queries.dueBetween(from as string, (to ?? from) as string, options as InstalmentListOptions),
    InstalmentsOverdue: ({ day, ...options }) => queries.overdue(day as string, options as InstalmentListOptions),
    InstalmentsMissed: (params) => queries.missed(params as InstalmentListOptions),
    PlanPerformance: (params) => queries.performance(params as PlanPerformanceParams),
  };
}
