export { ContactProjection, type ContactProjectionOptions } from './contact-projection';
export { ContactQueries, contactQueryHandlers, type AccountBestTimeToCall, type CollectorDay, type ContactHistoryPage, type ContactHistoryView } from './contact-queries';
export type {
  AccountFrequencyViolation,
  ComplaintFigures,
  ComplianceReport,
  DebtorDayViolation,
  FrequencyCheck,
  QuietHoursCheck,
  QuietHoursViolation,
} from './compliance-report';
export type { BestTimeToCall, ContactRateByHour, HourOfDay, RightPartyRate, RightPartyRates } from './contact-metrics';
export {
  AccountBestTimeParamsSchema,
  BestTimesParamsSchema,
  CollectorDaysParamsSchema,
  ComplianceReportParamsSchema,
  ContactHistoryParamsSchema,
  ContactRateByHourParamsSchema,
  RightPartyRateParamsSchema,
  DEFAULT_CALLS_PER_ACCOUNT_PER_7_DAYS,
  DEFAULT_CONNECTED_CALLS_PER_DEBTOR_PER_DAY,
  DEFAULT_CONTACT_WINDOWS,
  DEFAULT_QUIET_HOURS_CHANNELS,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type AccountBestTimeParams,
  type BestTimesParams,
  type CollectorDaysParams,
  type ComplianceReportParams,
  type ContactHistoryParams,
  type ContactRateByHourParams,
  type ContactWindow,
  type RightPartyRateParams,
} from './query-params';
export { RIGHT_PARTY_OUTCOMES } from './collector-tally';
export {
  CONTACT_READ_MODEL_MIGRATIONS,
  createContactReadModelDataSource,
  migrateContactReadModels,
  openContactReadModels,
  type ContactReadModelOptions,
} from './data-source';
export { DEFAULT_CONTACT_READ_SCHEMA } from './schema';
export { CONTACT_READ_MODEL_ENTITIES, CasePlacementRow, CollectorDayRow, ComplaintRow, ContactHistoryRow, ContactStreamRow, LanguageHitRow, type Decision } from './entities';
