export { PlansProjection, SEGMENT_EVENT_TYPES, type PlansProjectionOptions } from './plans-projection';
export {
  PlanQueries,
  type CurrencyAmounts,
  type InstalmentPage,
  type InstalmentView,
  type MissedInstalmentView,
  type OverdueInstalmentView,
  type Page,
  type PlanDetail,
  type PlanPage,
  type PlanPerformance,
  type PlanPerformanceGroup,
  type PlanView,
} from './plan-queries';
export {
  ActivePlansParamsSchema,
  DEFAULT_PAGE_SIZE,
  DueParamsSchema,
  MAX_PAGE_SIZE,
  MissedParamsSchema,
  OverdueParamsSchema,
  PLAN_PERFORMANCE_GROUPINGS,
  PlanPerformanceParamsSchema,
  type ActivePlansOptions,
  type InstalmentKey,
  type InstalmentListOptions,
  type PlanPerformanceGrouping,
  type PlanPerformanceParams,
} from './query-params';
export { createPlanReadModelDataSource, migratePlanReadModels, openPlanReadModels, PLAN_READ_MODEL_MIGRATIONS, type PlanReadModelOptions } from './data-source';
export { DEFAULT_PLAN_READ_SCHEMA } from './schema';
export {
  ACTIVE_PLAN_STATUSES,
  CaseSegmentRow,
  INSTALMENT_STATUSES,
  InstalmentRow,
  PLAN_READ_MODEL_ENTITIES,
  PLAN_STATUSES,
  PlanRow,
  SegmentChangeRow,
  type ActivePlanStatus,
  type InstalmentStatus,
  type PlanStatus,
  type SegmentKind,
} from './entities';
