import { readModelSchemaName, schemaOf as schemaOfDataSource } from '@arrears/read-models';
import type { DataSource } from 'typeorm';

export const DEFAULT_CONTACT_READ_SCHEMA = 'contact_read';

export function contactReadSchemaName(name: string = DEFAULT_CONTACT_READ_SCHEMA): string {
  return readModelSchemaName(name);
}

/** The schema a DataSource was made for: where its entities, migrations and processed events live. */
export function schemaOf(dataSource: Pick<DataSource, 'options'>): string {
  return schemaOfDataSource(dataSource, DEFAULT_CONTACT_READ_SCHEMA);
}
