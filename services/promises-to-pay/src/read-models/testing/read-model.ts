/** A read model of its own for one test: a fresh schema, migrated, with a way to look at what it stored. */
import { feed } from '@arrears/read-models/src/testing/table-inspection';
import { openTestReadModel, type TestReadModelBase } from '@arrears/read-models/src/testing/test-read-model';
import { openPromiseReadModels } from '../data-source';
import { PromiseQueries } from '../promise-queries';
import { PromisesProjection } from '../promises-projection';

export const CONSUMER = 'promises-to-pay__read-models';

/** Each table and the order its snapshot is taken in. `processed_events` is left out: it records the clock. */
export const READ_MODEL_TABLES = {
  case_placements: 'account_id',
  case_segments: 'account_id',
  case_segment_changes: 'account_id, stream_position',
  promises: 'promise_id',
} as const;

export interface TestReadModel extends TestReadModelBase<keyof typeof READ_MODEL_TABLES> {
  readonly queries: PromiseQueries;
  projection(consumer?: string): PromisesProjection;
}

export async function createTestReadModel(prefix = 'promises_read'): Promise<TestReadModel> {
  // Instants in the snapshots read the same on any server: in UTC.
  const model = await openTestReadModel({ prefix, open: openPromiseReadModels, tables: READ_MODEL_TABLES, consumer: CONSUMER, pool: { options: '-c TimeZone=UTC' } });
  const { dataSource } = model;
  return { ...model, queries: new PromiseQueries(dataSource), projection: (consumer = CONSUMER) => new PromisesProjection({ dataSource, consumer }) };
}

export { feed };
