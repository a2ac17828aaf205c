import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
import type { EventStore } from './port';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';

/** The variable that moves every process's event store to EventStoreDB (README, "Configuration"). */
export const EVENTSTOREDB_URL_ENV = 'EVENTSTOREDB_URL';

/** `EVENTSTOREDB_URL`, or undefined when it is unset or empty (an empty value in a ConfigMap means "not used"). */
export function eventStoreDbUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env[EVENTSTOREDB_URL_ENV]?.trim();
  return url === undefined || url === '' ? undefined : url;
}

export interface OpenEventStoreOptions {
  /** Set: the store is EventStoreDB's at this connection string (`esdb://host:2113?tls=false`). Unset or empty: PostgreSQL. */
  readonly eventStoreDbUrl?: string | undefined;
  /** The PostgreSQL store's settings, used only when `eventStoreDbUrl` is not set. */
  readonly postgres: PostgresEventStoreOptions;
  readonly eventStoreDb?: EventStoreDbEventStoreOptions;
}

export type EventStoreKind = 'postgres' | 'eventstoredb';

/**
 * The event store a process works with: EventStoreDB when `eventStoreDbUrl` is set, else PostgreSQL. Neither
 * connects here (both clients connect on first use); `migrateEventStore` prepares it. The caller closes it.
 */
export function openEventStore(options: OpenEventStoreOptions): EventStore {
  const url = options.eventStoreDbUrl?.trim();
  if (url === undefined || url === '') return new PostgresEventStore(options.postgres);
  try {
    return new EventStoreDbEventStore(url, options.eventStoreDb);
  } catch (error) {
    // The client's parse error quotes where the string went wrong; the string itself may hold a password.
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${EVENTSTOREDB_URL_ENV} is not an EventStoreDB connection string such as esdb://host:2113?tls=false: ${error instanceof Error ? error.message : String(error)}`, {
      field: EVENTSTOREDB_URL_ENV,
      cause: error,
    });
  }
}

/** What a store needs before use, if anything: PostgreSQL its schema (idempotent); EventStoreDB nothing. */
export async function migrateEventStore(store: EventStore): Promise<void> {
  if (hasMigrations(store)) await store.migrate();
}

/** Which adapter a store from `openEventStore` is, for log lines and health output. */
export function eventStoreKind(store: EventStore): EventStoreKind | undefined {
  if (store instanceof EventStoreDbEventStore) return 'eventstoredb';
  if (store instanceof PostgresEventStore) return 'postgres';
  return undefined;
}

function hasMigrations(store: EventStore): store is EventStore & { migrate(): Promise<void> } {
  return typeof (store as Partial<{ migrate: unknown }>).migrate === 'function';
}
