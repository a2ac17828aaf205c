import { readModelSchemaName as checkedSchemaName, schemaOf as schemaOfDataSource } from '@arrears/read-models';
import type { DataSource } from 'typeorm';

export const DEFAULT_READ_MODEL_SCHEMA = 'accounts_read';

export function readModelSchemaName(name: string = DEFAULT_READ_MODEL_SCHEMA): string {
  return checkedSchemaName(name);
}

/** The schema a DataSource was made for: where its entities, migrations and processed events live. */
export function schemaOf(dataSource: Pick<DataSource, 'options'>): string {
  return schemaOfDataSource(dataSource, DEFAULT_READ_MODEL_SCHEMA);
}
