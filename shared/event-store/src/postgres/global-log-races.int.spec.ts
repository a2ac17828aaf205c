import { compareGlobalPositions, globalPosition, type EventEnvelope, type GlobalPosition } from '@arrears/contracts';
import { createTestSchema, eventually, newEvent, newEvents, seededRandom, type TestSchema, uniqueStream } from '@arrears/testing';
import type { PoolClient } from 'pg';
import { delay } from '../subscription-lifecycle';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The global log's one hard promise: a reader that tails it from a checkpoint sees every committed event exactly
 * once and never moves past one it has not seen, however transactions interleave. Sequence numbers are taken at
 * insert but become visible at commit, so a naive "position > checkpoint" reader does skip events; these tests
 * build the interleavings that make it skip, and a control test shows the naive reader failing on them.
 */

interface Tailer {
  readonly seen: { eventId: string; streamId: string; streamPosition: number; globalPosition: GlobalPosition }[];
  /** True once the tailer has read at least up to this position. */
  reached(position: GlobalPosition): boolean;
  stop(): Promise<void>;
}

const POLL_MS = 5;

function tailWithStore(store: PostgresEventStore): Tailer {
  const seen: Tailer['seen'] = [];
  const subscription = store.subscribe({ kind: 'all' }, { from: 'start', handler: (event: EventEnvelope) => void seen.push(event) });
  return {
    seen,
    reached: (position) => subscription.checkpoint !== undefined && compareGlobalPositions(subscription.checkpoint as GlobalPosition, position) >= 0,
    stop: () => subscription.stop(),
  };
}

