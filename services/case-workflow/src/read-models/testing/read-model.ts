/** A read model of its own for one test: a fresh schema, migrated, with ways to look at what it stored. */
import { feed } from '@arrears/read-models/src/testing/table-inspection';
import { openTestReadModel, type TestReadModelBase } from '@arrears/read-models/src/testing/test-read-model';
import { openWorkflowReadModels } from '../data-source';
import { WorkflowProjection } from '../workflow-projection';
import { WorkflowQueries } from '../workflow-queries';

export const CONSUMER = 'case-workflow__read-models';

/** Each table and the order its snapshot is taken in. `processed_events` is left out: it records the clock. */
export const READ_MODEL_TABLES = {
  stream_positions: 'stream_id',
  cases: 'case_id',
  collectors: 'team_id, collector_id',
  checklist_items: 'case_id, entry, item',
  stage_visits: 'case_id, entry',
} as const;

export interface TestReadModel extends TestReadModelBase<keyof typeof READ_MODEL_TABLES> {
  readonly queries: WorkflowQueries;
  projection(consumer?: string): WorkflowProjection;
}

export async function createTestReadModel(prefix = 'workflow_read'): Promise<TestReadModel> {
  // Instants in the snapshots read the same on any server: in UTC.
  const model = await openTestReadModel({ prefix, open: openWorkflowReadModels, tables: READ_MODEL_TABLES, consumer: CONSUMER, pool: { options: '-c TimeZone=UTC' } });
  const { dataSource } = model;
  return { ...model, queries: new WorkflowQueries(dataSource), projection: (consumer = CONSUMER) => new WorkflowProjection({ dataSource, consumer }) };
}

export { feed };
