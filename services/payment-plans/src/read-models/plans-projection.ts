import { accounts, ArrearsError, ErrorCode, EventCatalog, paymentPlans, streamCategory, type EventEnvelope, type Money } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { processOnce, type SqlExecutor, type TransactionRunner } from '@arrears/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { ACTIVE_PLAN_STATUSES, CaseSegmentRow, InstalmentRow, PlanRow, SegmentChangeRow, UNPAID_INSTALMENT_STATUSES, type PlanStatus, type SegmentKind } from './entities';
import { schemaOf } from './schema';

export interface PlansProjectionOptions {
  readonly dataSource: DataSource;
  /**
   * The name `processOnce` records applied events under: the handler's durable consumer
   * (`JetStreamContext.getConsumerName()`), e.g. `payment-plans__read-models`.
   */
  readonly consumer: string;
}

type PlanEvent = paymentPlans.PlanEvent;
type DataOf<T extends PlanEvent['type']> = Extract<PlanEvent, { type: T }>['data'];
type SegmentEvent = Extract<accounts.AccountEvent, { type: (typeof SEGMENT_EVENT_TYPES)[number] }>;
/** Money an event carries, with the field that names it in an error. */
type Amounts = readonly (readonly [Money, string])[];

/** The account events this read model needs: every other account event type is ignored without being read. */
export const SEGMENT_EVENT_TYPES = ['AgingBucketChanged', 'RiskTierChanged'] as const;

interface Applied {
  readonly streamId: string;
  readonly streamPosition: number;
  readonly occurredAt: string;
}

const planCatalog = new EventCatalog(paymentPlans.PLAN_EVENTS);
const accountCatalog = new EventCatalog(accounts.ACCOUNT_EVENTS);
const ACTIVE: readonly PlanStatus[] = ACTIVE_PLAN_STATUSES;
const RUNNING: readonly PlanStatus[] = ['running'];
/** An ended plan has no next instalment. */
const NO_NEXT = { nextInstalment: null, nextDueDate: null, nextDueMinor: null } as const;

/**
 * Keeps `plans`, `instalments`, `case_segments` and `case_segment_changes` from two services' events: the plan streams
 * (`plan-<accountId>`, every event) and the account streams (`account-<accountId>`, only the aging-bucket and
 * risk-tier changes). `handle` tells them apart by the stream's category, so one handler or two may feed it.
 *
 * Each event is applied in one transaction together with its `processOnce` record, so a redelivery changes nothing.
 * Independently of that record, every event is guarded by the last position applied of its stream, kept on the case's
 * `case_segments` row (locked first, which also serialises the two streams of one case): an event at or below it is
 * skipped, so replaying a history (under another consumer name, or from the start) changes nothing either. A plan
 * event whose predecessor has not been applied yet is refused (CONCURRENCY_CONFLICT) to be retried; an account stream
 * may have gaps (the events this read model does not need, perhaps filtered out by the subscription).
 *
 * A plan's bucket and tier are the ones in effect at its PlanProposed's `occurredAt`, looked up in the case's segment
 * changes; a change that arrives after plans it precedes corrects their snapshot. So the rows depend on what happened
 * when, never on which of the two streams was delivered first.
 */
export class PlansProjection {
  private readonly dataSource: DataSource;
  private readonly consumer: string;
  private readonly schema: string;
  private readonly s: string;

  constructor(options: PlansProjectionOptions) {
    this.dataSource = options.dataSource;
    this.consumer = options.consumer;
    this.schema = schemaOf(options.dataSource);
    this.s = quoteIdentifier(this.schema);
  }

