/** A read model of its own for one test: a fresh schema, migrated, with ways to look at what it stored. */
import { feed } from '@arrears/read-models/src/testing/table-inspection';
import { openTestReadModel, type TestReadModelBase } from '@arrears/read-models/src/testing/test-read-model';
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

export interface TestReadModel extends TestReadModelBase<keyof typeof READ_MODEL_TABLES> {
  readonly queries: PlanQueries;
  projection(consumer?: string): PlansProjection;
}

export async function createTestReadModel(prefix = 'plans_read'): Promise<TestReadModel> {
  // Instants in the snapshots read the same on any server: in UTC.
  const model = await openTestReadModel({ prefix, open: openPlanReadModels, tables: READ_MODEL_TABLES, consumer: CONSUMER, pool: { options: '-c TimeZone=UTC' } });
  const { dataSource } = model;
  return { ...model, queries: new PlanQueries(dataSource), projection: (consumer = CONSUMER) => new PlansProjection({ dataSource, consumer }) };
}

export { feed };
