import { migrateReadModelSchema, openReadModelSchema, readModelDataSource, type ReadModelConnection, type ReadModelDefinition } from '@arrears/read-models';
import type { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from './entities';
import { CreateAccountReadModels1767225600000 } from './migrations/1767225600000-create-account-read-models';
import { DEFAULT_READ_MODEL_SCHEMA } from './schema';

export const READ_MODEL_MIGRATIONS = [CreateAccountReadModels1767225600000] as const;

/** The connection: a PostgreSQL URL, the schema (default `accounts_read`), the pool size. */
export type ReadModelDataSourceOptions = ReadModelConnection;

const DEFINITION: ReadModelDefinition = { name: 'accounts', defaultSchema: DEFAULT_READ_MODEL_SCHEMA, entities: [...READ_MODEL_ENTITIES], migrations: [...READ_MODEL_MIGRATIONS] };

/** A DataSource for the account read models in one schema; not yet connected. */
export function createReadModelDataSource(options: ReadModelDataSourceOptions): DataSource {
  return readModelDataSource(DEFINITION, options);
}

/** Brings the schema up to date under an advisory lock, so instances starting together migrate once. */
export function migrateReadModels(dataSource: DataSource): Promise<void> {
  return migrateReadModelSchema(DEFINITION, dataSource);
}

/** Connects and migrates: what the service does at start. */
export function openReadModels(options: ReadModelDataSourceOptions): Promise<DataSource> {
  return openReadModelSchema(DEFINITION, options);
}