  async handle(envelope: EventEnvelope): Promise<void> {
    const category = streamCategory(envelope.streamId);
    if (category === 'plan') return this.planEvent(envelope);
    if (category === 'account') return this.accountEvent(envelope);
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} arrived on stream ${envelope.streamId}: the plan read models read only plan-… and account-… streams`, {
      field: 'streamId',
    });
  }

  private async planEvent(envelope: EventEnvelope): Promise<void> {
    const event = planCatalog.decode(envelope);
    const { accountId, planId } = event.data;
    expectStream(envelope, `plan-${accountId}`, accountId);
    const at: Applied = { streamId: envelope.streamId, streamPosition: envelope.streamPosition, occurredAt: envelope.occurredAt };
    await this.once(envelope, async (manager) => {
      const segments = await this.lockCase(manager, accountId);
      if (at.streamPosition <= segments.planPosition) return;
      if (at.streamPosition !== segments.planPosition + 1) throw outOfOrder(at, segments.planPosition + 1);
      await this.applyPlan(manager, event, at);
      await this.refreshPlan(manager, planId, at);
      await manager.update(CaseSegmentRow, { accountId }, { planPosition: at.streamPosition });
    });
  }

  private async accountEvent(envelope: EventEnvelope): Promise<void> {
    if (!(SEGMENT_EVENT_TYPES as readonly string[]).includes(envelope.type)) return;
    const event = accountCatalog.decode(envelope);
    if (!isSegmentEvent(event)) throw new Error(`${envelope.type} decoded as ${event.type}`);
    expectStream(envelope, `account-${event.data.accountId}`, event.data.accountId);
    const at: Applied = { streamId: envelope.streamId, streamPosition: envelope.streamPosition, occurredAt: envelope.occurredAt };
    await this.once(envelope, async (manager) => {
      const segments = await this.lockCase(manager, event.data.accountId);
      if (at.streamPosition <= segments.accountPosition) return;
      await this.applySegment(manager, event, at);
    });
  }

  /** The event's work and its processOnce record in one transaction. */
  private async once(envelope: EventEnvelope, work: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // processOnce opens no transaction of its own here: it runs inside this one, beside the rows it guards.
      const inThisTransaction: TransactionRunner = { transaction: (run) => run(sqlExecutor(manager)) };
      await processOnce(inThisTransaction, this.consumer, envelope, () => work(manager), { schema: this.schema });
    });
  }

  /** The case's row, made if new and locked: every event of a case, from either stream, goes through it one at a time. */
  private async lockCase(manager: EntityManager, accountId: string): Promise<CaseSegmentRow> {
    await manager.query(`insert into ${this.s}.case_segments (account_id, account_position, plan_position) values ($1, -1, -1) on conflict (account_id) do nothing`, [accountId]);
    const row = await manager.findOne(CaseSegmentRow, { where: { accountId }, lock: { mode: 'pessimistic_write' } });
    if (row === null) throw new Error(`case_segments row ${accountId} missing right after it was made`);
    return row;
  }

  private async applyPlan(manager: EntityManager, event: PlanEvent, at: Applied): Promise<void> {
    const occurredAt = new Date(at.occurredAt);
    switch (event.type) {
      case 'PlanProposed':
        return this.proposed(manager, event.data, at);
      case 'PlanApproved': {
        const { data } = event;
        await this.expectPlan(manager, data, ['awaiting-approval'], []);
        await manager.update(PlanRow, { planId: data.planId }, { status: 'proposed', awaitingApproval: [], approvedBy: data.approvedBy, approvedAt: occurredAt });
        return;
      }
      case 'PlanAccepted':
        return this.accepted(manager, event.data, occurredAt);
      case 'InstalmentPartiallyPaid': {
        const { data } = event;
        const instalment = await this.expectInstalment(manager, data, paymentAmounts(data));
        await manager.update(InstalmentRow, key(data), { paidMinor: data.paidTotal.minor, status: instalment.wasMissed ? 'missed' : 'partly-paid' });
        return;
      }
      case 'InstalmentPaid': {
        const { data } = event;
        const instalment = await this.expectInstalment(manager, data, paymentAmounts(data));
        await manager.update(InstalmentRow, key(data), {
          paidMinor: data.paidTotal.minor,
          status: data.late ? 'paid-late' : 'paid',
          wasMissed: instalment.wasMissed || data.wasMissed,
          paidOn: data.receivedOn,
        });
        return;
      }
      case 'InstalmentMissed': {
        const { data } = event;
        await this.expectInstalment(manager, data, [
          [data.amount, 'data.amount'],
          [data.paid, 'data.paid'],
        ]);
        await manager.update(InstalmentRow, key(data), { paidMinor: data.paid.minor, status: 'missed', wasMissed: true });
        return;
      }
      case 'PlanDefaulted': {
        const { data } = event;
        await this.expectPlan(manager, data, RUNNING, [
          [data.total, 'data.total'],
          [data.paid, 'data.paid'],
          [data.outstanding, 'data.outstanding'],
        ]);
        await manager.update(PlanRow, { planId: data.planId }, { status: 'defaulted', defaultedOn: data.defaultedOn, endedAt: occurredAt, ...NO_NEXT });
        return;
      }
      case 'PlanCompleted': {
        const { data } = event;
        await this.expectPlan(manager, data, RUNNING, [
          [data.total, 'data.total'],
          [data.paid, 'data.paid'],
        ]);
        await manager.update(PlanRow, { planId: data.planId }, { status: 'completed', outcome: data.outcome, completedOn: data.completedOn, endedAt: occurredAt, ...NO_NEXT });
        return;
      }
      case 'PlanCancelled': {
        const { data } = event;
        // The reason is free text, perhaps about the debtor's circumstances: it is not kept here.
        await this.expectPlan(manager, data, ACTIVE, []);
        await manager.update(PlanRow, { planId: data.planId }, { status: 'cancelled', endedAt: occurredAt, ...NO_NEXT });
        return;
      }
      default:
        return unreachable(event);
    }
  }

  private async proposed(manager: EntityManager, data: DataOf<'PlanProposed'>, at: Applied): Promise<void> {
    sameCurrency(data.total.currency, [
      [data.balance, 'data.balance'],
      ...data.schedule.map((instalment, index) => [instalment.amount, `data.schedule.${index}.amount`] as const),
      ...(data.options.feeWaiver === undefined ? [] : [[data.options.feeWaiver.waived, 'data.options.feeWaiver.waived'] as const]),
      ...(data.options.settlement === undefined ? [] : [[data.options.settlement.discount, 'data.options.settlement.discount'] as const]),
    ]);
    const [snapshot] = (await manager.query(`select (${this.segmentAt('bucket', '$1', '$2::timestamptz')}) as bucket, (${this.segmentAt('tier', '$1', '$2::timestamptz')}) as tier`, [
      data.accountId,
      at.occurredAt,
    ])) as { bucket: string | null; tier: string | null }[];
    const awaiting = data.approvalsNeeded.map((needed) => needed.option);
    // A plain insert: the position guard has made sure this event is new, so a plan id already here is a fault
    // upstream (one plan proposed on two cases), left to fail loudly rather than be dropped.
    await manager.insert(PlanRow, {
      planId: data.planId,
      accountId: data.accountId,
      status: awaiting.length > 0 ? 'awaiting-approval' : 'proposed',
      currency: data.total.currency,
      balanceMinor: data.balance.minor,
      totalMinor: data.total.minor,
      outcome: data.outcome,
      frequency: data.frequency,
      instalmentCount: data.schedule.length,
      feeWaiverMinor: data.options.feeWaiver?.waived.minor ?? null,
      interestFreeze: data.options.interestFreeze,
      termExtension: data.options.termExtension,
      settlementDiscountMinor: data.options.settlement?.discount.minor ?? null,
      settlementBasisPoints: data.options.settlement?.discountBasisPoints ?? null,
      approvalsNeeded: awaiting,
      awaitingApproval: awaiting,
      graceDays: data.graceDays,
      missedToDefault: data.missedToDefault,
      proposedBy: data.proposedBy,
      proposedAt: new Date(at.occurredAt),
      proposedOn: new Date(at.occurredAt).toISOString().slice(0, 10),
      approvedBy: null,
      approvedAt: null,
      acceptedOn: null,
      acceptedAt: null,
      paidMinor: 0,
      missedUnpaid: 0,
      nextInstalment: null,
      nextDueDate: null,
      nextDueMinor: null,
      agingBucket: (snapshot?.bucket ?? null) as PlanRow['agingBucket'],
      riskTier: (snapshot?.tier ?? null) as PlanRow['riskTier'],
      completedOn: null,
      defaultedOn: null,
      endedAt: null,
      updatedAt: new Date(at.occurredAt),
    });
    await manager.insert(
      InstalmentRow,
      data.schedule.map((instalment) => newInstalment(data, instalment, null)),
    );
  }

  /** The plan runs on the schedule the debtor accepted, each instalment now with the moment it counts as missed. */
  private async accepted(manager: EntityManager, data: DataOf<'PlanAccepted'>, occurredAt: Date): Promise<void> {
    await this.expectPlan(manager, data, ['proposed'], [[data.total, 'data.total'], ...data.schedule.map((instalment, index) => [instalment.amount, `data.schedule.${index}.amount`] as const)]);
    await manager.update(
      PlanRow,
      { planId: data.planId },
      { status: 'running', acceptedOn: data.acceptedOn, acceptedAt: occurredAt, totalMinor: data.total.minor, outcome: data.outcome, instalmentCount: data.schedule.length },
    );
    await manager.query(`delete from ${this.s}.instalments where plan_id = $1 and number > $2`, [data.planId, data.schedule.length]);
    await manager.upsert(
      InstalmentRow,
      data.schedule.map((instalment) => newInstalment(data, instalment, new Date(instalment.missesAt))),
      ['planId', 'number'],
    );
  }

  /** What every plan event may change of the plan's figures, taken again from its instalments. */
  private async refreshPlan(manager: EntityManager, planId: string, at: Applied): Promise<void> {
    const active = `p.status = any($3::text[])`;
    await manager.query(
      `update ${this.s}.plans p
          set paid_minor = totals.paid,
              missed_unpaid = totals.missed,
              next_instalment = case when ${active} then next.number end,
              next_due_date = case when ${active} then next.due_date end,
              next_due_minor = case when ${active} then next.amount_minor - next.paid_minor end,
              updated_at = $2::timestamptz
         from (select coalesce(sum(paid_minor), 0) as paid, count(*) filter (where status = 'missed')::int as missed
                 from ${this.s}.instalments where plan_id = $1) totals
         left join lateral (select number, due_date, amount_minor, paid_minor from ${this.s}.instalments
                             where plan_id = $1 and status = any($4::text[]) order by number limit 1) next on true
        where p.plan_id = $1`,
      [planId, at.occurredAt, ACTIVE, UNPAID_INSTALMENT_STATUSES],
    );
  }

  /**
   * The plan an event is about, in one of the statuses the event can follow, its amounts in the plan's currency. It
   * was proposed earlier in the same stream, so it is here: a missing one, or one the event cannot apply to, is a fault
   * upstream, left to the dead letters rather than guessed at.
   */
  private async expectPlan(manager: EntityManager, data: { planId: string; accountId: string }, statuses: readonly PlanStatus[], amounts: Amounts): Promise<PlanRow> {
    const plan = await manager.findOne(PlanRow, { where: { planId: data.planId, accountId: data.accountId } });
    if (plan === null) {
      throw new ArrearsError(ErrorCode.NOT_FOUND, `No plan ${data.planId} of case ${data.accountId} in the plan read model, though every earlier event of its stream has been applied`, {
        field: 'data.planId',
      });
    }
    if (!statuses.includes(plan.status)) {
      throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Plan ${plan.planId} is ${plan.status} in the plan read model; this event applies to a plan ${statuses.join(' or ')}`, {
        field: 'data.planId',
        details: { status: plan.status },
      });
    }
    sameCurrency(plan.currency, amounts, `plan ${plan.planId} is in`);
    return plan;
  }

  /** The instalment a payment or miss is about, of a running plan. */
  private async expectInstalment(manager: EntityManager, data: { planId: string; accountId: string; number: number }, amounts: Amounts): Promise<InstalmentRow> {
    await this.expectPlan(manager, data, RUNNING, amounts);
    const instalment = await manager.findOne(InstalmentRow, { where: key(data) });
    if (instalment === null) throw new ArrearsError(ErrorCode.NOT_FOUND, `Plan ${data.planId} has no instalment ${data.number}`, { field: 'data.number' });
    return instalment;
  }

  private async applySegment(manager: EntityManager, event: SegmentEvent, at: Applied): Promise<void> {
    const { accountId } = event.data;
    const kind: SegmentKind = event.type === 'AgingBucketChanged' ? 'bucket' : 'tier';
    await manager.insert(SegmentChangeRow, { accountId, streamPosition: at.streamPosition, kind, segment: event.data.to, occurredAt: new Date(at.occurredAt) });
    // The guard only lets positions rise, so this change is the case's latest of its kind.
    const current =
      event.type === 'AgingBucketChanged'
        ? { agingBucket: event.data.to, daysPastDue: event.data.daysPastDue, bucketAsOf: event.data.asOf }
        : { riskTier: event.data.to, riskScore: event.data.score, tierAsOf: event.data.asOf };
    await manager.update(CaseSegmentRow, { accountId }, { ...current, accountPosition: at.streamPosition });
    // Plans proposed from this change on may have been applied before it (the streams are delivered independently):
    // each takes again the segment in effect when it was proposed, which this change may or may not be.
    const column = kind === 'bucket' ? 'aging_bucket' : 'risk_tier';
    await manager.query(
      `update ${this.s}.plans p set ${column} = (${this.segmentAt(kind, 'p.account_id', 'p.proposed_at')})
        where p.account_id = $1 and p.proposed_at >= $2::timestamptz`,
      [accountId, at.occurredAt],
    );
  }

  /** SQL for the case's bucket or tier in effect at an instant: its latest change (by stream position) up to then. */
  private segmentAt(kind: SegmentKind, accountId: string, instant: string): string {
    return `select c.segment from ${this.s}.case_segment_changes c
             where c.account_id = ${accountId} and c.kind = '${kind}' and c.occurred_at <= ${instant}
             order by c.stream_position desc limit 1`;
  }
}

