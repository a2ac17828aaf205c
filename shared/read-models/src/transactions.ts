import { processOnce, type SqlExecutor, type TransactionRunner } from '@arrears/messaging';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** Where a projection applies its events: its DataSource, and the consumer and schema processOnce records them under. */
export interface ProjectionTarget {
  readonly dataSource: DataSource;
  /** The handler's durable consumer (`JetStreamContext.getConsumerName()`), e.g. `accounts__read-models`. */
  readonly consumer: string;
  /** The read models' schema, which holds `processed_events` too. */
  readonly schema: string;
}

/**
 * The event's work and its processOnce record in one transaction, so a redelivery changes nothing and a failure keeps
 * neither. `work` gets the transaction's manager; it guards against replays under another consumer name itself.
 */
export async function applyOnce(target: ProjectionTarget, event: { readonly eventId: string }, work: (manager: EntityManager) => Promise<void>): Promise<void> {
  await target.dataSource.transaction(async (manager) => {
    // processOnce opens no transaction of its own here: it runs inside this one, beside the rows it guards.
    const inThisTransaction: TransactionRunner = { transaction: (run) => run(sqlExecutor(manager)) };
    await processOnce(inThisTransaction, target.consumer, event, () => work(manager), { schema: target.schema });
  });
}

/** A TypeORM manager inside a transaction as processOnce's SqlExecutor: rows for every statement. */
export function sqlExecutor(manager: EntityManager): SqlExecutor {
  const runner = manager.queryRunner;
  if (runner === undefined) throw new Error('processOnce needs the transaction manager of dataSource.transaction()');
  return { query: async (sql, params) => ({ rows: (await runner.query(sql, params as unknown[] | undefined, true)).records ?? [] }) };
}

/** The migration's own transaction, as the TransactionRunner that `ensureProcessedEventsTable` expects. */
export function inMigration(queryRunner: QueryRunner): TransactionRunner {
  return {
    transaction: (work) => work({ query: async (sql, params) => ({ rows: (await queryRunner.query(sql, params as unknown[] | undefined, true)).records }) }),
  };
}
