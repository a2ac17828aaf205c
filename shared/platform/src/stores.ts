import type { KeyObject } from 'node:crypto';
import { migrateEventStore, openEventStore, type EventStore } from '@arrears/event-store';
import { PersonalDataVault, PostgresKeyProvider } from '@arrears/security';
import { Pool } from 'pg';
import type { Closers } from './closers';

export interface PlatformStoreOptions {
  readonly databaseUrl: string;
  /** Shown in `pg_stat_activity`: `arrears-<service>`. */
  readonly applicationName: string;
  /** Set: the event store is EventStoreDB's (`EVENTSTOREDB_URL`); unset: PostgreSQL's at `databaseUrl`. */
  readonly eventStoreDbUrl?: string;
  /** The PostgreSQL event store's schema (shared by every service and the relay); default `arrears_events`. */
  readonly storeSchema?: string;
  /** The personal-data keys; default `arrears_pii`. */
  readonly keySchema?: string;
  readonly masterKey: KeyObject | Uint8Array;
  /** How long a debtor's key is reused before the key store is asked again. */
  readonly keyCacheTtlMs?: number;
}

/**
 * The event store (EventStoreDB when `eventStoreDbUrl` is set, else PostgreSQL) and the personal-data vault (always
 * PostgreSQL) every service works with, migrated, closed by `closers`.
 */
export async function openPlatformStores(options: PlatformStoreOptions, closers: Closers): Promise<{ store: EventStore; vault: PersonalDataVault }> {
  const store = openEventStore({
    eventStoreDbUrl: options.eventStoreDbUrl,
    postgres: {
      connectionString: options.databaseUrl,
      poolConfig: { max: 10, application_name: options.applicationName },
      ...(options.storeSchema ? { schema: options.storeSchema } : {}),
    },
  });
  closers.add(() => store.close());
  await migrateEventStore(store);

  const keyPool = new Pool({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000, max: 4, application_name: `${options.applicationName} keys` });
  keyPool.on('error', () => undefined);
  closers.add(() => keyPool.end());
  const keys = new PostgresKeyProvider({ pool: keyPool, masterKey: options.masterKey, ...(options.keySchema ? { schema: options.keySchema } : {}) });
  await keys.migrate();
  const vault = new PersonalDataVault(keys, options.keyCacheTtlMs === undefined ? {} : { keyCacheTtlMs: options.keyCacheTtlMs });
  return { store, vault };
}