function key(data: { planId: string; number: number }): { planId: string; number: number } {
  return { planId: data.planId, number: data.number };
}

function paymentAmounts(data: DataOf<'InstalmentPartiallyPaid'>): Amounts {
  return [
    [data.applied, 'data.applied'],
    [data.paidTotal, 'data.paidTotal'],
    [data.amount, 'data.amount'],
  ];
}

function newInstalment(plan: { planId: string; accountId: string }, instalment: paymentPlans.Instalment, missesAt: Date | null): InstalmentRow {
  return {
    planId: plan.planId,
    accountId: plan.accountId,
    number: instalment.number,
    currency: instalment.amount.currency,
    dueDate: instalment.dueDate,
    amountMinor: instalment.amount.minor,
    paidMinor: 0,
    status: 'upcoming',
    missesAt,
    wasMissed: false,
    paidOn: null,
  };
}

/** Every amount in `currency`, or VALIDATION_FAILED on the first that is not. */
function sameCurrency(currency: string, amounts: Amounts, what = 'the plan is in'): void {
  for (const [amount, field] of amounts) {
    if (amount.currency !== currency) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field}.currency is ${amount.currency}, but ${what} ${currency}`, { field: `${field}.currency` });
    }
  }
}

function isSegmentEvent(event: accounts.AccountEvent): event is SegmentEvent {
  return (SEGMENT_EVENT_TYPES as readonly string[]).includes(event.type);
}

function expectStream(envelope: EventEnvelope, expected: string, accountId: string): void {
  if (envelope.streamId !== expected) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} for case ${accountId} arrived on stream ${envelope.streamId}, not ${expected}`, { field: 'streamId' });
  }
}

function outOfOrder(at: Applied, expected: number): ArrearsError {
  return new ArrearsError(
    ErrorCode.CONCURRENCY_CONFLICT,
    `${at.streamId}: the event at position ${at.streamPosition} arrived before position ${expected} was applied; it will apply once its predecessors have`,
    { field: 'streamPosition', details: { streamId: at.streamId, expected, actual: at.streamPosition } },
  );
}

/** A TypeORM manager inside a transaction as processOnce's SqlExecutor: rows for every statement. */
function sqlExecutor(manager: EntityManager): SqlExecutor {
  const runner = manager.queryRunner;
  if (runner === undefined) throw new Error('processOnce needs the transaction manager of dataSource.transaction()');
  return { query: async (sql, params) => ({ rows: (await runner.query(sql, params as unknown[] | undefined, true)).records ?? [] }) };
}

function unreachable(value: never): never {
  throw new Error(`Unhandled plan event: ${JSON.stringify(value)}`);
}
