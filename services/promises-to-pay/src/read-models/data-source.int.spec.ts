import { describeReadModelMigrations } from '@arrears/read-models/src/testing/migration-suite';
import { createPromiseReadModelDataSource, openPromiseReadModels } from './data-source';
import { DEFAULT_PROMISE_READ_SCHEMA } from './schema';

describeReadModelMigrations({
  name: 'promises-to-pay',
  defaultSchema: DEFAULT_PROMISE_READ_SCHEMA,
  create: createPromiseReadModelDataSource,
  open: openPromiseReadModels,
  migrations: ['CreatePromiseReadModels1798761600000', 'AddPromiseBrokenOn1799971200000', 'AddCasePlacements1799971200001'],
  tables: ['case_placements', 'case_segment_changes', 'case_segments', 'migrations', 'processed_events', 'promises'],
});
