import { migrateReadModelSchema, openReadModelSchema, readModelDataSource, type ReadModelConnection, type ReadModelDefinition } from '@arrears/read-models';
import type { DataSource } from 'typeorm';
import { PROMISE_READ_MODEL_ENTITIES } from './entities';
import { CreatePromiseReadModels1798761600000 } from './migrations/1798761600000-create-promise-read-models';
import { AddPromiseBrokenOn1799971200000 } from './migrations/1799971200000-add-promise-broken-on';
import { AddCasePlacements1799971200001 } from './migrations/1799971200001-add-case-placements';
import { DEFAULT_PROMISE_READ_SCHEMA } from './schema';

export const PROMISE_READ_MODEL_MIGRATIONS = [CreatePromiseReadModels1798761600000, AddPromiseBrokenOn1799971200000, AddCasePlacements1799971200001] as const;

/** The connection: a PostgreSQL URL, the schema (default `promises_read`), the pool size. */
export type PromiseReadModelOptions = ReadModelConnection;

const DEFINITION: ReadModelDefinition = { name: 'promise', defaultSchema: DEFAULT_PROMISE_READ_SCHEMA, entities: [...PROMISE_READ_MODEL_ENTITIES], migrations: [...PROMISE_READ_MODEL_MIGRATIONS] };

/** A DataSource for the promise read models in one schema; not yet connected. */
export function createPromiseReadModelDataSource(options: PromiseReadModelOptions): DataSource {
  return readModelDataSource(DEFINITION, options);
}

/** Brings the schema up to date under an advisory lock, so instances starting together migrate once. */
export function migratePromiseReadModels(dataSource: DataSource): Promise<void> {
  return migrateReadModelSchema(DEFINITION, dataSource);
}

/** Connects and migrates: what the service does at start. */
export function openPromiseReadModels(options: PromiseReadModelOptions): Promise<DataSource> {
  return openReadModelSchema(DEFINITION, options);
}
