import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import type { Pool } from 'pg';

/**
 * The least a transaction must offer: a query with positional parameters that returns rows. A pg client is one;
 * a TypeORM `EntityManager` inside `dataSource.transaction(...)` becomes one by wrapping its `query` to return
 * `{ rows }`, so read models written with TypeORM plug in without this package depending on it.
 */
export interface SqlExecutor {
  query(sql: string, params?: readonly unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
}

/** Runs `work` in one transaction: commits when it resolves, rolls back when it throws. */
export interface TransactionRunner {
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

export interface ProcessedEventsOptions {
  /** The schema that holds `processed_events`; a service puts it beside its read model's tables. */
  readonly schema?: string;
}

export const DEFAULT_PROCESSED_EVENTS_SCHEMA = 'arrears_consumers';

/** Transactions on a node-postgres pool, one pooled client each. */
export function pgTransactions(pool: Pool): TransactionRunner {
  return {
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await work({ query: (sql, params) => client.query(sql, params as unknown[] | undefined) });
        await client.query('commit');
        return result;
      } catch (error) {
        // A client whose rollback fails is not fit to go back to the pool.
        await client.query('rollback').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

/** Creates the processed-events table if it is missing; safe for several instances starting at once. */
export async function ensureProcessedEventsTable(db: Pool | TransactionRunner, options: ProcessedEventsOptions = {}): Promise<void> {
  const schema = options.schema ?? DEFAULT_PROCESSED_EVENTS_SCHEMA;
  await runner(db).transaction(async (tx) => {
    // `create … if not exists` still races on the catalog when two sessions run it at once: serialise them.
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [`arrears:processed_events:${schema}`]);
    await tx.query(`create schema if not exists ${quoteIdentifier(schema)}`);
    await tx.query(
      `create table if not exists ${table(schema)} (
        consumer text not null,
        event_id uuid not null,
        processed_at timestamptz not null default now(),
        primary key (consumer, event_id)
      )`,
    );
  });
}

/**
 * Applies an event's effect at most once per consumer. In one transaction: records (consumer, event id), and
 * only if that is new runs `work` on the same transaction, so the record and the effect commit or vanish
 * together. A concurrent duplicate waits on the first one's row and then finds it: it never applies twice.
 * Resolves true when the work ran and committed, false when the event had already been processed.
 */
export async function processOnce(
  db: Pool | TransactionRunner,
  consumer: string,
  event: { readonly eventId: string },
  work: (tx: SqlExecutor) => Promise<void>,
  options: ProcessedEventsOptions = {},
): Promise<boolean> {
  if (consumer === '') throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'processOnce needs the consumer name', { field: 'consumer' });
  const schema = options.schema ?? DEFAULT_PROCESSED_EVENTS_SCHEMA;
  return runner(db).transaction(async (tx) => {
    const { rows } = await tx.query(`insert into ${table(schema)} (consumer, event_id) values ($1, $2) on conflict do nothing returning event_id`, [
      consumer,
      event.eventId,
    ]);
    if (rows.length === 0) return false;
    await work(tx);
    return true;
  });
}

function runner(db: Pool | TransactionRunner): TransactionRunner {
  return 'transaction' in db ? db : pgTransactions(db);
}

function table(schema: string): string {
  return `${quoteIdentifier(schema)}.processed_events`;
}
