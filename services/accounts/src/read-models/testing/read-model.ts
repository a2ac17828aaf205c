/** A read model of its own for one test: a fresh schema, migrated, with ways to look at what it stored. */
import { feed } from '@arrears/read-models/src/testing/table-inspection';
import { openTestReadModel, type TestReadModelBase } from '@arrears/read-models/src/testing/test-read-model';
import { AccountQueries } from '../account-queries';
import { AccountsProjection } from '../accounts-projection';
import { openReadModels } from '../data-source';
import type { PersonalDataReader } from '../personal-data';

export const CONSUMER = 'accounts__read-models';

/** Each table and the order its snapshot is taken in. `processed_events` is left out: it records the clock. */
export const READ_MODEL_TABLES = {
  account_summaries: 'account_id',
  account_activity: 'account_id, stream_position',
} as const;

export interface TestReadModel extends TestReadModelBase<keyof typeof READ_MODEL_TABLES> {
  readonly queries: AccountQueries;
  projection(reader: PersonalDataReader, consumer?: string): AccountsProjection;
}

export async function createTestReadModel(prefix = 'accounts_read'): Promise<TestReadModel> {
  const model = await openTestReadModel({ prefix, open: openReadModels, tables: READ_MODEL_TABLES, consumer: CONSUMER });
  const { dataSource } = model;
  return { ...model, queries: new AccountQueries(dataSource), projection: (reader, consumer = CONSUMER) => new AccountsProjection({ dataSource, reader, consumer }) };
}

export { feed };
