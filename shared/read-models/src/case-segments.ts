/**
 * A case's aging bucket and risk tier over time, for a read model that snapshots them onto its own rows (a promise
 * when it was made, a plan when it was proposed). Fed by two streams of each case: the service's own
 * (`<category>-<accountId>`, every event, in order) and accounts' (`account-<accountId>`, only AgingBucketChanged and
 * RiskTierChanged; the gaps are account events the read model does not need). The service keeps its own tables, its
 * entity for `case_segments` (these columns and the position of its own stream) and the SQL of its migrations; this
 * module keeps the rest.
 */
import 'reflect-metadata';
import { accounts, EventCatalog, type EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { Column, Entity, PrimaryColumn, type EntityManager, type EntityTarget, type QueryRunner } from 'typeorm';
import { bigintAsNumber } from './integers';
import { expectStream, isNextInStream, type StreamPoint } from './stream-guards';
import { applyOnce, type ProjectionTarget } from './transactions';

export type SegmentKind = 'bucket' | 'tier';

/** The account events case segments are made of: every other account event type is ignored without being read. */
export const SEGMENT_EVENT_TYPES = ['AgingBucketChanged', 'RiskTierChanged'] as const;
export type SegmentEvent = Extract<accounts.AccountEvent, { type: (typeof SEGMENT_EVENT_TYPES)[number] }>;

/** A case's bucket and tier at one instant; null where none was known yet. */
export interface CaseSegmentSnapshot {
  readonly agingBucket: accounts.AgingBucket | null;
  readonly riskTier: accounts.RiskTier | null;
}

const bigint = { type: 'bigint', transformer: bigintAsNumber } as const;

/**
 * `case_segments`, one row per case (account): its current aging bucket and risk tier, and the last position applied
 * of each of its two streams. The positions are the guard that makes every event apply once. A service's entity
 * (`@Entity({ name: 'case_segments' })`) extends this with `ownPosition`, in the column its migration named.
 */
export abstract class CaseSegmentColumns {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  /** Null until the case's first AgingBucketChanged is applied. */
  @Column({ name: 'aging_bucket', type: 'text', nullable: true })
  agingBucket!: accounts.AgingBucket | null;

  @Column({ name: 'days_past_due', type: 'integer', nullable: true })
  daysPastDue!: number | null;

  @Column({ name: 'bucket_as_of', type: 'date', nullable: true })
  bucketAsOf!: string | null;

  /** Null until the case's first RiskTierChanged is applied. */
  @Column({ name: 'risk_tier', type: 'text', nullable: true })
  riskTier!: accounts.RiskTier | null;

  @Column({ name: 'risk_score', type: 'integer', nullable: true })
  riskScore!: number | null;

  @Column({ name: 'tier_as_of', type: 'date', nullable: true })
  tierAsOf!: string | null;

  /** The last position of `account-<accountId>` applied; -1 before any. */
  @Column({ name: 'account_position', ...bigint })
  accountPosition!: number;

  /** The last position of the service's own stream of the case applied; -1 before any. */
  abstract ownPosition: number;
}

/**
 * Every segment change of a case, by its account-stream position: what the bucket and tier were at any moment, so
 * that a snapshot depends on when things happened, not on which stream's events arrived first.
 */
@Entity({ name: 'case_segment_changes' })
export class SegmentChangeRow {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @PrimaryColumn({ name: 'stream_position', ...bigint })
  streamPosition!: number;

  @Column({ name: 'kind', type: 'text' })
  kind!: SegmentKind;

  /** The bucket or tier the case moved to. */
  @Column({ name: 'segment', type: 'text' })
  segment!: string;

  /** The event's `occurredAt`: from then on the case was in `segment`. */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;
}

/**
 * Makes `case_segments` (its own stream's position in `ownPositionColumn`), `case_segment_changes` and its index,
 * exactly as the promise and plan read models were first released. Their migrations call this and have run: the SQL
 * must never change (`case-segments.unit.spec.ts` pins it byte for byte); a change is a new function and a new
 * migration.
 */
export async function createCaseSegmentTables(queryRunner: QueryRunner, schema: string, ownPositionColumn: string): Promise<void> {
  const s = quoteIdentifier(schema);
  const own = plainName(ownPositionColumn);
  await queryRunner.query(`
      create table ${s}.case_segments (
        account_id uuid primary key,
        aging_bucket text,
        days_past_due integer check (days_past_due >= 0),
        bucket_as_of date,
        risk_tier text,
        risk_score integer check (risk_score between 0 and 100),
        tier_as_of date,
        account_position bigint not null check (account_position >= -1),
        ${own} bigint not null check (${own} >= -1),
        constraint case_segments_bucket check ((aging_bucket is null) = (days_past_due is null) and (aging_bucket is null) = (bucket_as_of is null)),
        constraint case_segments_tier check ((risk_tier is null) = (risk_score is null) and (risk_tier is null) = (tier_as_of is null))
      )`);

  await queryRunner.query(`
      create table ${s}.case_segment_changes (
        account_id uuid not null,
        stream_position bigint not null check (stream_position >= 0),
        kind text not null check (kind in ('bucket', 'tier')),
        segment text not null,
        occurred_at timestamptz not null,
        primary key (account_id, stream_position)
      )`);
  // The segment in effect at an instant: the case's changes of one kind up to it.
  await queryRunner.query(`create index case_segment_changes_at on ${s}.case_segment_changes (account_id, kind, occurred_at)`);
}

export interface CaseSegmentsOptions extends ProjectionTarget {
  /** The service's `case_segments` entity. */
  readonly entity: EntityTarget<CaseSegmentColumns>;
  /** The category of the service's own stream of a case: `promise` for `promise-<accountId>`. */
  readonly ownStream: string;
  /**
   * The service's table of snapshots: rows with `account_id`, `aging_bucket` and `risk_tier`, each taken at the instant
   * in its column `takenAt` (a promise's `recorded_at`).
   */
  readonly snapshots: { readonly table: string; readonly takenAt: string };
}

const accountCatalog = new EventCatalog(accounts.ACCOUNT_EVENTS);

/**
 * Applies both streams of the cases of one read model. Each event is applied in one transaction together with its
 * `processOnce` record, so a redelivery changes nothing. Independently of that record, every event is guarded by the
 * last position applied of its stream, kept on the case's `case_segments` row (locked first, which also serialises the
 * two streams of one case): an event at or below it is skipped, so replaying a history (under another consumer name,
 * or from the start) changes nothing either. An event of the service's own stream whose predecessor has not been
 * applied yet is refused (CONCURRENCY_CONFLICT) to be retried; an account stream may have gaps.
 *
 * A snapshot is the bucket and tier in effect at its instant, looked up in the case's segment changes (`inEffectAt`);
 * a change that arrives after snapshots it precedes corrects them. So the rows depend on what happened when, never on
 * which of the two streams was delivered first.
 */
export class CaseSegments {
  private readonly s: string;
  private readonly snapshots: { readonly table: string; readonly takenAt: string };

  constructor(private readonly options: CaseSegmentsOptions) {
    this.s = quoteIdentifier(options.schema);
    this.snapshots = { table: plainName(options.snapshots.table), takenAt: plainName(options.snapshots.takenAt) };
  }

  /**
   * An event of the service's own stream of case `accountId` (decoded by the service): `work` applies it once, in
   * stream order, and the case's own position moves to it in the same transaction.
   */
  async ownEvent(envelope: EventEnvelope, accountId: string, work: (manager: EntityManager) => Promise<void>): Promise<void> {
    expectStream(envelope, `${this.options.ownStream}-${accountId}`, accountId);
    const at: StreamPoint = { streamId: envelope.streamId, streamPosition: envelope.streamPosition };
    await applyOnce(this.options, envelope, async (manager) => {
      const segments = await this.lockCase(manager, accountId);
      if (!isNextInStream(at, segments.ownPosition)) return;
      await work(manager);
      await manager.update(this.options.entity, { accountId }, { ownPosition: at.streamPosition });
    });
  }

  /** An event of an account stream: a segment change is applied once; any other type is ignored without being read. */
  async accountEvent(envelope: EventEnvelope): Promise<void> {
    if (!(SEGMENT_EVENT_TYPES as readonly string[]).includes(envelope.type)) return;
    const event = accountCatalog.decode(envelope);
    if (!isSegmentEvent(event)) throw new Error(`${envelope.type} decoded as ${event.type}`);
    expectStream(envelope, `account-${event.data.accountId}`, event.data.accountId);
    await applyOnce(this.options, envelope, async (manager) => {
      const segments = await this.lockCase(manager, event.data.accountId);
      if (envelope.streamPosition <= segments.accountPosition) return;
      await this.applySegment(manager, event, envelope);
    });
  }

  /** The case's bucket and tier in effect at `instant` (an ISO timestamp), as a snapshot taken then holds them. */
  async inEffectAt(manager: EntityManager, accountId: string, instant: string): Promise<CaseSegmentSnapshot> {
    const [snapshot] = (await manager.query(`select (${this.segmentAt('bucket', '$1', '$2::timestamptz')}) as bucket, (${this.segmentAt('tier', '$1', '$2::timestamptz')}) as tier`, [
      accountId,
      instant,
    ])) as { bucket: string | null; tier: string | null }[];
    return { agingBucket: (snapshot?.bucket ?? null) as accounts.AgingBucket | null, riskTier: (snapshot?.tier ?? null) as accounts.RiskTier | null };
  }

  /** The case's row, made if new and locked: every event of a case, from either stream, goes through it one at a time. */
  private async lockCase(manager: EntityManager, accountId: string): Promise<CaseSegmentColumns> {
    const own = manager.dataSource.getMetadata(this.options.entity).findColumnWithPropertyName('ownPosition');
    if (own === undefined) throw new Error('the case_segments entity maps no ownPosition column');
    await manager.query(
      `insert into ${this.s}.case_segments (account_id, account_position, ${own.databaseName}) values ($1, -1, -1) on conflict (account_id) do nothing`,
      [accountId],
    );
    const row = await manager.findOne(this.options.entity, { where: { accountId }, lock: { mode: 'pessimistic_write' } });
    if (row === null) throw new Error(`case_segments row ${accountId} missing right after it was made`);
    return row;
  }

  private async applySegment(manager: EntityManager, event: SegmentEvent, at: { readonly streamPosition: number; readonly occurredAt: string }): Promise<void> {
    const { accountId } = event.data;
    const kind: SegmentKind = event.type === 'AgingBucketChanged' ? 'bucket' : 'tier';
    await manager.insert(SegmentChangeRow, { accountId, streamPosition: at.streamPosition, kind, segment: event.data.to, occurredAt: new Date(at.occurredAt) });
    // The guard only lets positions rise, so this change is the case's latest of its kind.
    const current =
      event.type === 'AgingBucketChanged'
        ? { agingBucket: event.data.to, daysPastDue: event.data.daysPastDue, bucketAsOf: event.data.asOf }
        : { riskTier: event.data.to, riskScore: event.data.score, tierAsOf: event.data.asOf };
    await manager.update(this.options.entity, { accountId }, { ...current, accountPosition: at.streamPosition });
    // Snapshots taken from this change on may have been applied before it (the streams are delivered independently):
    // each takes again the segment in effect at its instant, which this change may or may not be.
    const column = kind === 'bucket' ? 'aging_bucket' : 'risk_tier';
    const { table, takenAt } = this.snapshots;
    await manager.query(
      `update ${this.s}.${table} p set ${column} = (${this.segmentAt(kind, 'p.account_id', `p.${takenAt}`)})
        where p.account_id = $1 and p.${takenAt} >= $2::timestamptz`,
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

/** A table or column name put into SQL as it is: lower-case letters, digits and underscores only. */
function plainName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${JSON.stringify(name)} is not a plain lower-case SQL name`);
  return name;
}
