/*
 * Local wall-clock time from the platform's time-zone database (Intl with `timeZone`, ICU's tzdata), the same source
 * the compliance engine reads (docs/compliance.md, "Time zones"): the report and the engine agree on every offset
 * and daylight-saving change as long as they run on the same Node. No clock is read; every instant is an argument.
 */

/** An instant as a clock in one zone reads it. */
export interface LocalClock {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** `HH:MM:SS`, `.sss` added when there are milliseconds. */
  readonly time: string;
  readonly hour: number;
  /** Milliseconds since local midnight, as the clock reads (a day the clocks go back reads 01:30 twice). */
  readonly msOfDay: number;
  /** The zone's offset from UTC at that instant, in minutes (`-300` for New York in winter). */
  readonly offsetMinutes: number;
  /** The instant written in the zone's offset: `2026-03-08T21:15:00-05:00`. */
  readonly iso: string;
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** Null when the platform knows no such zone: Intl refuses it with a RangeError. */
function formatter(zone: string): Intl.DateTimeFormat | null {
  let format = formatters.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      format = null;
    }
    formatters.set(zone, format);
  }
  return format;
}

/** Whether the platform's time-zone database knows `zone` (`America/Chicago`, `UTC`, `Etc/GMT+5`). */
export function isKnownTimeZone(zone: string): boolean {
  return formatter(zone) !== null;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
const mod = (value: number, by: number): number => ((value % by) + by) % by;

/** The clock in `zone` at `ms` (epoch milliseconds); undefined when the zone is unknown to the platform. */
export function localClock(ms: number, zone: string): LocalClock | undefined {
  const format = formatter(zone);
  if (format === null) return undefined;
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(ms)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const millisecond = mod(ms, 1000);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const offsetMinutes = Math.round((wall - ms) / 60_000);
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  const time = `${pad(hour)}:${pad(minute)}:${pad(second)}${millisecond === 0 ? '' : `.${pad(millisecond, 3)}`}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(offsetMinutes);
  return {
    date,
    time,
    hour,
    msOfDay: ((hour * 60 + minute) * 60 + second) * 1000 + millisecond,
    offsetMinutes,
    iso: `${date}T${time}${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`,
  };
}

/** `HH:MM` → milliseconds since midnight. */
export function timeOfDayMs(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return (hours * 60 + minutes) * 60_000;
}

/**
 * Whether a local clock is inside a daily window, `from` included and `until` excluded; a window whose `from` is
 * after its `until` runs over midnight (21:00–08:00). The engine's arithmetic (`localWindowRule`).
 */
export function insideDailyWindow(msOfDay: number, from: string, until: string): boolean {
  const start = timeOfDayMs(from);
  const end = timeOfDayMs(until);
  return start < end ? msOfDay >= start && msOfDay < end : msOfDay >= start || msOfDay < end;
}
