/** A read model of its own for one test: a fresh schema, migrated, with ways to look at what it stored. */
import { columnsContaining, feed, snapshotTables } from '@arrears/read-models/src/testing/table-inspection';
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
  const tables = Object.keys(READ_MODEL_TABLES) as Table[];
  return {
    schema,
    dataSource,
    queries: new ContactQueries(dataSource),
    projection: (consumer = CONSUMER) => new ContactProjection({ dataSource, consumer }),
    snapshot: () => snapshotTables(schema.pool, schema.name, READ_MODEL_TABLES),
    columnsContaining: (needle) => columnsContaining(schema.pool, schema.name, tables, needle),
    async drop() {
      await dataSource.destroy();
      await schema.drop();
    },
  };
}

export { feed };
