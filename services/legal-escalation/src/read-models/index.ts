export { LegalProjection, type LegalProjectionOptions } from './legal-projection';
export {
  HANDOFF_DEADLINE_HOURS,
  LegalQueries,
  type EscalationAgeView,
  type EscalationPage,
  type EscalationView,
  type HandoffStepFigures,
  type HandoffTimes,
  type StatusCount,
} from './legal-queries';
export { legalQueryHandlers } from './legal-query-handlers';
export { HANDOFF_GAUGE_MAX_AGE_MS, observeHandoffs } from './handoff-metrics';
export {
  EscalationListParamsSchema,
  HandoffTimesParamsSchema,
  StatusCountFilterSchema,
  type EscalationKey,
  type EscalationListOptions,
  type HandoffTimesParams,
  type StatusCountFilter,
} from './query-params';
export { createLegalReadModelDataSource, LEGAL_READ_MODEL_MIGRATIONS, migrateLegalReadModels, openLegalReadModels, type LegalReadModelOptions } from './data-source';
export { DEFAULT_LEGAL_READ_SCHEMA } from './schema';
export {
  ESCALATION_STATUSES,
  CasePlacementRow,
  EscalationRow,
  LEGAL_READ_MODEL_ENTITIES,
  OPEN_ESCALATION_STATUSES,
  type EscalationStatus,
  type LitigationStatus,
} from './entities';
// From the kit, and part of this module's API: the page size limits, the `Page` of its lists, the entity of `stream_positions`.
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, StreamPositionRow, type Page } from '@arrears/read-models';
