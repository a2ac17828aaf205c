import type { Instant, LocalDate, LocalTime, Weekday } from './types';

/*
 * Local wall-clock time from the platform's own time-zone database (Intl, ICU): no clock is read, every instant
 * comes in as an argument. Instants are epoch milliseconds inside the engine and ISO-8601 strings with an offset at
 * its edges. A "wall" value is a local date and time encoded as if it were UTC milliseconds, so that local
 * arithmetic is plain arithmetic.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** Whether the platform knows `zone` as an IANA time zone (`America/New_York`, `UTC`, `Etc/GMT+12`). */
export function isValidTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function wallFromParts(year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const wall = new Date(0); // Date.UTC would read years 0–99 as 1900–1999
  wall.setUTCFullYear(year, month - 1, day);
  wall.setUTCHours(hour, minute, second, millisecond);
  return wall.getTime();
}

const mod = (value: number, by: number): number => ((value % by) + by) % by;

// en-US with h23 writes "3/2/2026, 07:00:00"; reading that string is several times faster than formatToParts,
// which stays as the fallback should a platform ever write it otherwise.
const EN_US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}), (\d{2}):(\d{2}):(\d{2})$/;

// The same few instants (the start of a day, 08:00 on it) are asked for again and again; a bounded memo per zone.
const offsets = new Map<string, Map<number, number>>();
const MEMO_LIMIT = 50_000;

/** The zone's offset from UTC at `instant`, in milliseconds (New York in winter: −5 h). */
export function offsetAt(instant: number, zone: string): number {
  const whole = instant - mod(instant, 1000); // Intl shows whole seconds
  let memo = offsets.get(zone);
  if (memo === undefined) offsets.set(zone, (memo = new Map()));
  let offset = memo.get(whole);
  if (offset === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    offset = readOffset(whole, zone);
    memo.set(whole, offset);
  }
  return offset;
}

function readOffset(whole: number, zone: string): number {
  const format = formatter(zone);
  const match = EN_US.exec(format.format(whole));
  if (match !== null) {
    const [month, day, year, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
    return wallFromParts(year, month, day, hour, minute, second, 0) - whole;
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(whole)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = wallFromParts(parts['year'] ?? 0, parts['month'] ?? 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0, 0);
  return wall - whole;
}

/** The local wall-clock time of `instant` in `zone`, as a wall value. */
export function wallAt(instant: number, zone: string): number {
  return instant + offsetAt(instant, zone);
}

export interface LocalDateTime {
  readonly date: LocalDate;
  /** Milliseconds since local midnight (as the clock reads, whatever the day's length). */
  readonly msOfDay: number;
  readonly weekday: Weekday;
  /** `HH:MM` as the clock reads. */
  readonly time: LocalTime;
}

/** The local date, time of day and weekday of `instant` in `zone`. */
export function localDateTime(instant: number, zone: string): LocalDateTime {
  const wall = wallAt(instant, zone);
  const msOfDay = mod(wall, DAY_MS);
  const date = dateOfWall(wall);
  return { date, msOfDay, weekday: weekdayOf(date), time: formatTimeOfDay(msOfDay) };
}

/** Small memos for the conversions a decision repeats many times over (the same few dates and times). */
function memo<K, V>(compute: (key: K) => V, limit = 10_000): (key: K) => V {
  const values = new Map<K, V>();
  return (key) => {
    let value = values.get(key);
    if (value === undefined) {
      if (values.size >= limit) values.clear();
      value = compute(key);
      values.set(key, value);
    }
    return value;
  };
}

const dateOfDay = memo((day: number): LocalDate => new Date(day * DAY_MS).toISOString().slice(0, 10));

function dateOfWall(wall: number): LocalDate {
  return dateOfDay(Math.floor(wall / DAY_MS));
}

const wallOfDate = memo((date: LocalDate): number => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) throw new RangeError(`Not a local date YYYY-MM-DD: ${date}`);
  return wallFromParts(Number(match[1]), Number(match[2]), Number(match[3]), 0, 0, 0, 0);
});

export function addDays(date: LocalDate, days: number): LocalDate {
  return dateOfWall(wallOfDate(date) + days * DAY_MS);
}

const WEEKDAY_OF_UTC_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export const weekdayOf = memo((date: LocalDate): Weekday => WEEKDAY_OF_UTC_DAY[new Date(wallOfDate(date)).getUTCDay()] ?? 'sun');

