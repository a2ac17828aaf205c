import { ArrearsError, ErrorCode, EventCatalog, promisesToPay, type EventEnvelope, type Money } from '@arrears/contracts';
import { CaseSegments, isCasePlacement, recordCasePlacement, type ProjectionTarget } from '@arrears/read-models';
import type { DataSource, EntityManager } from 'typeorm';
import { CasePlacementRow, CaseSegmentRow, PromiseRow } from './entities';
import { schemaOf } from './schema';

export { SEGMENT_EVENT_TYPES } from '@arrears/read-models';

export interface PromisesProjectionOptions {
  readonly dataSource: DataSource;
  /**
   * The name `processOnce` records applied events under: the handler's durable consumer
   * (`JetStreamContext.getConsumerName()`), e.g. `promises-to-pay__read-models`.
   */
  readonly consumer: string;
}

type PromiseEvent = promisesToPay.PromiseEvent;
type EventOfType<T extends PromiseEvent['type']> = Extract<PromiseEvent, { type: T }>;

const promiseCatalog = new EventCatalog(promisesToPay.PROMISE_EVENTS);

/**
 * Keeps `promises`, `case_segments` and `case_segment_changes` from two services' events: the promise streams
 * (`promise-<accountId>`, every event) and the account streams (`account-<accountId>`, only the aging-bucket and
 * risk-tier changes). `handle` tells them apart by the stream's category, so one handler or two may feed it.
 *
 * `CaseSegments` (@arrears/read-models) applies each event in one transaction together with its `processOnce` record,
 * guarded by the last position applied of its stream on the case's `case_segments` row, so neither a redelivery nor a
 * replay changes anything; a promise event whose predecessor has not been applied yet is refused (CONCURRENCY_CONFLICT)
 * to be retried, while an account stream may have gaps. It keeps the case's segments too; this class applies the
 * promise events.
 *
 * A promise's bucket and tier are the ones in effect at its PromiseRecorded's `occurredAt`, looked up in the case's
 * segment changes; a change that arrives after promises it precedes corrects their snapshot. So the rows depend on what
 * happened when, never on which of the two streams was delivered first.
 *
 * An account's AccountPlaced gives its case's creditor, product and the debtor's jurisdiction (`case_placements`),
 * which the worklists and rates narrow by: they never change, so the row is written once, whenever it arrives.
 */
export class PromisesProjection {
  private readonly segments: CaseSegments;
  private readonly target: ProjectionTarget;

  constructor(options: PromisesProjectionOptions) {
    this.target = { dataSource: options.dataSource, consumer: options.consumer, schema: schemaOf(options.dataSource) };
    this.segments = new CaseSegments({
      dataSource: options.dataSource,
      consumer: options.consumer,
      schema: schemaOf(options.dataSource),
      entity: CaseSegmentRow,
      ownStream: 'promise',
      snapshots: { table: 'promises', takenAt: 'recorded_at' },
    });
  }

  async handle(envelope: EventEnvelope): Promise<void> {
    const category = envelope.streamId.slice(0, envelope.streamId.indexOf('-'));
    if (category === 'promise') return this.promiseEvent(envelope);
    if (isCasePlacement(envelope)) return recordCasePlacement(this.target, CasePlacementRow, envelope);
    if (category === 'account') return this.segments.accountEvent(envelope);
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} arrived on stream ${envelope.streamId}: the promise read models read only promise-… and account-… streams`, {
      field: 'streamId',
    });
  }

  private async promiseEvent(envelope: EventEnvelope): Promise<void> {
    const event = promiseCatalog.decode(envelope);
    await this.segments.ownEvent(envelope, event.data.accountId, (manager) => this.applyPromise(manager, event, envelope.occurredAt));
  }

  /** Applies a promise event that `CaseSegments` found new and next in its stream, `occurredAt` its business time. */
  private async applyPromise(manager: EntityManager, event: PromiseEvent, occurredAt: string): Promise<void> {
    switch (event.type) {
      case 'PromiseRecorded':
        return this.recorded(manager, event.data, occurredAt);
      case 'PromisePartiallyKept': {
        const { data } = event;
        await this.expectPromise(manager, data, [data.applied, data.paidTotal, data.promised], ['data.applied', 'data.paidTotal', 'data.promised']);
        await manager.update(PromiseRow, { promiseId: data.promiseId }, { paidMinor: data.paidTotal.minor });
        return;
      }
      case 'PromiseKept': {
        const { data } = event;
        await this.expectPromise(manager, data, [data.applied, data.paidTotal, data.promised], ['data.applied', 'data.paidTotal', 'data.promised']);
        await manager.update(PromiseRow, { promiseId: data.promiseId }, { status: 'kept', keptAt: new Date(occurredAt), paidMinor: data.paidTotal.minor });
        return;
      }
      case 'PromiseBroken': {
        const { data } = event;
        await this.expectPromise(manager, data, [data.paid, data.promised], ['data.paid', 'data.promised']);
        await manager.update(PromiseRow, { promiseId: data.promiseId }, { status: 'broken', brokenAt: new Date(occurredAt), brokenOn: data.brokenOn, paidMinor: data.paid.minor });
        return;
      }
      case 'PromiseCancelled': {
        const { data } = event;
        await this.expectPromise(manager, data, [], []);
        await manager.update(PromiseRow, { promiseId: data.promiseId }, { status: 'cancelled', cancelledAt: new Date(occurredAt) });
        return;
      }
      default:
        return unreachable(event);
    }
  }

  private async recorded(manager: EntityManager, data: EventOfType<'PromiseRecorded'>['data'], occurredAt: string): Promise<void> {
    const { agingBucket, riskTier } = await this.segments.inEffectAt(manager, data.accountId, occurredAt);
    // A plain insert: the position guard has made sure this event is new, so a promise id already here is a fault
    // upstream (one promise recorded on two cases), left to fail loudly rather than be dropped.
    await manager.insert(PromiseRow, {
      promiseId: data.promiseId,
      accountId: data.accountId,
      amountMinor: data.amount.minor,
      currency: data.amount.currency,
      paidMinor: 0,
      madeOn: data.madeOn,
      dueDate: data.dueDate,
      graceDays: data.graceDays,
      breaksAt: new Date(data.breaksAt),
      recordedAt: new Date(occurredAt),
      channel: data.channel,
      operatorId: data.operatorId,
      status: 'open',
      agingBucket,
      riskTier,
      keptAt: null,
      brokenAt: null,
      brokenOn: null,
      cancelledAt: null,
    });
  }

  /**
   * The promise an event is about; its amounts must be in the promise's currency. It was recorded earlier in the same
   * stream, so it is here: a missing one is a fault upstream, left to the dead letters rather than guessed at.
   */
  private async expectPromise(manager: EntityManager, data: { promiseId: string; accountId: string }, amounts: readonly Money[], fields: readonly string[]): Promise<void> {
    const promise = await manager.findOne(PromiseRow, { where: { promiseId: data.promiseId, accountId: data.accountId } });
    if (promise === null) {
      throw new ArrearsError(ErrorCode.NOT_FOUND, `No promise ${data.promiseId} of case ${data.accountId} in the promise read model, though every earlier event of its stream has been applied`, {
        field: 'data.promiseId',
      });
    }
    amounts.forEach((amount, index) => {
      if (amount.currency !== promise.currency) {
        const field = `${fields[index] ?? 'data'}.currency`;
        throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field} is ${amount.currency}, but promise ${promise.promiseId} was made in ${promise.currency}`, { field });
      }
    });
  }
}

function unreachable(value: never): never {
  throw new Error(`Unhandled promise event: ${JSON.stringify(value)}`);
}
