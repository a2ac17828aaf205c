export { PromisesProjection, SEGMENT_EVENT_TYPES, type PromisesProjectionOptions } from './promises-projection';
export {
  PromiseQueries,
  promiseQueryHandlers,
  type CurrencyAmounts,
  type OverduePromiseView,
  type PromisePage,
  type PromiseRateGroup,
  type PromiseRates,
  type PromiseView,
} from './promise-queries';
export {
  AccountPromisesParamsSchema,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  PROMISE_RATE_GROUPINGS,
  PromiseRatesParamsSchema,
  WorklistParamsSchema,
  type AccountPromisesParams,
  type PromiseRateGrouping,
  type PromiseRatesParams,
  type WorklistOptions,
} from './query-params';
export {
  createPromiseReadModelDataSource,
  migratePromiseReadModels,
  openPromiseReadModels,
  PROMISE_READ_MODEL_MIGRATIONS,
  type PromiseReadModelOptions,
} from './data-source';
export { DEFAULT_PROMISE_READ_SCHEMA } from './schema';
export { CasePlacementRow, CaseSegmentRow, PromiseRow, PROMISE_READ_MODEL_ENTITIES, SegmentChangeRow, type PromiseChannel, type PromiseStatus, type SegmentKind } from './entities';