/** The reader the design forbids: orders and resumes by sequence number alone. Kept to show the tests bite. */
function tailNaively(schema: TestSchema): Tailer {
  const seen: Tailer['seen'] = [];
  let checkpoint = 0n;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await schema.pool.query<{ event_id: string; stream_id: string; stream_position: string; commit: string; global_position: string }>(
        `select event_id, stream_id, stream_position, transaction_id::text as commit, global_position
           from "${schema.name}".events where global_position > $1 order by global_position limit 100`,
        [checkpoint.toString()],
      );
      for (const row of rows) {
        seen.push({
          eventId: row.event_id,
          streamId: row.stream_id,
          streamPosition: Number(row.stream_position),
          globalPosition: globalPosition(BigInt(row.commit), BigInt(row.global_position)),
        });
        checkpoint = BigInt(row.global_position);
      }
      if (rows.length < 100) await delay(POLL_MS);
    }
  })();
  return {
    seen,
    reached: (position) => checkpoint >= BigInt(position.split(':')[1] as string),
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

describe('the PostgreSQL global log under interleaved transactions', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;
  const held: PoolClient[] = [];
  const tailers: Tailer[] = [];

  beforeEach(async () => {
    schema = await createTestSchema('races', { max: 40 });
    store = new PostgresEventStore({ pool: schema.pool, schema: schema.name, subscription: { pollIntervalMs: POLL_MS, pageSize: 100 } });
    await store.migrate();
  });

  afterEach(async () => {
    await Promise.all(tailers.splice(0).map((tailer) => tailer.stop()));
    for (const client of held.splice(0)) {
      await client.query('rollback').catch(() => undefined);
      client.release();
    }
    await store.close();
    await schema.drop();
  });

  function track(tailer: Tailer): Tailer {
    tailers.push(tailer);
    return tailer;
  }

  /** Opens a transaction on its own connection and appends in it, leaving it open. */
  async function openTransaction(streamId: string, count = 1) {
    const client = await schema.pool.connect();
    held.push(client);
    await client.query('begin');
    const events = newEvents(count);
    await store.appendWithin(client, streamId, events, { expectedVersion: 'any' });
    const finish = async (how: 'commit' | 'rollback') => {
      await client.query(how);
      held.splice(held.indexOf(client), 1);
      client.release();
    };
    return { events, commit: () => finish('commit'), rollback: () => finish('rollback') };
  }

  /**
   * What is really committed, in the order the log promises, read from the table itself: the store's own reads
   * hide whatever lies behind a transaction still open elsewhere on the cluster, and would agree with a lagging tailer.
   */
  async function committed(): Promise<Tailer['seen']> {
    const { rows } = await schema.pool.query<{ event_id: string; stream_id: string; stream_position: string; commit: string; global_position: string }>(
      `select event_id, stream_id, stream_position, transaction_id::text as commit, global_position
         from "${schema.name}".events order by transaction_id, global_position`,
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      streamId: row.stream_id,
      streamPosition: Number(row.stream_position),
      globalPosition: globalPosition(BigInt(row.commit), BigInt(row.global_position)),
    }));
  }

  async function lastPosition(): Promise<GlobalPosition> {
    const { rows } = await schema.pool.query<{ commit: string; global_position: string }>(
      `select transaction_id::text as commit, global_position from "${schema.name}".events order by global_position desc limit 1`,
    );
    return globalPosition(BigInt(rows[0]!.commit), BigInt(rows[0]!.global_position));
  }

  /** Every committed event exactly once, in strictly increasing positions, each stream in its own order. */
  async function expectExactlyOnce(tailer: Tailer): Promise<void> {
    const truth = await committed();
    await eventually(() => expect(tailer.seen.length).toBeGreaterThanOrEqual(truth.length));
    await delay(POLL_MS * 10); // a duplicate would arrive in this window
    expect(tailer.seen.map((event) => event.eventId)).toEqual(truth.map((event) => event.eventId));
    for (let i = 1; i < tailer.seen.length; i += 1) {
      expect(compareGlobalPositions(tailer.seen[i - 1]!.globalPosition, tailer.seen[i]!.globalPosition)).toBe(-1);
    }
    const lastByStream = new Map<string, number>();
    for (const event of tailer.seen) {
      expect(event.streamPosition).toBe((lastByStream.get(event.streamId) ?? -1) + 1);
      lastByStream.set(event.streamId, event.streamPosition);
    }
  }

  /**
   * The interleaving that breaks a naive reader: the first transaction to insert is the last to commit, and the
   * reader has read past it before it commits (a reader that cannot get there is given the same time to try).
   */
  async function firstBegunCommitsLast(tailer: Tailer, canReadPast: boolean) {
    const slow = await openTransaction(uniqueStream('slow'), 2);
    await store.appendToStream(uniqueStream('fast'), newEvents(3), { expectedVersion: 'no_stream' });
    await store.appendToStream(uniqueStream('fast'), newEvents(2), { expectedVersion: 'no_stream' });
    const last = await lastPosition();
    if (canReadPast) await eventually(() => expect(tailer.reached(last)).toBe(true));
    await delay(POLL_MS * 20);
    return slow;
  }

  it('a transaction that began first and commits last is neither skipped nor overtaken', async () => {
    const tailer = track(tailWithStore(store));
    const slow = await firstBegunCommitsLast(tailer, false);
    // While the slow transaction runs, nothing that may be ordered after it is shown.
    expect(tailer.seen).toEqual([]);
    await slow.commit();
    await expectExactlyOnce(tailer);
    expect(tailer.seen.slice(0, 2).map((event) => event.eventId)).toEqual(slow.events.map((event) => event.eventId));
  });

  it('control: a reader ordering by sequence number alone skips that transaction', async () => {
    const tailer = track(tailNaively(schema));
    const slow = await firstBegunCommitsLast(tailer, true);
    await slow.commit();
    await eventually(async () => expect(tailer.reached(await lastPosition())).toBe(true));
    await delay(POLL_MS * 10);
    const seen = new Set(tailer.seen.map((event) => event.eventId));
    expect(slow.events.filter((event) => !seen.has(event.eventId))).toHaveLength(2);
  });

  it('a transaction that writes again after a later one began is ordered by when it began, not by insert', async () => {
    const tailer = track(tailWithStore(store));
    const early = await openTransaction(uniqueStream('early'), 1);
    const later = await openTransaction(uniqueStream('later'), 1);
    const earlyAgain = newEvents(2);
    const client = held[0]!;
    await store.appendWithin(client, uniqueStream('early'), earlyAgain, { expectedVersion: 'no_stream' });
    await early.commit();
    await eventually(() => expect(tailer.seen).toHaveLength(3));
    await delay(POLL_MS * 10);
    await later.commit();
    await expectExactlyOnce(tailer);
    expect(tailer.seen.map((event) => event.eventId)).toEqual([...early.events, ...earlyAgain, ...later.events].map((event) => event.eventId));
  });

  it('several slow transactions committing in reverse order while fast writers keep appending', async () => {
    const tailer = track(tailWithStore(store));
    const slow = [];
    for (let i = 0; i < 5; i += 1) {
      slow.push(await openTransaction(uniqueStream('slow'), 1 + i));
      await store.appendToStream(uniqueStream('fast'), newEvents(2), { expectedVersion: 'no_stream' });
    }
    for (const transaction of slow.reverse()) {
      await delay(POLL_MS * 4);
      await store.appendToStream(uniqueStream('fast'), newEvents(1), { expectedVersion: 'no_stream' });
      await transaction.commit();
    }
    await expectExactlyOnce(tailer);
    expect(tailer.seen).toHaveLength(5 * 2 + 5 + (1 + 2 + 3 + 4 + 5));
  });

  it('rolled-back transactions are never delivered and do not hold back the rest', async () => {
    const tailer = track(tailWithStore(store));
    const doomed = await openTransaction(uniqueStream('doomed'), 3);
    const kept = await openTransaction(uniqueStream('kept'), 2);
    await store.appendToStream(uniqueStream('fast'), newEvents(2), { expectedVersion: 'no_stream' });
    const alsoDoomed = await openTransaction(uniqueStream('doomed'), 1);
    await doomed.rollback();
    await kept.commit();
    await store.appendToStream(uniqueStream('fast'), newEvents(1), { expectedVersion: 'no_stream' });
    await alsoDoomed.rollback();

    await expectExactlyOnce(tailer);
    const seen = new Set(tailer.seen.map((event) => event.eventId));
    expect([...doomed.events, ...alsoDoomed.events].filter((event) => seen.has(event.eventId))).toEqual([]);
    expect(tailer.seen).toHaveLength(5);
  });

  it("a transaction whose id was taken before a stream's last append cannot put its events ahead of it in the log", async () => {
    const tailer = track(tailWithStore(store));
    const shared = uniqueStream('shared');
    // Begun first: it has written elsewhere, so its transaction id is the smaller one.
    const early = await openTransaction(uniqueStream('elsewhere'), 1);
    await store.appendToStream(shared, newEvents(2), { expectedVersion: 'any' });
    const client = held[0]!;
    // Appended now, its events would sort before the stream's first two: refused, to be retried in a new transaction.
    await expect(store.appendWithin(client, shared, newEvents(1), { expectedVersion: 'any' })).rejects.toMatchObject({ code: '40001' });
    await early.rollback();
    await store.appendToStream(shared, newEvents(1), { expectedVersion: 'any' });
    await expectExactlyOnce(tailer);
    expect(tailer.seen.filter((event) => event.streamId === shared).map((event) => event.streamPosition)).toEqual([0, 1, 2]);
  });

  it('16 concurrent writers, some in slow or rolled-back transactions, some on shared streams', async () => {
    const tailer = track(tailWithStore(store));
    const seed = Number(process.env['RACE_SEED'] ?? Date.now() % 2 ** 31);
    const shared = [uniqueStream('shared'), uniqueStream('shared'), uniqueStream('shared')];
    const rolledBack = new Set<string>();

    const writer = async (index: number) => {
      const random = seededRandom(seed + index);
      const client = await schema.pool.connect();
      try {
        for (let round = 0; round < 12; round += 1) {
          const streamId = random() < 0.4 ? shared[Math.floor(random() * shared.length)]! : uniqueStream(`w${index}`);
          const events = Array.from({ length: 1 + Math.floor(random() * 4) }, () => newEvent('Raced', { writer: index, round }));
          const mode = random();
          if (mode < 0.4) {
            await store.appendToStream(streamId, events, { expectedVersion: 'any' });
            continue;
          }
          await client.query('begin');
          await store.appendWithin(client, streamId, events, { expectedVersion: 'any' });
          await delay(Math.floor(random() * 15));
          if (mode < 0.85) {
            await client.query('commit');
          } else {
            await client.query('rollback');
            events.forEach((event) => rolledBack.add(event.eventId));
          }
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, index) => writer(index)));

    try {
      await expectExactlyOnce(tailer);
      expect(tailer.seen.filter((event) => rolledBack.has(event.eventId))).toEqual([]);
    } catch (error) {
      throw new Error(`With RACE_SEED=${seed}: ${String(error)}`);
    }
  });

  it('a reader that stops and resumes from its checkpoint mid-race misses nothing', async () => {
    const seenAcrossRestarts: Tailer['seen'] = [];
    let checkpoint: GlobalPosition | undefined;
    const startTailer = () =>
      store.subscribe(
        { kind: 'all' },
        {
          from: checkpoint === undefined ? 'start' : { after: checkpoint },
          handler: (event) => {
            seenAcrossRestarts.push(event);
            checkpoint = event.globalPosition;
          },
        },
      );
    let subscription = startTailer();
    const slow = await openTransaction(uniqueStream('slow'), 2);
    for (let i = 0; i < 6; i += 1) {
      await store.appendToStream(uniqueStream('fast'), newEvents(1), { expectedVersion: 'no_stream' });
      await subscription.stop();
      subscription = startTailer();
      if (i === 3) await slow.commit();
    }
    const truth = await committed();
    await eventually(() => expect(seenAcrossRestarts.map((event) => event.eventId)).toEqual(truth.map((event) => event.eventId)));
    await subscription.stop();
  });
});

