import { quoteIdentifier } from '@arrears/event-store';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { readModelSchemaName, schemaOf } from './schema';

/** One service's read models: its name, its default schema, its entities and migrations. */
export interface ReadModelDefinition {
  /** e.g. `accounts`: names the connections and the migration lock. */
  readonly name: string;
  readonly defaultSchema: string;
  readonly entities: NonNullable<DataSourceOptions['entities']>;
  readonly migrations: NonNullable<DataSourceOptions['migrations']>;
}

export interface ReadModelConnection {
  /** A PostgreSQL connection string (`postgres://user@host:5432/db`). */
  readonly url: string;
  /** Holds the tables, TypeORM's `migrations` table and `processed_events`; default: the definition's. */
  readonly schema?: string;
  /** Connections in the pool; default 10. */
  readonly poolSize?: number;
}

/** A DataSource for one service's read models in one schema; not yet connected. Tables come from migrations only. */
export function readModelDataSource(definition: ReadModelDefinition, connection: ReadModelConnection): DataSource {
  return new DataSource({
    type: 'postgres',
    url: connection.url,
    schema: readModelSchemaName(connection.schema ?? definition.defaultSchema),
    entities: definition.entities,
    migrations: definition.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    applicationName: `arrears-${definition.name}-read-models`,
    extra: { max: connection.poolSize ?? 10 },
  });
}

/**
 * Brings the schema up to date. TypeORM's runner takes no lock, and every instance of a service runs this at
 * start: a session advisory lock per schema, held on a connection of its own for the whole run, lets one instance
 * migrate while the others wait and then find nothing left to do.
 */
export async function migrateReadModelSchema(definition: ReadModelDefinition, dataSource: DataSource): Promise<void> {
  const schema = schemaOf(dataSource, definition.defaultSchema);
  const lock = dataSource.createQueryRunner();
  const key = `arrears:${definition.name}-read-models:migrations:${schema}`;
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

/** Connects and migrates: what a service does at start. */
export async function openReadModelSchema(definition: ReadModelDefinition, connection: ReadModelConnection): Promise<DataSource> {
  const dataSource = readModelDataSource(definition, connection);
  await dataSource.initialize();
  try {
    await migrateReadModelSchema(definition, dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
