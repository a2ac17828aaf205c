/** A read model of its own for one test: a fresh schema, migrated, with a way to look at what it stored. */
import { feed, snapshotTables } from '@arrears/read-models/src/testing/table-inspection';
import { quoteIdentifier } from '@arrears/event-store';
import { createTestSchema, databaseUrl, type TestSchema } from '@arrears/testing';
import type { DataSource } from 'typeorm';
import { openPromiseReadModels } from '../data-source';
import { PromiseQueries } from '../promise-queries';
import { PromisesProjection } from '../promises-projection';

export const CONSUMER = 'promises-to-pay__read-models';

/** Each table and the order its snapshot is taken in. `processed_events` is left out: it records the clock. */
export const READ_MODEL_TABLES = {
  case_segments: 'account_id',
  case_segment_changes: 'account_id, stream_position',
  promises: 'promise_id',
} as const;
type Table = keyof typeof READ_MODEL_TABLES;

export interface TestReadModel {
  readonly schema: TestSchema;
  readonly dataSource: DataSource;
  readonly queries: PromiseQueries;
  projection(consumer?: string): PromisesProjection;
  /** Every row of every table exactly as stored (`to_jsonb` of each row), in key order. */
  snapshot(): Promise<Record<Table, unknown[]>>;
  /** The ids of the events recorded by processOnce under `consumer`, sorted. */
  processed(consumer?: string): Promise<string[]>;
  drop(): Promise<void>;
}

export async function createTestReadModel(prefix = 'promises_read'): Promise<TestReadModel> {
  // Instants in the snapshots read the same on any server: in UTC.
  const schema = await createTestSchema(prefix, { options: '-c TimeZone=UTC' });
  const dataSource = await openPromiseReadModels({ url: databaseUrl(), schema: schema.name, poolSize: 5 });
  const s = quoteIdentifier(schema.name);
  return {
    schema,
    dataSource,
    queries: new PromiseQueries(dataSource),
    projection: (consumer = CONSUMER) => new PromisesProjection({ dataSource, consumer }),
    snapshot: () => snapshotTables(schema.pool, schema.name, READ_MODEL_TABLES),
    async processed(consumer = CONSUMER) {
      const { rows } = await schema.pool.query<{ event_id: string }>(`select event_id from ${s}.processed_events where consumer = $1 order by event_id`, [consumer]);
      return rows.map((row) => row.event_id);
    },
    async drop() {
      await dataSource.destroy();
      await schema.drop();
    },
  };
}

export { feed };