/** `HH:MM` → milliseconds since midnight. */
export const timeOfDayMs = memo((time: LocalTime): number => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (match === null) throw new RangeError(`Not a local time HH:MM: ${time}`);
  return Number(match[1]) * HOUR_MS + Number(match[2]) * MINUTE_MS;
});

const timeOfMinute = memo((minutes: number): LocalTime => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`);

function formatTimeOfDay(msOfDay: number): LocalTime {
  return timeOfMinute(Math.floor(msOfDay / MINUTE_MS));
}

/**
 * The instant at which the clock in `zone` reads `time` on `date`. Where the clocks go back and the time happens
 * twice (01:30 on the night summer time ends), `prefer` picks the first or the second. Where they jump forward
 * and the time never happens (02:30 on the night summer time starts), it is the instant of the jump: the first
 * instant at which the clock reads `time` or later. Correct for any offset (half-hour, 45-minute) and for
 * offsets that change by up to a day (Samoa skipped 2011-12-30), as long as a zone changes offset at most once
 * within a day either side.
 */
export function instantOfLocal(date: LocalDate, time: LocalTime, zone: string, prefer: 'earlier' | 'later' = 'earlier'): number {
  const wall = wallOfDate(date) + timeOfDayMs(time);
  return instantOfWall(wall, zone, prefer);
}

function instantOfWall(wall: number, zone: string, prefer: 'earlier' | 'later'): number {
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  const candidates = [...new Set([wall - before, wall - after])].filter((instant) => wallAt(instant, zone) === wall).sort((a, b) => a - b);
  const chosen = prefer === 'earlier' ? candidates[0] : candidates[candidates.length - 1];
  if (chosen !== undefined) return chosen;
  // In a gap: the jump lies between the instant the old offset would give and the one the new offset would.
  let low = Math.min(wall - before, wall - after); // still the old offset
  let high = Math.max(wall - before, wall - after); // already the new offset
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (offsetAt(middle, zone) === before) low = middle;
    else high = middle;
  }
  return high;
}

/** The instant at which local `date` begins in `zone` (its first instant, also when midnight falls in a jump). */
export function startOfLocalDay(date: LocalDate, zone: string): number {
  return instantOfLocal(date, '00:00', zone, 'earlier');
}

/**
 * `instant` as ISO-8601 with `zone`'s offset at that instant (`2026-03-02T08:00:00-05:00`), milliseconds shown
 * only when there are any; in UTC (`…Z`) without a zone, or where the offset is not whole minutes (local mean
 * time before 1900).
 */
export function formatInstant(instant: number, zone?: string): Instant {
  const offset = zone === undefined ? 0 : offsetAt(instant, zone);
  if (zone === undefined || offset % MINUTE_MS !== 0) return isoWithoutNeedlessMillis(new Date(instant).toISOString());
  const local = isoWithoutNeedlessMillis(new Date(instant + offset).toISOString()).slice(0, -1);
  const minutes = Math.abs(offset) / MINUTE_MS;
  const sign = offset < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function isoWithoutNeedlessMillis(iso: string): string {
  return iso.replace(/\.000Z$/, 'Z');
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/i;

/** An ISO-8601 instant with an offset (or `Z`) → epoch milliseconds; undefined when it is anything else. */
export function parseInstant(iso: string): number | undefined {
  return readInstant(iso) ?? undefined;
}

// A history is read again at every decision: the same strings, over and over.
const readInstant = memo((iso: string): number | null => {
  const match = INSTANT.exec(iso);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((group) => Number(match[group] ?? 0)) as [number, number, number, number, number, number];
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const zone = match[8] ?? 'Z';
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = wallFromParts(year, month, day, hour, minute, second, millisecond);
  if (new Date(wall).getUTCDate() !== day) return null; // 2026-02-30
  if (zone.toUpperCase() === 'Z') return wall;
  const offsetHours = Number(zone.slice(1, 3));
  const offsetMinutes = Number(zone.slice(4, 6));
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const offset = (offsetHours * HOUR_MS + offsetMinutes * MINUTE_MS) * (zone.startsWith('-') ? -1 : 1);
  return wall - offset;
});

/** The first instant after `at` at which the clock in `zone` reads `time` (or, where `time` is skipped, the jump past it). */
export function nextLocalTime(at: number, time: LocalTime, zone: string): number {
  const { date } = localDateTime(at, zone);
  const candidates = [date, addDays(date, 1)]
    .flatMap((day) => [instantOfLocal(day, time, zone, 'earlier'), instantOfLocal(day, time, zone, 'later')])
    .filter((instant) => instant > at);
  return candidates.length === 0 ? at + DAY_MS : Math.min(...candidates);
}
