import { accounts, ArrearsError, ErrorCode, EventCatalog, promisesToPay, type EventEnvelope, type Money } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { processOnce, type SqlExecutor, type TransactionRunner } from '@arrears/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import { CaseSegmentRow, PromiseRow, SegmentChangeRow, type SegmentKind } from './entities';
import { schemaOf } from './schema';

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
type SegmentEvent = Extract<accounts.AccountEvent, { type: (typeof SEGMENT_EVENT_TYPES)[number] }>;

/** The account events this read model needs: every other account event type is ignored without being read. */
export const SEGMENT_EVENT_TYPES = ['AgingBucketChanged', 'RiskTierChanged'] as const;

interface Applied {
  readonly streamId: string;
  readonly streamPosition: number;
  readonly occurredAt: string;
}

const promiseCatalog = new EventCatalog(promisesToPay.PROMISE_EVENTS);
const accountCatalog = new EventCatalog(accounts.ACCOUNT_EVENTS);

/**
 * Keeps `promises`, `case_segments` and `case_segment_changes` from two services' events: the promise streams
 * (`promise-<accountId>`, every event) and the account streams (`account-<accountId>`, only the aging-bucket and
 * risk-tier changes). `handle` tells them apart by the stream's category, so one handler or two may feed it.
 *
 * Each event is applied in one transaction together with its `processOnce` record, so a redelivery changes nothing.
 * Independently of that record, every event is guarded by the last position applied of its stream, kept on the case's
 * `case_segments` row (locked first, which also serialises the two streams of one case): an event at or below it is
 * skipped, so replaying a history (under another consumer name, or from the start) changes nothing either. A promise
 * event whose predecessor has not been applied yet is refused (CONCURRENCY_CONFLICT) to be retried; an account stream
 * may have gaps (the events this read model does not need, perhaps filtered out by the subscription).
 *
 * A promise's bucket and tier are the ones in effect at its PromiseRecorded's `occurredAt`, looked up in the case's
 * segment changes; a change that arrives after promises it precedes corrects their snapshot. So the rows depend on what
 * happened when, never on which of the two streams was delivered first.
 */
export class PromisesProjection {
  private readonly dataSource: DataSource;
  private readonly consumer: string;
  private readonly schema: string;
  private readonly s: string;

  constructor(options: PromisesProjectionOptions) {
    this.dataSource = options.dataSource;
    this.consumer = options.consumer;
    this.schema = schemaOf(options.dataSource);
    this.s = quoteIdentifier(this.schema);
  }

  async handle(envelope: EventEnvelope): Promise<void> {
    const category = envelope.streamId.slice(0, envelope.streamId.indexOf('-'));
    if (category === 'promise') return this.promiseEvent(envelope);
    if (category === 'account') return this.accountEvent(envelope);
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} arrived on stream ${envelope.streamId}: the promise read models read only promise-… and account-… streams`, {
      field: 'streamId',
    });
  }

  private async promiseEvent(envelope: EventEnvelope): Promise<void> {
    const event = promiseCatalog.decode(envelope);
    expectStream(envelope, `promise-${event.data.accountId}`, event.data.accountId);
    const at: Applied = { streamId: envelope.streamId, streamPosition: envelope.streamPosition, occurredAt: envelope.occurredAt };
    await this.once(envelope, async (manager) => {
      const segments = await this.lockCase(manager, event.data.accountId);
      if (at.streamPosition <= segments.promisePosition) return;
      if (at.streamPosition !== segments.promisePosition + 1) throw outOfOrder(at, segments.promisePosition + 1);
      await this.applyPromise(manager, event, at);
      await manager.update(CaseSegmentRow, { accountId: event.data.accountId }, { promisePosition: at.streamPosition });
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
    await manager.query(
      `insert into ${this.s}.case_segments (account_id, account_position, promise_position) values ($1, -1, -1) on conflict (account_id) do nothing`,
      [accountId],
    );
    const row = await manager.findOne(CaseSegmentRow, { where: { accountId }, lock: { mode: 'pessimistic_write' } });
    if (row === null) throw new Error(`case_segments row ${accountId} missing right after it was made`);
    return row;
  }

  private async applyPromise(manager: EntityManager, event: PromiseEvent, at: Applied): Promise<void> {
    switch (event.type) {
      case 'PromiseRecorded':
        return this.recorded(manager, event.data, at);
      case 'PromisePartiallyKept': {
        const { data } = event;
        await this.expectPromise(manager, data, [data.applied, data.paidTotal, data.promised], ['data.applied', 'data.paidTotal', 'data.promised']);
        await manager.update(PromiseRow, { promiseId: data.promiseId }, { paidMinor: data.paidTotal.minor });
        return;
      }
      case 'PromiseKept': {
        const { data } = event;
        await this.expectPromise(manager, data, [data.applied, data.paidTotal, data.promised], ['data.applied', 'data.paidTotal', 'data.promised']);
        await manager.update(PromiseRow, { promiseId: data.promiseId }, { status: 'kept', keptAt: new Date(at.occurredAt), paidMinor: data.paidTotal.minor });
        return;
      }
      case 'PromiseBroken': {
        const { data } = event;
        await this.expectPromise(manager, data, [data.paid, data.promised], ['data.paid', 'data.promised']);
        await manager.update(PromiseRow, { promiseId: data.promiseId }, { status: 'broken', brokenAt: new Date(at.occurredAt), paidMinor: data.paid.minor });
        return;
      }
      case 'PromiseCancelled': {
        const { data } = event;
        await this.expectPromise(manager, data, [], []);
        await manager.update(PromiseRow, { promiseId: data.promiseId }, { status: 'cancelled', cancelledAt: new Date(at.occurredAt) });
        return;
      }
      default:
        return unreachable(event);
    }
  }

  private async recorded(manager: EntityManager, data: EventOfType<'PromiseRecorded'>['data'], at: Applied): Promise<void> {
    const [snapshot] = (await manager.query(
      `select (${this.segmentAt('bucket', '$1', '$2::timestamptz')}) as bucket, (${this.segmentAt('tier', '$1', '$2::timestamptz')}) as tier`,
      [data.accountId, at.occurredAt],
    )) as { bucket: string | null; tier: string | null }[];
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
      recordedAt: new Date(at.occurredAt),
      channel: data.channel,
      operatorId: data.operatorId,
      status: 'open',
      agingBucket: (snapshot?.bucket ?? null) as PromiseRow['agingBucket'],
      riskTier: (snapshot?.tier ?? null) as PromiseRow['riskTier'],
      keptAt: null,
      brokenAt: null,
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
    // Promises recorded from this change on may have been applied before it (the streams are delivered independently):
    // each takes again the segment in effect when it was recorded, which this change may or may not be.
    const column = kind === 'bucket' ? 'aging_bucket' : 'risk_tier';
    await manager.query(
      `update ${this.s}.promises p set ${column} = (${this.segmentAt(kind, 'p.account_id', 'p.recorded_at')})
        where p.account_id = $1 and p.recorded_at >= $2::timestamptz`,
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
  throw new Error(`Unhandled promise event: ${JSON.stringify(value)}`);
}
