import { ErrorCode, isArrearsError, type EventEnvelope, type NewEvent } from '@arrears/contracts';
import { createTestSchema, eventually, newEvents, type TestSchema, uniqueName, uniqueStream } from '@arrears/testing';
import { Pool } from 'pg';
import { delay } from '../subscription-lifecycle';
import { EVENT_STORE_MIGRATIONS } from './schema';
import { PostgresEventStore } from './postgres-event-store';

describe('PostgreSQL event store when connections drop', () => {
  let schema: TestSchema;
  const applicationName = uniqueName('arrears_resilience');
  let store: PostgresEventStore;

  beforeEach(async () => {
    schema = await createTestSchema('resilience');
    const pool = new Pool({ connectionString: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres', application_name: applicationName, max: 4 });
    store = new PostgresEventStore({ pool, schema: schema.name, subscription: { pollIntervalMs: 10, maxRetryDelayMs: 100 } });
    await store.migrate();
  });

  afterEach(async () => {
    await (store as unknown as { pool: Pool }).pool.end();
    await schema.drop();
  });

  /** Ends every server connection the store holds, as a restart or a network cut would. */
  async function killConnections(): Promise<number> {
    const { rowCount } = await schema.pool.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [applicationName]);
    return rowCount ?? 0;
  }

  /** A writer that retries the same batch (same event ids) until the store acknowledges it. */
  async function appendUntilAcknowledged(streamId: string, events: readonly NewEvent[]): Promise<number> {
    for (let failures = 0; ; failures += 1) {
      try {
        await store.appendToStream(streamId, events, { expectedVersion: 'any' });
        return failures;
      } catch (error) {
        if (!isArrearsError(error, ErrorCode.UNAVAILABLE)) throw error;
        await delay(10);
      }
    }
  }

  it('a subscription resumes from its checkpoint and a retried append is written once', async () => {
    const seen: EventEnvelope[] = [];
    const retries: unknown[] = [];
    const subscription = store.subscribe({ kind: 'all' }, { from: 'start', handler: (event) => void seen.push(event), onRetry: (error) => retries.push(error) });

    const written: NewEvent[] = [];
    let kills = 0;
    let failedAppends = 0;
    for (let round = 0; round < 30; round += 1) {
      const batch = newEvents(1 + (round % 3));
      written.push(...batch);
      failedAppends += await appendUntilAcknowledged(uniqueStream('drop'), batch);
      if (round % 5 === 2) kills += await killConnections();
    }
    // Kill while idle too: the subscription's next poll meets a dead connection.
    await delay(30);
    kills += await killConnections();
    const late = newEvents(2);
    written.push(...late);
    failedAppends += await appendUntilAcknowledged(uniqueStream('drop'), late);

    await eventually(() => expect(seen.map((event) => event.eventId)).toEqual(written.map((event) => event.eventId)));
    expect(kills).toBeGreaterThan(0);
    // The drops were felt, not dodged: someone had to retry.
    expect(retries.length + failedAppends).toBeGreaterThan(0);
    retries.forEach((error) => expect(isArrearsError(error, ErrorCode.UNAVAILABLE)).toBe(true));
    await subscription.stop();
  });

  it('reports UNAVAILABLE, not a driver error, when the database cannot be reached', async () => {
    const unreachable = new PostgresEventStore({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres', schema: schema.name });
    const failure = await unreachable.appendToStream(uniqueStream(), newEvents(1), { expectedVersion: 'any' }).catch((error: unknown) => error);
    expect(isArrearsError(failure, ErrorCode.UNAVAILABLE)).toBe(true);
    const readFailure = await unreachable.readAll().catch((error: unknown) => error);
    expect(isArrearsError(readFailure, ErrorCode.UNAVAILABLE)).toBe(true);
    await unreachable.close();
  });
});

describe('PostgreSQL event store migrations', () => {
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await createTestSchema('migrations');
  });
  afterEach(() => schema.drop());

  it('several instances starting at once apply each migration exactly once', async () => {
    const stores = Array.from({ length: 6 }, () => new PostgresEventStore({ pool: schema.pool, schema: schema.name }));
    await Promise.all(stores.map((store) => store.migrate()));
    await stores[0]!.migrate();
    const { rows } = await schema.pool.query(`select id, name from "${schema.name}".schema_migrations order by id`);
    expect(rows).toEqual(EVENT_STORE_MIGRATIONS.map(({ id, name }) => ({ id, name })));
    const appended = await stores[3]!.appendToStream(uniqueStream(), newEvents(1), { expectedVersion: 'no_stream' });
    expect(appended.nextExpectedVersion).toBe(0);
  });
});
