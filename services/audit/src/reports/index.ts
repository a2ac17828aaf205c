// Reports for compliance officers: pure functions over events (the global log's envelopes, or a history decoded once
// with `decodeHistory`), each over a period (`from` included, `to` excluded), each with a typed result and an RFC 4180
// CSV. The same events give the same result and the same bytes, whatever their order. Gathering the events and
// serving the reports are elsewhere.
export { checkPeriod, type CheckedPeriod, type Period } from './domain/period';
export { checkConfig, DEFAULT_REPORT_CONFIG, type DailyWindow, type PackLimits, type ReportConfig } from './domain/config';
export { decodeHistory, type ReportEvent, type ReportHistory, type ReportInput, type UnreadableEvent } from './domain/history';
export type { Distribution } from './domain/stats';
export { quietHoursCsv, quietHoursReport, QUIET_HOURS_CSV_COLUMNS, type QuietHoursBreach, type QuietHoursReport, type QuietHoursUnverifiable } from './domain/quiet-hours';
export {
  CAP_RULES,
  frequencyCapCsv,
  frequencyCapReport,
  FREQUENCY_CAP_CSV_COLUMNS,
  type CapBreach,
  type CapRule,
  type CapUnverifiable,
  type FrequencyCapReport,
} from './domain/frequency-caps';
export { blockedAttemptsCsv, blockedAttemptsReport, BLOCKED_ATTEMPTS_CSV_COLUMNS, type BlockedAttemptsReport, type BlockedExample } from './domain/blocked-attempts';
export {
  LANGUAGE_SOURCES,
  prohibitedLanguageCsv,
  prohibitedLanguageReport,
  PROHIBITED_LANGUAGE_CSV_COLUMNS,
  type LanguageDetection,
  type LanguageSource,
  type ProhibitedLanguageReport,
} from './domain/prohibited-language';
export { complaintsCsv, complaintsReport, COMPLAINTS_CSV_COLUMNS, type ComplaintRow, type ComplaintsReport } from './domain/complaints';
export { operatorActivityCsv, operatorActivityReport, OPERATOR_ACTIVITY_CSV_COLUMNS, type OperatorActivity, type OperatorActivityReport } from './domain/operator-activity';
export { nightCallsCsv, nightCallsReport, NIGHT_CALLS_CSV_COLUMNS, type CallsByHour, type NightCallsReport } from './domain/night-calls';
export {
  legalHandoffsCsv,
  legalHandoffsReport,
  LEGAL_HANDOFFS_CSV_COLUMNS,
  type HandoffRow,
  type HandoffStatus,
  type LegalHandoffsReport,
  type StepFigures,
} from './domain/legal-handoffs';
