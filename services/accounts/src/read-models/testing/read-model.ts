/** A read model of its own for one test: a fresh schema, migrated, with ways to look at what it stored. */
import type { EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
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
  const s = quoteIdentifier(schema.name);
  return {
    schema,
    dataSource,
    queries: new AccountQueries(dataSource),
    projection: (reader, consumer = CONSUMER) => new AccountsProjection({ dataSource, reader, consumer }),
    async snapshot() {
      const rows = async (table: string, key: string) =>
        (await schema.pool.query<{ row: unknown }>(`select to_jsonb(t) as row from ${s}.${table} t order by ${key}`)).rows.map((r) => r.row);
      return { account_summaries: await rows('account_summaries', 'account_id'), account_activity: await rows('account_activity', 'account_id, stream_position') };
    },
    async columnsContaining(needle) {
      const { rows: columns } = await schema.pool.query<{ table_name: string; column_name: string }>(
        `select table_name, column_name from information_schema.columns
          where table_schema = $1 and table_name = any($2) and (data_type in ('text', 'character varying', 'json', 'jsonb') or udt_name in ('_text', '_varchar'))
          order by table_name, ordinal_position`,
        [schema.name, [...READ_MODEL_TABLES]],
      );
      if (columns.length === 0) throw new Error('no text columns found: the scan would prove nothing');
      const hits: string[] = [];
      for (const { table_name: table, column_name: column } of columns) {
        const { rows } = await schema.pool.query(`select 1 from ${s}.${quoteIdentifier(table)} where strpos(lower(${quoteIdentifier(column)}::text), lower($1)) > 0 limit 1`, [needle]);
        if (rows.length > 0) hits.push(`${table}.${column}`);
      }
      return hits;
    },
    async drop() {
      await dataSource.destroy();
      await schema.drop();
    },
  };
}

/** Hands each event to the projection in order, as the durable consumer would. */
export async function feed(projection: AccountsProjection, events: readonly EventEnvelope[]): Promise<void> {
  for (const event of events) await projection.handle(event);
}
