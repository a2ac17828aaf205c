export { WorkflowProjection, type WorkflowProjectionOptions } from './workflow-projection';
export {
  WorkflowQueries,
  type CaseAssignmentView,
  type CasePage,
  type CasesByStage,
  type CaseView,
  type CaseWorkflowView,
  type ChecklistItemView,
  type CollectorWorkload,
  type DurationFigures,
  type ItemPage,
  type MissedDeadlineView,
  type OpenVisitFigures,
  type OverdueItemView,
  type StageCount,
  type StageDurationGroup,
  type StageDurations,
  type StageVisitView,
} from './workflow-queries';
export { workflowQueryHandlers } from './workflow-query-handlers';
export {
  DURATION_GROUPINGS,
  type CasesInStageOptions,
  type CasesOfCollectorOptions,
  type DurationGrouping,
  type ItemKey,
  type MissedOptions,
  type OverdueOptions,
  type StageCountFilter,
  type StageDurationParams,
  type WorkloadFilter,
} from './query-params';
export {
  createWorkflowReadModelDataSource,
  migrateWorkflowReadModels,
  openWorkflowReadModels,
  WORKFLOW_READ_MODEL_MIGRATIONS,
  type WorkflowReadModelOptions,
} from './data-source';
export { DEFAULT_WORKFLOW_READ_SCHEMA } from './schema';
export {
  ASSIGNMENT_STATUSES,
  CaseRow,
  CHECKLIST_STATUSES,
  ChecklistItemRow,
  CollectorRow,
  StageVisitRow,
  WORKFLOW_READ_MODEL_ENTITIES,
  type AssignmentStatus,
  type ChecklistStatus,
} from './entities';
// From the kit, and part of this module's API: the page size limits, the `Page` of its lists, the entity of `stream_positions`.
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, StreamPositionRow, type Page } from '@arrears/read-models';
