import { migrateReadModelSchema, openReadModelSchema, readModelDataSource, type ReadModelConnection, type ReadModelDefinition } from '@arrears/read-models';
import type { DataSource } from 'typeorm';
import { CONTACT_READ_MODEL_ENTITIES } from './entities';
import { CreateContactReadModels1795910400000 } from './migrations/1795910400000-create-contact-read-models';
import { AddCasePlacements1795910400001 } from './migrations/1795910400001-add-case-placements';
import { DEFAULT_CONTACT_READ_SCHEMA } from './schema';

export const CONTACT_READ_MODEL_MIGRATIONS = [CreateContactReadModels1795910400000, AddCasePlacements1795910400001] as const;

/** The connection: a PostgreSQL URL, the schema (default `contact_read`), the pool size. */
export type ContactReadModelOptions = ReadModelConnection;

const DEFINITION: ReadModelDefinition = { name: 'contact', defaultSchema: DEFAULT_CONTACT_READ_SCHEMA, entities: [...CONTACT_READ_MODEL_ENTITIES], migrations: [...CONTACT_READ_MODEL_MIGRATIONS] };

/** A DataSource for the contact read models in one schema; not yet connected. */
export function createContactReadModelDataSource(options: ContactReadModelOptions): DataSource {
  return readModelDataSource(DEFINITION, options);
}

/** Brings the schema up to date under an advisory lock, so instances starting together migrate once. */
export function migrateContactReadModels(dataSource: DataSource): Promise<void> {
  return migrateReadModelSchema(DEFINITION, dataSource);
}

/** Connects and migrates: what the service does at start. */
export function openContactReadModels(options: ContactReadModelOptions): Promise<DataSource> {
  return openReadModelSchema(DEFINITION, options);
}
