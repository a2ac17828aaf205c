import { readModelSchemaName, schemaOf as schemaOfDataSource } from '@arrears/read-models';
import type { DataSource } from 'typeorm';

export const DEFAULT_PLAN_READ_SCHEMA = 'plans_read';

export function planReadSchemaName(name: string = DEFAULT_PLAN_READ_SCHEMA): string {
  return readModelSchemaName(name);
}

/** The schema a DataSource was made for: where its entities, migrations and processed events live. */
export function schemaOf(dataSource: Pick<DataSource, 'options'>): string {
  return schemaOfDataSource(dataSource, DEFAULT_PLAN_READ_SCHEMA);
}
