import { ErrorCode, isArrearsError } from '@arrears/contracts';
import { newEvents, rejection } from '@arrears/testing';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { eventStoreDbUrlFromEnv, eventStoreKind, migrateEventStore, openEventStore } from './open-event-store';
import type { EventStore } from './port';
import { PostgresEventStore } from './postgres/postgres-event-store';

/** Nothing listens on port 1: a store that tries to connect there fails at once. */
const ESDB_NOWHERE = 'esdb://127.0.0.1:1?tls=false&defaultDeadline=2000';
const POSTGRES_NOWHERE = 'postgres://postgres@127.0.0.1:1/postgres';

describe('openEventStore', () => {
  const opened: EventStore[] = [];
  const open = (eventStoreDbUrl: string | undefined) => {
    const store = openEventStore({ eventStoreDbUrl, postgres: { connectionString: POSTGRES_NOWHERE, schema: 'arrears_events' } });
    opened.push(store);
    return store;
  };

  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('is the EventStoreDB adapter when a URL is given, built without reaching a server', async () => {
    const store = open(ESDB_NOWHERE);
    expect(store).toBeInstanceOf(EventStoreDbEventStore);
    expect(eventStoreKind(store)).toBe('eventstoredb');
    // It talks to the URL it was given, and fails as the EventStoreDB adapter does when nothing answers there.
    const error = await rejection(store.appendToStream('account-1', newEvents(1), { expectedVersion: 'no_stream' }));
    expect(isArrearsError(error, ErrorCode.UNAVAILABLE)).toBe(true);
    expect((error as Error).message).toMatch(/^The EventStoreDB event store cannot be reached/);
  });

  it.each([
    ['unset', undefined],
    ['empty', ''],
    ['blank', '  '],
  ])('is PostgreSQL, with the options given, when the URL is %s', async (_, url) => {
    const store = open(url);
    expect(store).toBeInstanceOf(PostgresEventStore);
    expect(eventStoreKind(store)).toBe('postgres');
    // The PostgreSQL options reach the store: it connects to the database URL it was given (where nothing listens).
    expect(String(await rejection(store.readAll({ maxCount: 1 })))).toMatch(/ECONNREFUSED|cannot be reached/);
  });

  it('refuses a URL that is not an EventStoreDB connection string, naming the variable and not the URL', () => {
    let error: unknown;
    try {
      open('http://admin:secret@example:2113');
    } catch (thrown) {
      error = thrown;
    }
    expect(isArrearsError(error, ErrorCode.VALIDATION_FAILED)).toBe(true);
    expect(error).toMatchObject({ field: 'EVENTSTOREDB_URL' });
    expect((error as Error).message).toMatch(/^EVENTSTOREDB_URL is not an EventStoreDB connection string/);
    expect((error as Error).message).not.toContain('secret');
  });
});

describe('migrateEventStore', () => {
  afterEach(() => jest.restoreAllMocks());

  it("runs PostgreSQL's migrations and asks nothing of EventStoreDB", async () => {
    const migrate = jest.spyOn(PostgresEventStore.prototype, 'migrate').mockResolvedValue();
    const postgres = openEventStore({ postgres: { connectionString: POSTGRES_NOWHERE } });
    const esdb = openEventStore({ eventStoreDbUrl: ESDB_NOWHERE, postgres: { connectionString: POSTGRES_NOWHERE } });
    try {
      await migrateEventStore(postgres);
      expect(migrate).toHaveBeenCalledTimes(1);
      await migrateEventStore(esdb);
      expect(migrate).toHaveBeenCalledTimes(1);
    } finally {
      await postgres.close();
      await esdb.close();
    }
  });
});

describe('eventStoreDbUrlFromEnv', () => {
  it('reads EVENTSTOREDB_URL, an empty or blank value counting as unset', () => {
    expect(eventStoreDbUrlFromEnv({ EVENTSTOREDB_URL: ' esdb://db:2113?tls=false ' })).toBe('esdb://db:2113?tls=false');
    expect(eventStoreDbUrlFromEnv({ EVENTSTOREDB_URL: '' })).toBeUndefined();
    expect(eventStoreDbUrlFromEnv({ EVENTSTOREDB_URL: ' ' })).toBeUndefined();
    expect(eventStoreDbUrlFromEnv({})).toBeUndefined();
  });
});
