import { describeReadModelMigrations } from '@arrears/read-models/src/testing/migration-suite';
import { createContactReadModelDataSource, openContactReadModels } from './data-source';
import { DEFAULT_CONTACT_READ_SCHEMA } from './schema';

describeReadModelMigrations({
  name: 'contact-attempts',
  defaultSchema: DEFAULT_CONTACT_READ_SCHEMA,
  create: createContactReadModelDataSource,
  open: openContactReadModels,
  migrations: ['CreateContactReadModels1795910400000', 'AddCasePlacements1795910400001'],
  tables: ['case_placements', 'collector_days', 'complaints', 'contact_history', 'contact_streams', 'language_hits', 'migrations', 'processed_events'],
});
