import { describeReadModelMigrations } from '@arrears/read-models/src/testing/migration-suite';
import { createLegalReadModelDataSource, openLegalReadModels } from './data-source';
import { DEFAULT_LEGAL_READ_SCHEMA } from './schema';

describeReadModelMigrations({
  name: 'legal-escalation',
  defaultSchema: DEFAULT_LEGAL_READ_SCHEMA,
  create: createLegalReadModelDataSource,
  open: openLegalReadModels,
  migrations: ['CreateLegalReadModels1799539200000', 'AddCasePlacements1799539200001'],
  tables: ['case_placements', 'escalations', 'migrations', 'processed_events', 'stream_positions'],
});
