import { migrateReadModelSchema, openReadModelSchema, readModelDataSource, type ReadModelConnection, type ReadModelDefinition } from '@arrears/read-models';
import type { DataSource } from 'typeorm';
import { LEGAL_READ_MODEL_ENTITIES } from './entities';
import { CreateLegalReadModels1799539200000 } from './migrations/1799539200000-create-legal-read-models';
import { AddCasePlacements1799539200001 } from './migrations/1799539200001-add-case-placements';
import { DEFAULT_LEGAL_READ_SCHEMA } from './schema';

export const LEGAL_READ_MODEL_MIGRATIONS = [CreateLegalReadModels1799539200000, AddCasePlacements1799539200001] as const;

/** The connection: a PostgreSQL URL, the schema (default `legal_read`), the pool size. */
export type LegalReadModelOptions = ReadModelConnection;

const DEFINITION: ReadModelDefinition = {
  name: 'legal-escalation',
  defaultSchema: DEFAULT_LEGAL_READ_SCHEMA,
  entities: [...LEGAL_READ_MODEL_ENTITIES],
  migrations: [...LEGAL_READ_MODEL_MIGRATIONS],
};

/** A DataSource for the legal read models in one schema; not yet connected. */
export function createLegalReadModelDataSource(options: LegalReadModelOptions): DataSource {
  return readModelDataSource(DEFINITION, options);
}

/** Brings the schema up to date under an advisory lock, so instances starting together migrate once. */
export function migrateLegalReadModels(dataSource: DataSource): Promise<void> {
  return migrateReadModelSchema(DEFINITION, dataSource);
}

/** Connects and migrates: what the service does at start. */
export function openLegalReadModels(options: LegalReadModelOptions): Promise<DataSource> {
  return openReadModelSchema(DEFINITION, options);
}
