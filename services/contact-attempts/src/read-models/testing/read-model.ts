/** A read model of its own for one test: a fresh schema, migrated, with ways to look at what it stored. */
import type { EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { createTestSchema, databaseUrl, type TestSchema } from '@arrears/testing';
import type { DataSource } from 'typeorm';
import { ContactProjection } from '../contact-projection';
import { ContactQueries } from '../contact-queries';
import { openContactReadModels } from '../data-source';

export const CONSUMER = 'contact-attempts__read-models';

/** Each table and the order its snapshot is taken in. `processed_events` is left out: it records the clock. */
export const READ_MODEL_TABLES = {
  contact_history: 'contact_id',
  collector_days: 'operator_id, day',
  complaints: 'complaint_id',
  language_hits: 'event_id, hit_index',
  contact_streams: 'stream_id',
} as const;
type Table = keyof typeof READ_MODEL_TABLES;

export interface TestReadModel {
  readonly schema: TestSchema;
  readonly dataSource: DataSource;
  readonly queries: ContactQueries;
  projection(consumer?: string): ContactProjection;
  /** Every row of every table exactly as stored (`to_jsonb` of each row), in key order. */
  snapshot(): Promise<Record<Table, unknown[]>>;
  /** `table.column` of every text, text[] or jsonb value of the tables that contains `needle` (case-insensitive). */
  columnsContaining(needle: string): Promise<string[]>;
  drop(): Promise<void>;
}

export async function createTestReadModel(prefix = 'contact_read'): Promise<TestReadModel> {
  const schema = await createTestSchema(prefix);
  const dataSource = await openContactReadModels({ url: databaseUrl(), schema: schema.name, poolSize: 5 });
  const s = quoteIdentifier(schema.name);
  const tables = Object.keys(READ_MODEL_TABLES) as Table[];
  return {
    schema,
    dataSource,
    queries: new ContactQueries(dataSource),
    projection: (consumer = CONSUMER) => new ContactProjection({ dataSource, consumer }),
    async snapshot() {
      const entries = await Promise.all(
        tables.map(async (table) => [table, (await schema.pool.query<{ row: unknown }>(`select to_jsonb(t) as row from ${s}.${table} t order by ${READ_MODEL_TABLES[table]}`)).rows.map((r) => r.row)] as const),
      );
      return Object.fromEntries(entries) as Record<Table, unknown[]>;
    },
    async columnsContaining(needle) {
      const { rows: columns } = await schema.pool.query<{ table_name: string; column_name: string }>(
        `select table_name, column_name from information_schema.columns
          where table_schema = $1 and table_name = any($2) and (data_type in ('text', 'character varying', 'json', 'jsonb') or udt_name in ('_text', '_varchar'))
          order by table_name, ordinal_position`,
        [schema.name, tables],
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
export async function feed(projection: ContactProjection, events: readonly EventEnvelope[]): Promise<void> {
  for (const event of events) await projection.handle(event);
}
