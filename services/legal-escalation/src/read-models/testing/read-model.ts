/** A read model of its own for one test: a fresh schema, migrated, with ways to look at what it stored. */
import { feed } from '@arrears/read-models/src/testing/table-inspection';
import { openTestReadModel, type TestReadModelBase } from '@arrears/read-models/src/testing/test-read-model';
import { openLegalReadModels } from '../data-source';
import { LegalProjection } from '../legal-projection';
import { LegalQueries } from '../legal-queries';

export const CONSUMER = 'legal-escalation__read-models';

/** Each table and the order its snapshot is taken in. `processed_events` is left out: it records the clock. */
export const READ_MODEL_TABLES = {
  stream_positions: 'stream_id',
  escalations: 'case_id, handoff',
  case_placements: 'case_id',
} as const;

export interface TestReadModel extends TestReadModelBase<keyof typeof READ_MODEL_TABLES> {
  readonly queries: LegalQueries;
  projection(consumer?: string): LegalProjection;
}

export async function createTestReadModel(prefix = 'legal_read'): Promise<TestReadModel> {
  // Instants in the snapshots read the same on any server: in UTC.
  const model = await openTestReadModel({ prefix, open: openLegalReadModels, tables: READ_MODEL_TABLES, consumer: CONSUMER, pool: { options: '-c TimeZone=UTC' } });
  const { dataSource } = model;
  return { ...model, queries: new LegalQueries(dataSource), projection: (consumer = CONSUMER) => new LegalProjection({ dataSource, consumer }) };
}

export { feed };
