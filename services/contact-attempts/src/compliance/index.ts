/** The compliance engine: pure decisions in domain/, configuration from a file here (docs/compliance.md). */
export { decideContact, rulePackFor, timeZonesFor } from './domain/decide-contact';
export { checkLanguage } from './domain/language';
export { DEFAULT_COMPLIANCE_CONFIG } from './domain/default-config';
export { formatInstant, instantOfLocal, isValidTimeZone, localDateTime, parseInstant } from './domain/local-time';
export * from './domain/types';
export { COMPLIANCE_CONFIG_ENV, complianceConfig, mergeComplianceConfig } from './config';
