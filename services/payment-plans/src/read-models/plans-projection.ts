import { ArrearsError, ErrorCode, EventCatalog, paymentPlans, streamCategory, type EventEnvelope, type Money } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { CaseSegments } from '@arrears/read-models';
import type { DataSource, EntityManager } from 'typeorm';
import { ACTIVE_PLAN_STATUSES, CaseSegmentRow, InstalmentRow, PlanRow, UNPAID_INSTALMENT_STATUSES, type PlanStatus } from './entities';
import { schemaOf } from './schema';

export { SEGMENT_EVENT_TYPES } from '@arrears/read-models';

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
/** Money an event carries, with the field that names it in an error. */
type Amounts = readonly (readonly [Money, string])[];

const planCatalog = new EventCatalog(paymentPlans.PLAN_EVENTS);
const ACTIVE: readonly PlanStatus[] = ACTIVE_PLAN_STATUSES;
const RUNNING: readonly PlanStatus[] = ['running'];
/** An ended plan has no next instalment. */
const NO_NEXT = { nextInstalment: null, nextDueDate: null, nextDueMinor: null } as const;

/**
 * Keeps `plans`, `instalments`, `case_segments` and `case_segment_changes` from two services' events: the plan streams
 * (`plan-<accountId>`, every event) and the account streams (`account-<accountId>`, only the aging-bucket and
 * risk-tier changes). `handle` tells them apart by the stream's category, so one handler or two may feed it.
 *
 * `CaseSegments` (@arrears/read-models) applies each event in one transaction together with its `processOnce` record,
 * guarded by the last position applied of its stream on the case's `case_segments` row, so neither a redelivery nor a
 * replay changes anything; a plan event whose predecessor has not been applied yet is refused (CONCURRENCY_CONFLICT) to
 * be retried, while an account stream may have gaps. It keeps the case's segments too; this class applies the plan
 * events.
 *
 * A plan's bucket and tier are the ones in effect at its PlanProposed's `occurredAt`, looked up in the case's segment
 * changes; a change that arrives after plans it precedes corrects their snapshot. So the rows depend on what happened
 * when, never on which of the two streams was delivered first.
 */
export class PlansProjection {
  private readonly s: string;
  private readonly segments: CaseSegments;

  constructor(options: PlansProjectionOptions) {
    const schema = schemaOf(options.dataSource);
    this.s = quoteIdentifier(schema);
    this.segments = new CaseSegments({
      dataSource: options.dataSource,
      consumer: options.consumer,
      schema,
      entity: CaseSegmentRow,
      ownStream: 'plan',
      snapshots: { table: 'plans', takenAt: 'proposed_at' },
    });
  }

  async handle(envelope: EventEnvelope): Promise<void> {
    const category = streamCategory(envelope.streamId);
    if (category === 'plan') return this.planEvent(envelope);
    if (category === 'account') return this.segments.accountEvent(envelope);
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} arrived on stream ${envelope.streamId}: the plan read models read only plan-… and account-… streams`, {
      field: 'streamId',
    });
  }

  private async planEvent(envelope: EventEnvelope): Promise<void> {
    const event = planCatalog.decode(envelope);
    const { accountId, planId } = event.data;
    await this.segments.ownEvent(envelope, accountId, async (manager) => {
      await this.applyPlan(manager, event, envelope.occurredAt);
      await this.refreshPlan(manager, planId, envelope.occurredAt);
    });
  }

  /** Applies a plan event that `CaseSegments` found new and next in its stream, at its business time `at`. */
  private async applyPlan(manager: EntityManager, event: PlanEvent, at: string): Promise<void> {
    const occurredAt = new Date(at);
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

  private async proposed(manager: EntityManager, data: DataOf<'PlanProposed'>, at: string): Promise<void> {
    sameCurrency(data.total.currency, [
      [data.balance, 'data.balance'],
      ...data.schedule.map((instalment, index) => [instalment.amount, `data.schedule.${index}.amount`] as const),
      ...(data.options.feeWaiver === undefined ? [] : [[data.options.feeWaiver.waived, 'data.options.feeWaiver.waived'] as const]),
      ...(data.options.settlement === undefined ? [] : [[data.options.settlement.discount, 'data.options.settlement.discount'] as const]),
    ]);
    const { agingBucket, riskTier } = await this.segments.inEffectAt(manager, data.accountId, at);
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
      proposedAt: new Date(at),
      proposedOn: new Date(at).toISOString().slice(0, 10),
      approvedBy: null,
      approvedAt: null,
      acceptedOn: null,
      acceptedAt: null,
      paidMinor: 0,
      missedUnpaid: 0,
      nextInstalment: null,
      nextDueDate: null,
      nextDueMinor: null,
      agingBucket,
      riskTier,
      completedOn: null,
      defaultedOn: null,
      endedAt: null,
      updatedAt: new Date(at),
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
  private async refreshPlan(manager: EntityManager, planId: string, at: string): Promise<void> {
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
      [planId, at, ACTIVE, UNPAID_INSTALMENT_STATUSES],
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

function unreachable(value: never): never {
  throw new Error(`Unhandled plan event: ${JSON.stringify(value)}`);
}
