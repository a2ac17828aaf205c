import { randomBytes } from 'node:crypto';
import { EventStoreDbEventStore, PostgresEventStore } from '@arrears/event-store';
import { createTestSchema, databaseUrl, type TestSchema } from '@arrears/testing';
import { Closers } from './closers';
import { openPlatformStores } from './stores';

/** Nothing listens on port 1: an EventStoreDB store that tried to connect while opening would fail there. */
const ESDB_NOWHERE = 'esdb://127.0.0.1:1?tls=false&defaultDeadline=2000';

describe('openPlatformStores: which event store', () => {
  let storeSchema: TestSchema;
  let keySchema: TestSchema;

  beforeEach(async () => {
    storeSchema = await createTestSchema('platform_events');
    keySchema = await createTestSchema('platform_keys');
  });

  afterEach(async () => {
    await storeSchema.drop();
    await keySchema.drop();
  });

  async function tableExists(schema: TestSchema, table: string): Promise<boolean> {
    const { rows } = await schema.pool.query<{ found: string | null }>('select to_regclass($1)::text as found', [`"${schema.name}"."${table}"`]);
    return rows[0]?.found !== null;
  }

  async function open(eventStoreDbUrl: string | undefined) {
    const closers = new Closers();
    const options = { databaseUrl: databaseUrl(), applicationName: 'arrears-platform-test', storeSchema: storeSchema.name, keySchema: keySchema.name, masterKey: randomBytes(32) };
    const opened = await openPlatformStores(eventStoreDbUrl === undefined ? options : { ...options, eventStoreDbUrl }, closers);
    return { ...opened, closers };
  }

  it('is PostgreSQL, migrated in its schema, when no EventStoreDB URL is given', async () => {
    const { store, closers } = await open(undefined);
    try {
      expect(store).toBeInstanceOf(PostgresEventStore);
      expect(await tableExists(storeSchema, 'events')).toBe(true);
      expect(await tableExists(keySchema, 'subject_keys')).toBe(true);
    } finally {
      await closers.closeAll();
    }
  });

  it('is EventStoreDB when a URL is given, opened without a server; the keys stay in PostgreSQL and no event tables are made', async () => {
    const { store, vault, closers } = await open(ESDB_NOWHERE);
    try {
      expect(store).toBeInstanceOf(EventStoreDbEventStore);
      expect(vault).toBeDefined();
      expect(await tableExists(keySchema, 'subject_keys')).toBe(true);
      expect(await tableExists(storeSchema, 'events')).toBe(false);
    } finally {
      await closers.closeAll();
    }
  });
});
