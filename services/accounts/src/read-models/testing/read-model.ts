/** A read model of its own for one test: a fresh schema, migrated, with ways to look at what it stored. */
import { columnsContaining, feed, snapshotTables } from '@arrears/read-models/src/testing/table-inspection';
import { createTestSchema, databaseUrl, type TestSchema } from '@arrears/testing';
import type { DataSource } from 'typeorm';
import { AccountQueries } from '../account-queries';
import { AccountsProjection } from '../accounts-projection';
import { openReadModels } from '../data-source';
import type { PersonalDataReader } from '../personal-data';

export const CONSUMER = 'accounts__read-models';
export const READ_MODEL_TABLES = ['account_summaries', 'account_activity'] as const;

export interface TestReadModel {
  readonly schema: TestSchema;
  readonly dataSource: DataSource;
  readonly queries: AccountQueries;
  projection(reader: PersonalDataReader, consumer?: string): AccountsProjection;
  /** Every row of both tables exactly as stored (`to_jsonb` of each row), in key order. */
  snapshot(): Promise<Record<(typeof READ_MODEL_TABLES)[number], unknown[]>>;
  /** `table.column` of every text, text[] or jsonb value of both tables that contains `needle` (case-insensitive). */
  columnsContaining(needle: string): Promise<string[]>;
  drop(): Promise<void>;
}

export async function createTestReadModel(prefix = 'accounts_read'): Promise<TestReadModel> {
  const schema = await createTestSchema(prefix);
  const dataSource = await openReadModels({ url: databaseUrl(), schema: schema.name, poolSize: 5 });
  return {
    schema,
    dataSource,
    queries: new AccountQueries(dataSource),
    projection: (reader, consumer = CONSUMER) => new AccountsProjection({ dataSource, reader, consumer }),
    snapshot: () => snapshotTables(schema.pool, schema.name, { account_summaries: 'account_id', account_activity: 'account_id, stream_position' }),
    columnsContaining: (needle) => columnsContaining(schema.pool, schema.name, READ_MODEL_TABLES, needle),
    async drop() {
      await dataSource.destroy();
      await schema.drop();
    },
  };
}

export { feed };
