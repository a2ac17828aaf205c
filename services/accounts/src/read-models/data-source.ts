import { quoteIdentifier } from '@arrears/event-store';
import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from './entities';
import { CreateAccountReadModels1767225600000 } from './migrations/1767225600000-create-account-read-models';
import { readModelSchemaName, schemaOf } from './schema';

export const READ_MODEL_MIGRATIONS = [CreateAccountReadModels1767225600000] as const;

export interface ReadModelDataSourceOptions {
  /** A PostgreSQL connection string (`postgres://user@host:5432/db`). */
  readonly url: string;
  /** Default `accounts_read`. Holds the tables, TypeORM's `migrations` table and `processed_events`. */
  readonly schema?: string;
  /** Connections in the pool; default 10. */
  readonly poolSize?: number;
}

/** A DataSource for the account read models in one schema; not yet connected. */
export function createReadModelDataSource(options: ReadModelDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: readModelSchemaName(options.schema),
    entities: [...READ_MODEL_ENTITIES],
    migrations: [...READ_MODEL_MIGRATIONS],
    migrationsTransactionMode: 'each',
    synchronize: false,
    applicationName: 'arrears-accounts-read-models',
    extra: { max: options.poolSize ?? 10 },
  });
}

/**
 * Brings the schema up to date. TypeORM's runner takes no lock, and every instance of the service runs this at
 * start: a session advisory lock per schema, held on a connection of its own for the whole run, lets one
 * instance migrate while the others wait and then find nothing left to do.
 */
export async function migrateReadModels(dataSource: DataSource): Promise<void> {
  const schema = schemaOf(dataSource);
  const lock = dataSource.createQueryRunner();
  const key = `arrears:accounts-read-models:migrations:${schema}`;
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [key]);
    // TypeORM keeps its `migrations` table in the schema, so the schema must exist before it looks.
    await lock.query(`create schema if not exists ${quoteIdentifier(schema)}`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('select pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
    await lock.release();
  }
}

/** Connects and migrates: what the service does at start. */
export async function openReadModels(options: ReadModelDataSourceOptions): Promise<DataSource> {
  const dataSource = createReadModelDataSource(options);
  await dataSource.initialize();
  try {
    await migrateReadModels(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
