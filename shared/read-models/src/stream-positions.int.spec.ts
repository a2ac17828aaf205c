import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { ensureProcessedEventsTable } from '@arrears/messaging';
import { createTestSchema, databaseUrl, rejection, storedEvent, type TestSchema } from '@arrears/testing';
import type { DataSource } from 'typeorm';
import { readModelDataSource } from './data-source';
import { applyInStreamOrder, createStreamPositionsTable, StreamPositionRow } from './stream-positions';
import { History } from './testing/history';
import { inMigration, type ProjectionTarget } from './transactions';

describe('applyInStreamOrder', () => {
  let schema: TestSchema;
  let dataSource: DataSource;
  let s: string;

  beforeEach(async () => {
    schema = await createTestSchema('stream_positions');
    s = quoteIdentifier(schema.name);
    dataSource = readModelDataSource({ name: 'stream-positions', defaultSchema: schema.name, entities: [StreamPositionRow], migrations: [] }, { url: databaseUrl(), schema: schema.name, poolSize: 6 });
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      await createStreamPositionsTable(runner, schema.name);
      await ensureProcessedEventsTable(inMigration(runner), { schema: schema.name });
      // What the work of each event did: a row per time it ran and committed.
      await runner.query(`create table ${s}.applied (stream_id text not null, position bigint not null)`);
    } finally {
      await runner.release();
    }
  });

  afterEach(async () => {
    await dataSource.destroy();
    await schema.drop();
  });

  const target = (consumer = 'read-models'): ProjectionTarget => ({ dataSource, consumer, schema: schema.name });
  /** Applies `event` under `consumer`; its work records that it ran. */
  const apply = (event: EventEnvelope, consumer?: string) =>
    applyInStreamOrder(target(consumer), event, async (manager) => {
      await manager.query(`insert into ${s}.applied (stream_id, position) values ($1, $2)`, [event.streamId, event.streamPosition]);
    });
  /** A stream of `count` events, as the event store gives them back. */
  const stream = (streamId: string, count: number): EventEnvelope[] => {
    const history = new History();
    return Array.from({ length: count }, (_, position) => history.store(storedEvent({ type: 'SomethingNoted', schemaVersion: 1, data: { position } }, randomUUID()), streamId, position));
  };
  const applied = async () => (await schema.pool.query(`select stream_id, position::int from ${s}.applied order by stream_id, position`)).rows;
  const positions = async () => (await schema.pool.query(`select stream_id, position::int from ${s}.stream_positions order by stream_id`)).rows;
  const processed = async (consumer = 'read-models') =>
    (await schema.pool.query<{ event_id: string }>(`select event_id from ${s}.processed_events where consumer = $1 order by event_id`, [consumer])).rows.map((row) => row.event_id);

  it('applies each event of a stream once, in order, and moves the stream’s position with it', async () => {
    const roster = stream('roster-main', 3);
    for (const event of roster) await apply(event);
    expect(await applied()).toEqual([0, 1, 2].map((position) => ({ stream_id: 'roster-main', position })));
    expect(await positions()).toEqual([{ stream_id: 'roster-main', position: 2 }]);
    expect(await processed()).toEqual(roster.map((event) => event.eventId).sort());

    // Again under another consumer name, which processOnce does not recognise, and backwards: the position alone stops them.
    for (const event of [...roster, ...[...roster].reverse()]) await apply(event, 'read-models-v2');
    expect(await applied()).toHaveLength(3);
    expect(await positions()).toEqual([{ stream_id: 'roster-main', position: 2 }]);
  });

  it('refuses an event whose predecessor is not applied yet, keeping neither its work nor its record, and applies it after', async () => {
    const [first, second, third] = stream('case-1', 3) as [EventEnvelope, EventEnvelope, EventEnvelope];
    await apply(first);
    const error = await rejection(apply(third));
    expect(error).toBeInstanceOf(ArrearsError);
    expect(error).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, field: 'streamPosition', details: { streamId: 'case-1', expected: 1, actual: 2 } });
    // The first event seen of a stream must be its first: not even the stream's row is kept.
    const [, other] = stream('case-2', 2);
    expect(await rejection(apply(other!))).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { streamId: 'case-2', expected: 0, actual: 1 } });
    expect([await applied(), await positions(), await processed()]).toEqual([[{ stream_id: 'case-1', position: 0 }], [{ stream_id: 'case-1', position: 0 }], [first.eventId]]);

    // Retried after its predecessor, it applies.
    await apply(second);
    await apply(third);
    expect(await positions()).toEqual([{ stream_id: 'case-1', position: 2 }]);
  });

  it('keeps nothing of an event whose work fails: neither its record nor the position', async () => {
    const [first] = stream('case-1', 1) as [EventEnvelope];
    const failure = await rejection(
      applyInStreamOrder(target(), first, async () => {
        throw new Error('the database went away');
      }),
    );
    expect(failure).toMatchObject({ message: 'the database went away' });
    expect([await positions(), await processed()]).toEqual([[], []]);
    await apply(first);
    expect(await applied()).toEqual([{ stream_id: 'case-1', position: 0 }]);
  });

  it('applies concurrent duplicates once, whatever consumer delivers them, and streams side by side', async () => {
    const roster = stream('roster-main', 2);
    const kase = stream('case-1', 2);
    for (const event of [roster[0]!, kase[0]!]) await apply(event);

    // The stream's row, locked first, makes the duplicates under other consumer names wait and then find the event applied.
    await Promise.all([roster[1]!, kase[1]!].flatMap((event) => ['read-models', 'read-models', 'read-models-v2', 'read-models-v3'].map((consumer) => apply(event, consumer))));
    expect(await applied()).toEqual([
      { stream_id: 'case-1', position: 0 },
      { stream_id: 'case-1', position: 1 },
      { stream_id: 'roster-main', position: 0 },
      { stream_id: 'roster-main', position: 1 },
    ]);
    expect(await positions()).toEqual([
      { stream_id: 'case-1', position: 1 },
      { stream_id: 'roster-main', position: 1 },
    ]);
  });
});
