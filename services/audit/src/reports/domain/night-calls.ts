import { checkConfig, DEFAULT_REPORT_CONFIG, type ReportConfig } from './config';
import { contacts } from './contacts';
import { compareText, csvDocument } from './csv';
import { historyOf, type ReportInput } from './history';
import { insideDailyWindow, localClock } from './local-time';
import { checkPeriod, inPeriod, type Period } from './period';

/** Calls by the debtor's local hour of day, for one operator (or everyone). */
export interface CallsByHour {
  readonly calls: number;
  /** Index 0–23: calls intended for that local hour. */
  readonly byHour: readonly number[];
  /** Calls whose zone is unknown to this platform (not in `byHour`, not in the share). */
  readonly withoutLocalTime: number;
  /** Calls at night (`config.night`, 21:00–08:00) in the first zone the decision recorded. */
  readonly night: number;
  /** `night` / calls with a local time, to four decimals; null when there are none. */
  readonly nightShare: number | null;
  /** Calls at night in **any** zone the decision recorded (a debtor whose zone was uncertain). */
  readonly nightInAnyZone: number;
}

export interface NightCallsReport {
  readonly period: { readonly from: string; readonly to: string };
  readonly night: { readonly from: string; readonly until: string };
  readonly all: CallsByHour;
  /** By operator id. */
  readonly operators: readonly ({ readonly operatorId: string } & CallsByHour)[];
  readonly unreadableEvents: number;
}

interface Call {
  readonly operatorId: string;
  /** Null: the first zone is unknown to the platform. */
  readonly hour: number | null;
  readonly night: boolean;
  readonly nightInAnyZone: boolean;
}

/**
 * Night-time call frequency (the seed team's audit): the allowed calls intended in the period, each contact once (its
 * latest decision), by the local hour of day in the debtor's zone — the first zone its decision recorded, the one
 * the read models show — and the share of them at night, overall and per operator (`operatorId` of the decision).
 * A debtor whose zone was uncertain was judged in several; `nightInAnyZone` counts a call at night in any of them.
 * A zone unknown to the platform gives no local time: such a call is counted in `withoutLocalTime` only.
 */
export function nightCallsReport(input: ReportInput, period: Period, config: ReportConfig = DEFAULT_REPORT_CONFIG): NightCallsReport {
  const checked = checkPeriod(period);
  checkConfig(config);
  const history = historyOf(input);
  const { from, until } = config.night;
  const calls: Call[] = contacts(history)
    .map(({ decision }) => decision)
    .filter((decision) => decision.allowed && decision.channel === 'call' && inPeriod(decision.intendedMs, checked))
    .map((decision) => {
      const clocks = decision.timeZones.map((zone) => localClock(decision.intendedMs, zone));
      const first = clocks[0];
      const atNight = (clock: (typeof clocks)[number]) => clock !== undefined && insideDailyWindow(clock.msOfDay, from, until);
      return { operatorId: decision.operatorId, hour: first?.hour ?? null, night: atNight(first), nightInAnyZone: clocks.some(atNight) };
    });
  const operators = [...new Set(calls.map((call) => call.operatorId))].sort(compareText);
  return {
    period: { from: checked.from, to: checked.to },
    night: { from, until },
    all: byHour(calls),
    operators: operators.map((operatorId) => ({ operatorId, ...byHour(calls.filter((call) => call.operatorId === operatorId)) })),
    unreadableEvents: history.unreadable.length,
  };
}

function byHour(calls: readonly Call[]): CallsByHour {
  const hours = Array.from({ length: 24 }, () => 0);
  for (const call of calls) if (call.hour !== null) hours[call.hour] = (hours[call.hour] ?? 0) + 1;
  const withLocalTime = calls.filter((call) => call.hour !== null).length;
  const night = calls.filter((call) => call.night).length;
  return {
    calls: calls.length,
    byHour: hours,
    withoutLocalTime: calls.length - withLocalTime,
    night,
    nightShare: withLocalTime === 0 ? null : Math.round((night / withLocalTime) * 10_000) / 10_000,
    nightInAnyZone: calls.filter((call) => call.nightInAnyZone).length,
  };
}

const HOUR_COLUMNS = Array.from({ length: 24 }, (_, hour) => `h${String(hour).padStart(2, '0')}`);

export const NIGHT_CALLS_CSV_COLUMNS = ['section', 'operator_id', 'calls', 'without_local_time', 'night', 'night_share', 'night_in_any_zone', ...HOUR_COLUMNS] as const;

/** `all` first, then one `operator` row each, by operator id; `h00` … `h23` are the calls per local hour. */
export function nightCallsCsv(report: NightCallsReport): string {
  const row = (section: string, operatorId: string | null, c: CallsByHour) => [section, operatorId, c.calls, c.withoutLocalTime, c.night, c.nightShare, c.nightInAnyZone, ...c.byHour];
  return csvDocument(NIGHT_CALLS_CSV_COLUMNS, [row('all', null, report.all), ...report.operators.map((o) => row('operator', o.operatorId, o))]);
}
