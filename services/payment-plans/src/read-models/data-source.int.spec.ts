import { describeReadModelMigrations } from '@arrears/read-models/src/testing/migration-suite';
import { createPlanReadModelDataSource, openPlanReadModels } from './data-source';
import { DEFAULT_PLAN_READ_SCHEMA } from './schema';

describeReadModelMigrations({
  name: 'payment-plans',
  defaultSchema: DEFAULT_PLAN_READ_SCHEMA,
  create: createPlanReadModelDataSource,
  open: openPlanReadModels,
  migrations: ['CreatePlanReadModels1799020800000'],
  tables: ['case_segment_changes', 'case_segments', 'instalments', 'migrations', 'plans', 'processed_events'],
});
