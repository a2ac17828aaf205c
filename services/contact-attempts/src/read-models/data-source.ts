import { quoteIdentifier } from '@arrears/event-store';
import { DataSource } from 'typeorm';
import { CONTACT_READ_MODEL_ENTITIES } from './entities';
import { CreateContactReadModels1795910400000 } from './migrations/1795910400000-create-contact-read-models';
import { contactReadSchemaName, schemaOf } from './schema';

export const CONTACT_READ_MODEL_MIGRATIONS = [CreateContactReadModels1795910400000] as const;

export interface ContactReadModelOptions {
  /** A PostgreSQL connection string (`postgres://user@host:5432/db`). */
  readonly url: string;
  /** Default `contact_read`. Holds the tables, TypeORM's `migrations` table and `processed_events`. */
  readonly schema?: string;
  /** Connections in the pool; default 10. */
  readonly poolSize?: number;
}

/** A DataSource for the contact read models in one schema; not yet connected. */
export function createContactReadModelDataSource(options: ContactReadModelOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: contactReadSchemaName(options.schema),
    entities: [...CONTACT_READ_MODEL_ENTITIES],
    migrations: [...CONTACT_READ_MODEL_MIGRATIONS],
    migrationsTransactionMode: 'each',
    synchronize: false,
    applicationName: 'arrears-contact-read-models',
    extra: { max: options.poolSize ?? 10 },
  });
}

/**
 * Brings the schema up to date. TypeORM's runner takes no lock, and every instance of the service runs this at
 * start: a session advisory lock per schema, held on a connection of its own for the whole run, lets one instance
 * migrate while the others wait and then find nothing left to do.
 */
export async function migrateContactReadModels(dataSource: DataSource): Promise<void> {
  const schema = schemaOf(dataSource);
  const lock = dataSource.createQueryRunner();
  const key = `arrears:contact-read-models:migrations:${schema}`;
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
export async function openContactReadModels(options: ContactReadModelOptions): Promise<DataSource> {
  const dataSource = createContactReadModelDataSource(options);
  await dataSource.initialize();
  try {
    await migrateContactReadModels(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
