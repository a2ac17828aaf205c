import { schemaOf as schemaOfDataSource } from '@arrears/read-models';
import type { DataSource } from 'typeorm';

export const DEFAULT_LEGAL_READ_SCHEMA = 'legal_read';

/** The schema a DataSource was made for: where its entities, migrations and processed events live. */
export function schemaOf(dataSource: Pick<DataSource, 'options'>): string {
  return schemaOfDataSource(dataSource, DEFAULT_LEGAL_READ_SCHEMA);
}
