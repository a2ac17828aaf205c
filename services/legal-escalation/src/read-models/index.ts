export { LegalProjection, type LegalProjectionOptions } from './legal-projection';
export {
  HANDOFF_DEADLINE_HOURS,
  LegalQueries,
  type EscalationAgeView,
  type EscalationPage,
  type EscalationView,
  type HandoffStepFigures,
  type HandoffTimes,
  type Page,
  type StatusCount,
} from './legal-queries';
export {
  DEFAULT_PAGE_SIZE,
  EscalationListParamsSchema,
  HandoffTimesParamsSchema,
  MAX_PAGE_SIZE,
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
  EscalationRow,
  LEGAL_READ_MODEL_ENTITIES,
  OPEN_ESCALATION_STATUSES,
  StreamPositionRow,
  type EscalationStatus,
  type LitigationStatus,
} from './entities';
