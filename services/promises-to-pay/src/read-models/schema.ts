import { readModelSchemaName, schemaOf as schemaOfDataSource } from '@arrears/read-models';
import type { DataSource } from 'typeorm';

export const DEFAULT_PROMISE_READ_SCHEMA = 'promises_read';

export function promiseReadSchemaName(name: string = DEFAULT_PROMISE_READ_SCHEMA): string {
  return readModelSchemaName(name);
}

/** The schema a DataSource was made for: where its entities, migrations and processed events live. */
export function schemaOf(dataSource: Pick<DataSource, 'options'>): string {
  return schemaOfDataSource(dataSource, DEFAULT_PROMISE_READ_SCHEMA);
}
