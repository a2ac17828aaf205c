export { AccountsProjection, type AccountsProjectionOptions } from './accounts-projection';
export {
  AccountQueries,
  accountQueryHandlers,
  type AccountActivityView,
  type AccountDetail,
  type AccountPage,
  type AccountSummaryView,
  type BalanceTotals,
  type PortfolioGroup,
  type PortfolioSummary,
} from './account-queries';
export { AccountListFilterSchema, PortfolioFilterSchema, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, type AccountListFilter, type PortfolioFilter } from './query-filters';
export { createReadModelDataSource, migrateReadModels, openReadModels, READ_MODEL_MIGRATIONS, type ReadModelDataSourceOptions } from './data-source';
export { DEFAULT_READ_MODEL_SCHEMA } from './schema';
export { AccountSummary, AccountActivity, READ_MODEL_ENTITIES, type FlagDetail, type FlagDetails, type AccountStatus, type ActivityKind } from './entities';
export type { PersonalDataReader, MaskedContact, MaskedDebtor } from './personal-data';
export {
  MAX_RECOVERY_PERIODS,
  RECOVERY_GRANULARITIES,
  RecoveryTrendParamsSchema,
  RecoveryTrendQuery,
  recoveryQueryHandlers,
  type RecoveryGranularity,
  type RecoveryPeriod,
  type RecoveryTrend,
  type RecoveryTrendParams,
} from './recovery-trend';
