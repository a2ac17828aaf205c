import { ArrearsError, ErrorCode } from '@arrears/contracts';
import type { DataSource } from 'typeorm';

/** Lower-case, unquoted-safe, at most PostgreSQL's 63 bytes: a name that means the same quoted or not. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function readModelSchemaName(name: string): string {
  if (!SCHEMA_NAME.test(name)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The read-model schema must be a lower-case PostgreSQL name (letters, digits, _; at most 63), not ${JSON.stringify(name)}`, {
      field: 'schema',
    });
  }
  return name;
}

/** The schema a DataSource was made for (else `fallback`): where its entities, migrations and processed events live. */
export function schemaOf(dataSource: Pick<DataSource, 'options'>, fallback: string): string {
  const { schema } = dataSource.options as { readonly schema?: string };
  return readModelSchemaName(schema ?? fallback);
}
