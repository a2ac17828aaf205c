import { migrateReadModelSchema, openReadModelSchema, readModelDataSource, type ReadModelConnection, type ReadModelDefinition } from '@arrears/read-models';
import type { DataSource } from 'typeorm';
import { WORKFLOW_READ_MODEL_ENTITIES } from './entities';
import { CreateWorkflowReadModels1799280000000 } from './migrations/1799280000000-create-workflow-read-models';
import { AddCaseJurisdiction1799280000001 } from './migrations/1799280000001-add-case-jurisdiction';
import { DEFAULT_WORKFLOW_READ_SCHEMA } from './schema';

export const WORKFLOW_READ_MODEL_MIGRATIONS = [CreateWorkflowReadModels1799280000000, AddCaseJurisdiction1799280000001] as const;

/** The connection: a PostgreSQL URL, the schema (default `workflow_read`), the pool size. */
export type WorkflowReadModelOptions = ReadModelConnection;

const DEFINITION: ReadModelDefinition = {
  name: 'case-workflow',
  defaultSchema: DEFAULT_WORKFLOW_READ_SCHEMA,
  entities: [...WORKFLOW_READ_MODEL_ENTITIES],
  migrations: [...WORKFLOW_READ_MODEL_MIGRATIONS],
};

/** A DataSource for the workflow read models in one schema; not yet connected. */
export function createWorkflowReadModelDataSource(options: WorkflowReadModelOptions): DataSource {
  return readModelDataSource(DEFINITION, options);
}

/** Brings the schema up to date under an advisory lock, so instances starting together migrate once. */
export function migrateWorkflowReadModels(dataSource: DataSource): Promise<void> {
  return migrateReadModelSchema(DEFINITION, dataSource);
}

/** Connects and migrates: what the service does at start. */
export function openWorkflowReadModels(options: WorkflowReadModelOptions): Promise<DataSource> {
  return openReadModelSchema(DEFINITION, options);
}
