import { migrateReadModelSchema, openReadModelSchema, readModelDataSource, type ReadModelConnection, type ReadModelDefinition } from '@arrears/read-models';
import type { DataSource } from 'typeorm';
import { PLAN_READ_MODEL_ENTITIES } from './entities';
import { CreatePlanReadModels1799020800000 } from './migrations/1799020800000-create-plan-read-models';
import { DEFAULT_PLAN_READ_SCHEMA } from './schema';

export const PLAN_READ_MODEL_MIGRATIONS = [CreatePlanReadModels1799020800000] as const;

/** The connection: a PostgreSQL URL, the schema (default `plans_read`), the pool size. */
export type PlanReadModelOptions = ReadModelConnection;

const DEFINITION: ReadModelDefinition = { name: 'payment-plans', defaultSchema: DEFAULT_PLAN_READ_SCHEMA, entities: [...PLAN_READ_MODEL_ENTITIES], migrations: [...PLAN_READ_MODEL_MIGRATIONS] };

/** A DataSource for the plan read models in one schema; not yet connected. */
export function createPlanReadModelDataSource(options: PlanReadModelOptions): DataSource {
  return readModelDataSource(DEFINITION, options);
}

/** Brings the schema up to date under an advisory lock, so instances starting together migrate once. */
export function migratePlanReadModels(dataSource: DataSource): Promise<void> {
  return migrateReadModelSchema(DEFINITION, dataSource);
}

/** Connects and migrates: what the service does at start. */
export function openPlanReadModels(options: PlanReadModelOptions): Promise<DataSource> {
  return openReadModelSchema(DEFINITION, options);
}
