/**
 * `stream_positions`, for a projection that reads whole streams in order: the last position applied of each stream, one
 * row per stream rather than per case, since one stream may speak of many cases (a team's roster). A service lists
 * `StreamPositionRow` among its read-model entities, makes the table in a migration with `createStreamPositionsTable`,
 * and applies every event through `applyInStreamOrder`.
 */
import 'reflect-metadata';
import type { EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { Column, Entity, PrimaryColumn, type EntityManager, type QueryRunner } from 'typeorm';
import { bigintAsNumber } from './integers';
import { isNextInStream } from './stream-guards';
import { applyOnce, type ProjectionTarget } from './transactions';

@Entity({ name: 'stream_positions' })
export class StreamPositionRow {
  @PrimaryColumn({ name: 'stream_id', type: 'text' })
  streamId!: string;

  /** -1 before any event of the stream is applied. */
  @Column({ name: 'position', type: 'bigint', transformer: bigintAsNumber })
  position!: number;
}

/**
 * Makes `stream_positions` exactly as the case-workflow and legal-escalation read models were first released. Their
 * migrations call this and have run: the SQL must never change (`stream-positions.unit.spec.ts` pins it byte for byte);
 * a change is a new function and a new migration.
 */
export async function createStreamPositionsTable(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
      create table ${quoteIdentifier(schema)}.stream_positions (
        stream_id text primary key,
        position bigint not null check (position >= -1)
      )`);
}

/**
 * Applies `work` for an event once and in its stream's order. In one transaction with the event's `processOnce` record,
 * so a redelivery changes nothing: the stream's row is made if new and locked (which serialises each stream), then an
 * event at or below its position is skipped, so replaying a history under another consumer name, or from the start,
 * changes nothing either; an event whose predecessor has not been applied yet is refused (CONCURRENCY_CONFLICT) to be
 * retried; the next one runs `work`, and the position moves to it. The stream has no gaps: an event the read model does
 * not need must still come through here, with `work` doing nothing, to take its position.
 */
export async function applyInStreamOrder(target: ProjectionTarget, envelope: EventEnvelope, work: (manager: EntityManager) => Promise<void>): Promise<void> {
  const { streamId } = envelope;
  await applyOnce(target, envelope, async (manager) => {
    await manager.query(`insert into ${quoteIdentifier(target.schema)}.stream_positions (stream_id, position) values ($1, -1) on conflict (stream_id) do nothing`, [streamId]);
    const applied = await manager.findOne(StreamPositionRow, { where: { streamId }, lock: { mode: 'pessimistic_write' } });
    if (applied === null) throw new Error(`stream_positions row ${streamId} missing right after it was made`);
    if (!isNextInStream(envelope, applied.position)) return;
    await work(manager);
    await manager.update(StreamPositionRow, { streamId }, { position: envelope.streamPosition });
  });
}
