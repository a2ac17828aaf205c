import { ArrearsError, ErrorCode, contactAttempts } from '@arrears/contracts';

/** A daily window of local time, `from` included, `until` excluded (`HH:MM`). */
export interface DailyWindow {
  readonly from: string;
  readonly until: string;
}

/**
 * The limits of one rule pack, as this report re-checks them. A limit left out is not checked for that pack (and
 * the report says so): the audit never guesses a number.
 */
export interface PackLimits {
  /** When a time-of-day contact may be made, in every zone the decision was judged in. */
  readonly contactWindow?: DailyWindow;
  /** At most `limit` allowed calls about one debt in any rolling `windowDays` × 24 h. */
  readonly callsPerDebt?: { readonly limit: number; readonly windowDays: number };
  /** No call about a debt within this many × 24 h after a telephone conversation about it. */
  readonly quietAfterConversationDays?: number;
  /** At most this many connected calls with one debtor (any debt) on one local day. */
  readonly connectedCallsPerDebtorPerDay?: number;
  /** At most this many unanswered calls to one number on one local day. */
  readonly unansweredCallsPerNumberPerDay?: number;
}

export interface ReportConfig {
  /** Keyed by the rule pack a decision names (`rulePack`: `reg-f`, `cn-post-loan`). */
  readonly packs: Readonly<Record<string, PackLimits>>;
  /** The channels quiet hours apply to: letters have no time of day. */
  readonly timeOfDayChannels: readonly contactAttempts.Channel[];
  /** "Night" for the night-time call report (the seed team's audit): 21:00–08:00 local. */
  readonly night: DailyWindow;
  /** Hours from the escalation request by which legal must have the package (and acknowledge it). */
  readonly legalHandoffHours: number;
  /** How many example decisions the blocked-attempts report keeps per rule. */
  readonly examplesPerRule: number;
}

/**
 * The defaults restate the compliance engine's numbers; they are not imported from it (a service reaches another only
 * through contracts). They mirror `DEFAULT_COMPLIANCE_CONFIG.packs` and `timeOfDayChannels` in
 * services/contact-attempts/src/compliance/domain/default-config.ts, documented in docs/compliance.md ("Rules",
 * "Configuration"):
 * - `reg-f`: `allowedFrom: '08:00'`, `allowedUntil: '21:00'`, `maxCallAttemptsPerDebt: 7`, `windowDays: 7`,
 *   `quietAfterConversationDays: 7`.
 * - `cn-post-loan`: `quietFrom: '22:00'`, `quietUntil: '08:00'` (so contact 08:00–22:00), `maxConnectedCallsPerDay: 3`,
 *   `maxUnansweredPerNumberPerDay: 6`.
 * config.unit.spec.ts pins these values and compares them with that file. A deployment that changes the engine's
 * numbers (ARREARS_COMPLIANCE_CONFIG) must pass the same numbers here.
 */
export const DEFAULT_REPORT_CONFIG: ReportConfig = {
  packs: {
    'reg-f': {
      contactWindow: { from: '08:00', until: '21:00' },
      callsPerDebt: { limit: 7, windowDays: 7 },
      quietAfterConversationDays: 7,
    },
    'cn-post-loan': {
      contactWindow: { from: '08:00', until: '22:00' },
      connectedCallsPerDebtorPerDay: 3,
      unansweredCallsPerNumberPerDay: 6,
    },
  },
  timeOfDayChannels: ['call', 'sms', 'email', 'visit'],
  night: { from: '21:00', until: '08:00' },
  legalHandoffHours: 48,
  examplesPerRule: 3,
};

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

function invalid(field: string, message: string): never {
  throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field} ${message}`, { field });
}

function checkWindow(window: DailyWindow, field: string): void {
  if (!HH_MM.test(window.from)) invalid(`${field}.from`, `must be a local time HH:MM, not ${JSON.stringify(window.from)}`);
  if (!HH_MM.test(window.until)) invalid(`${field}.until`, `must be a local time HH:MM, not ${JSON.stringify(window.until)}`);
  if (window.from === window.until) invalid(`${field}.until`, 'must differ from from: the window would be empty');
}

function checkCount(value: number | undefined, field: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) invalid(field, `must be a whole number of at least 1, not ${String(value)}`);
}

/** The configuration checked: VALIDATION_FAILED naming the field (`config.packs.reg-f.contactWindow.until`). */
export function checkConfig(config: ReportConfig): ReportConfig {
  for (const pack of Object.keys(config.packs).sort()) {
    const limits = config.packs[pack] as PackLimits;
    const field = `config.packs.${pack}`;
    if (limits.contactWindow !== undefined) checkWindow(limits.contactWindow, `${field}.contactWindow`);
    checkCount(limits.callsPerDebt?.limit, `${field}.callsPerDebt.limit`);
    checkCount(limits.callsPerDebt?.windowDays, `${field}.callsPerDebt.windowDays`);
    checkCount(limits.quietAfterConversationDays, `${field}.quietAfterConversationDays`);
    checkCount(limits.connectedCallsPerDebtorPerDay, `${field}.connectedCallsPerDebtorPerDay`);
    checkCount(limits.unansweredCallsPerNumberPerDay, `${field}.unansweredCallsPerNumberPerDay`);
  }
  config.timeOfDayChannels.forEach((channel, index) => {
    if (!(contactAttempts.CHANNELS as readonly string[]).includes(channel)) invalid(`config.timeOfDayChannels[${index}]`, `must be one of ${contactAttempts.CHANNELS.join(', ')}`);
  });
  checkWindow(config.night, 'config.night');
  if (!(config.legalHandoffHours > 0)) invalid('config.legalHandoffHours', 'must be a positive number of hours');
  checkCount(config.examplesPerRule, 'config.examplesPerRule');
  return config;
}

/** The limits of a pack, when the configuration has any for it. */
export function limitsOf(config: ReportConfig, rulePack: string): PackLimits | undefined {
  return Object.prototype.hasOwnProperty.call(config.packs, rulePack) ? config.packs[rulePack] : undefined;
}
