/** A read model of its own for one test: a fresh schema, migrated, with ways to look at what it stored. */
import { quoteIdentifier } from '@arrears/event-store';
import { columnsContaining, feed, snapshotTables } from '@arrears/read-models/src/testing/table-inspection';
import { createTestSchema, databaseUrl, type TestSchema } from '@arrears/testing';
import type { DataSource } from 'typeorm';
import { openPlanReadModels } from '../data-source';
import { PlanQueries } from '../plan-queries';
import { PlansProjection } from '../plans-projection';

export const CONSUMER = 'payment-plans__read-models';

/** Each table and the order its snapshot is taken in. `processed_events` is left out: it records the clock. */
export const READ_MODEL_TABLES = {
  case_segments: 'account_id',
  case_segment_changes: 'account_id, stream_position',
  plans: 'plan_id',
  instalments: 'plan_id, number',
} as const;
type Table = keyof typeof READ_MODEL_TABLES;

export interface TestReadModel {
  readonly schema: TestSchema;
  readonly dataSource: DataSource;
  readonly queries: PlanQueries;
  projection(consumer?: string): PlansProjection;
  /** Every row of every table exactly as stored (`to_jsonb` of each row), in key order. */
  snapshot(): Promise<Record<Table, unknown[]>>;
  /** `table.column` of every text, text[] or jsonb value of the tables that contains `needle` (case-insensitive). */
  columnsContaining(needle: string): Promise<string[]>;
  /** The ids of the events recorded by processOnce under `consumer`, sorted. */
  processed(consumer?: string): Promise<string[]>;
  drop(): Promise<void>;
}

export async function createTestReadModel(prefix = 'plans_read'): Promise<TestReadModel> {
  // Instants in the snapshots read the same on any server: in UTC.
  const schema = await createTestSchema(prefix, { options: '-c TimeZone=UTC' });
  const dataSource = await openPlanReadModels({ url: databaseUrl(), schema: schema.name, poolSize: 5 });
  const s = quoteIdentifier(schema.name);
  return {
    schema,
    dataSource,
    queries: new PlanQueries(dataSource),
    projection: (consumer = CONSUMER) => new PlansProjection({ dataSource, consumer }),
    snapshot: () => snapshotTables(schema.pool, schema.name, READ_MODEL_TABLES),
    columnsContaining: (needle) => columnsContaining(schema.pool, schema.name, Object.keys(READ_MODEL_TABLES), needle),
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
