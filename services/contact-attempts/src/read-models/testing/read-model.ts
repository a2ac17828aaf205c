/** A read model of its own for one test: a fresh schema, migrated, with ways to look at what it stored. */
import { feed } from '@arrears/read-models/src/testing/table-inspection';
import { openTestReadModel, type TestReadModelBase } from '@arrears/read-models/src/testing/test-read-model';
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
  case_placements: 'account_id',
} as const;

export interface TestReadModel extends TestReadModelBase<keyof typeof READ_MODEL_TABLES> {
  readonly queries: ContactQueries;
  projection(consumer?: string): ContactProjection;
}

export async function createTestReadModel(prefix = 'contact_read'): Promise<TestReadModel> {
  const model = await openTestReadModel({ prefix, open: openContactReadModels, tables: READ_MODEL_TABLES, consumer: CONSUMER });
  const { dataSource } = model;
  return { ...model, queries: new ContactQueries(dataSource), projection: (consumer = CONSUMER) => new ContactProjection({ dataSource, consumer }) };
}

export { feed };
