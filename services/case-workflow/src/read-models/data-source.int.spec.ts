import { describeReadModelMigrations } from '@arrears/read-models/src/testing/migration-suite';
import { createWorkflowReadModelDataSource, openWorkflowReadModels } from './data-source';
import { DEFAULT_WORKFLOW_READ_SCHEMA } from './schema';

describeReadModelMigrations({
  name: 'case-workflow',
  defaultSchema: DEFAULT_WORKFLOW_READ_SCHEMA,
  create: createWorkflowReadModelDataSource,
  open: openWorkflowReadModels,
  migrations: ['CreateWorkflowReadModels1799280000000', 'AddCaseJurisdiction1799280000001'],
  tables: ['cases', 'checklist_items', 'collectors', 'migrations', 'processed_events', 'stage_visits', 'stream_positions'],
});
