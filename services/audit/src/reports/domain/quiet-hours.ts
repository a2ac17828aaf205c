import type { contactAttempts } from '@arrears/contracts';
import { checkConfig, DEFAULT_REPORT_CONFIG, limitsOf, type ReportConfig } from './config';
import { decisions, byIntendedTime, type Decision } from './contacts';
import { compareText, csvDocument } from './csv';
import { historyOf, type ReportInput } from './history';
import { insideDailyWindow, localClock } from './local-time';
import { checkPeriod, inPeriod, utc, type Period } from './period';

/** An allowed contact intended for a time outside its pack's window in one of the zones it was judged in. */
export interface QuietHoursBreach {
  readonly contactId: string;
  readonly eventId: string;
  readonly accountId: string;
  readonly debtorId: string;
  readonly operatorId: string;
  readonly channel: contactAttempts.Channel;
  readonly rulePack: string;
  readonly timeZone: string;
  readonly intendedAtUtc: string;
  /** In the zone's offset at that instant: `2026-03-08T21:15:00-05:00`. */
  readonly intendedAtLocal: string;
  readonly allowedFrom: string;
  readonly allowedUntil: string;
}

/**
 * Why an allowed time-of-day contact could not be checked (in one zone, or at all):
 * - `unknown-time-zone`: the decision names a zone this platform's time-zone database does not know;
 * - `no-time-zone`: the decision names none (the engine only ever allows with at least one);
 * - `no-window-for-pack`: the configuration gives no contact window for the decision's pack.
 */
export interface QuietHoursUnverifiable {
  readonly contactId: string;
  readonly eventId: string;
  readonly accountId: string;
  readonly debtorId: string;
  readonly operatorId: string;
  readonly channel: contactAttempts.Channel;
  readonly rulePack: string;
  readonly timeZone: string | null;
  readonly intendedAtUtc: string;
  readonly problem: 'unknown-time-zone' | 'no-time-zone' | 'no-window-for-pack';
}

export interface QuietHoursReport {
  readonly period: { readonly from: string; readonly to: string };
  /** Allowed decisions intended in the period, every channel. */
  readonly allowed: number;
  /** Of those, on a time-of-day channel (letters are not). */
  readonly timeOfDay: number;
  /** Contacts with a breach in at least one zone: **must be 0**. */
  readonly contactsInQuietHours: number;
  /** One row per contact and zone outside the window, by intended time. */
  readonly breaches: readonly QuietHoursBreach[];
  readonly unverifiable: readonly QuietHoursUnverifiable[];
  /** Events of the history nobody could read (the report may be incomplete when not 0). */
  readonly unreadableEvents: number;
}

/**
 * Contacts in quiet hours, an independent re-check of the engine's `reg-f.quiet-hours` and `cn.quiet-hours`: every
 * allowed decision intended in the period (`intendedAt`, from included, to excluded), on a time-of-day channel, is
 * read on the clock of **every** zone the decision recorded (`timeZones`), against the contact window of the pack the
 * decision names (`rulePack`), `from` included and `until` excluded — 20:59:59.999 is inside, 21:00 is not. The
 * reasons the engine wrote are not trusted. Each decision is checked, so a contact decided twice is checked twice.
 */
export function quietHoursReport(input: ReportInput, period: Period, config: ReportConfig = DEFAULT_REPORT_CONFIG): QuietHoursReport {
  const checked = checkPeriod(period);
  checkConfig(config);
  const history = historyOf(input);
  const allowed = decisions(history)
    .filter((decision) => decision.allowed && inPeriod(decision.intendedMs, checked))
    .sort(byIntendedTime);
  const timeOfDay = allowed.filter((decision) => config.timeOfDayChannels.includes(decision.channel));
  const breaches: QuietHoursBreach[] = [];
  const unverifiable: QuietHoursUnverifiable[] = [];
  const unverified = (decision: Decision, timeZone: string | null, problem: QuietHoursUnverifiable['problem']) =>
    unverifiable.push({ ...who(decision), timeZone, problem });
  for (const decision of timeOfDay) {
    const window = limitsOf(config, decision.rulePack)?.contactWindow;
    if (window === undefined) {
      unverified(decision, null, 'no-window-for-pack');
      continue;
    }
    if (decision.timeZones.length === 0) unverified(decision, null, 'no-time-zone');
    for (const zone of decision.timeZones) {
      const clock = localClock(decision.intendedMs, zone);
      if (clock === undefined) unverified(decision, zone, 'unknown-time-zone');
      else if (!insideDailyWindow(clock.msOfDay, window.from, window.until)) {
        breaches.push({ ...who(decision), timeZone: zone, intendedAtLocal: clock.iso, allowedFrom: window.from, allowedUntil: window.until });
      }
    }
  }
  return {
    period: { from: checked.from, to: checked.to },
    allowed: allowed.length,
    timeOfDay: timeOfDay.length,
    contactsInQuietHours: new Set(breaches.map((breach) => breach.eventId)).size,
    breaches,
    unverifiable,
    unreadableEvents: history.unreadable.length,
  };
}

function who(decision: Decision) {
  return {
    contactId: decision.contactId,
    eventId: decision.eventId,
    accountId: decision.accountId,
    debtorId: decision.debtorId,
    operatorId: decision.operatorId,
    channel: decision.channel,
    rulePack: decision.rulePack,
    intendedAtUtc: utc(decision.intendedMs),
  };
}

export const QUIET_HOURS_CSV_COLUMNS = [
  'finding',
  'contact_id',
  'account_id',
  'debtor_id',
  'operator_id',
  'channel',
  'rule_pack',
  'time_zone',
  'intended_at_utc',
  'intended_at_local',
  'allowed_from',
  'allowed_until',
  'problem',
  'event_id',
] as const;

/** The breaches (`finding` = `quiet-hours`), then the contacts that could not be checked (`unverifiable`). */
export function quietHoursCsv(report: QuietHoursReport): string {
  const breaches = [...report.breaches]
    .sort((a, b) => compareText(a.intendedAtUtc, b.intendedAtUtc) || compareText(a.eventId, b.eventId) || compareText(a.timeZone, b.timeZone))
    .map((b) => ['quiet-hours', b.contactId, b.accountId, b.debtorId, b.operatorId, b.channel, b.rulePack, b.timeZone, b.intendedAtUtc, b.intendedAtLocal, b.allowedFrom, b.allowedUntil, null, b.eventId]);
  const unverifiable = [...report.unverifiable]
    .sort((a, b) => compareText(a.intendedAtUtc, b.intendedAtUtc) || compareText(a.eventId, b.eventId) || compareText(a.timeZone ?? '', b.timeZone ?? ''))
    .map((u) => ['unverifiable', u.contactId, u.accountId, u.debtorId, u.operatorId, u.channel, u.rulePack, u.timeZone, u.intendedAtUtc, null, null, null, u.problem, u.eventId]);
  return csvDocument(QUIET_HOURS_CSV_COLUMNS, [...breaches, ...unverifiable]);
}
