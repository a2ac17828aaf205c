import fc from 'fast-check';
import { formatInstant, instantOfLocal, isValidTimeZone, localDateTime, MINUTE_MS, nextLocalTime, parseInstant } from './local-time';

const instant = (iso: string): number => {
  const parsed = parseInstant(iso);
  if (parsed === undefined) throw new Error(iso);
  return parsed;
};

describe('the local wall-clock time of an instant', () => {
  it.each([
    // zone, instant, local date, local time, weekday
    ['America/New_York', '2026-03-08T06:59:59Z', '2026-03-08', '01:59', 'sun'], // a second before the clocks jump
    ['America/New_York', '2026-03-08T07:00:00Z', '2026-03-08', '03:00', 'sun'], // 02:00 EST became 03:00 EDT
    ['America/New_York', '2026-11-01T05:30:00Z', '2026-11-01', '01:30', 'sun'], // the first 01:30 (EDT)
    ['America/New_York', '2026-11-01T06:30:00Z', '2026-11-01', '01:30', 'sun'], // the second 01:30 (EST)
    ['Europe/London', '2026-03-29T01:00:00Z', '2026-03-29', '02:00', 'sun'],
    ['Europe/London', '2026-10-25T00:30:00Z', '2026-10-25', '01:30', 'sun'],
    ['Europe/London', '2026-10-25T01:30:00Z', '2026-10-25', '01:30', 'sun'],
    ['Asia/Kolkata', '2026-03-02T02:29:00Z', '2026-03-02', '07:59', 'mon'],
    ['Australia/Adelaide', '2026-03-01T21:30:00Z', '2026-03-02', '08:00', 'mon'], // +10:30 in summer
    ['Australia/Adelaide', '2026-07-01T22:30:00Z', '2026-07-02', '08:00', 'thu'], // +09:30 in winter
    ['Asia/Kathmandu', '2026-03-02T02:15:00Z', '2026-03-02', '08:00', 'mon'],
    ['Pacific/Chatham', '2026-03-01T18:15:00Z', '2026-03-02', '08:00', 'mon'], // +13:45
    ['Pacific/Kiritimati', '2026-03-01T18:00:00Z', '2026-03-02', '08:00', 'mon'], // +14: already Monday
    ['Pacific/Pago_Pago', '2026-03-01T18:00:00Z', '2026-03-01', '07:00', 'sun'], // −11: still Sunday
  ])('%s at %s is %s %s (%s)', (zone, at, date, time, weekday) => {
    expect(localDateTime(instant(at), zone)).toMatchObject({ date, time, weekday });
  });
});

describe('the instant of a local wall-clock time', () => {
  it.each([
    // date, time, zone, prefer, instant in the zone's offset
    ['2026-03-08', '01:59', 'America/New_York', 'earlier', '2026-03-08T01:59:00-05:00'],
    ['2026-03-08', '02:30', 'America/New_York', 'earlier', '2026-03-08T03:00:00-04:00'], // never happens: the jump
    ['2026-03-08', '02:30', 'America/New_York', 'later', '2026-03-08T03:00:00-04:00'],
    ['2026-03-08', '03:00', 'America/New_York', 'earlier', '2026-03-08T03:00:00-04:00'],
    ['2026-03-08', '08:00', 'America/New_York', 'earlier', '2026-03-08T08:00:00-04:00'],
    ['2026-11-01', '01:30', 'America/New_York', 'earlier', '2026-11-01T01:30:00-04:00'], // happens twice
    ['2026-11-01', '01:30', 'America/New_York', 'later', '2026-11-01T01:30:00-05:00'],
    ['2026-11-01', '08:00', 'America/New_York', 'later', '2026-11-01T08:00:00-05:00'],
    ['2026-03-29', '01:30', 'Europe/London', 'earlier', '2026-03-29T02:00:00+01:00'],
    ['2026-10-25', '01:30', 'Europe/London', 'earlier', '2026-10-25T01:30:00+01:00'],
    ['2026-10-25', '01:30', 'Europe/London', 'later', '2026-10-25T01:30:00+00:00'],
    ['2026-04-05', '02:30', 'Australia/Adelaide', 'earlier', '2026-04-05T02:30:00+10:30'],
    ['2026-04-05', '02:30', 'Australia/Adelaide', 'later', '2026-04-05T02:30:00+09:30'],
    ['2026-10-04', '02:30', 'Australia/Adelaide', 'earlier', '2026-10-04T03:00:00+10:30'],
    ['2026-04-05', '03:00', 'Pacific/Chatham', 'earlier', '2026-04-05T03:00:00+13:45'],
    ['2026-04-05', '03:00', 'Pacific/Chatham', 'later', '2026-04-05T03:00:00+12:45'],
    ['2026-09-27', '03:00', 'Pacific/Chatham', 'earlier', '2026-09-27T03:45:00+13:45'],
    ['2026-03-02', '08:00', 'Asia/Kolkata', 'earlier', '2026-03-02T08:00:00+05:30'],
    ['2026-03-02', '08:00', 'Asia/Kathmandu', 'earlier', '2026-03-02T08:00:00+05:45'],
    ['2026-03-02', '08:00', 'Pacific/Kiritimati', 'earlier', '2026-03-02T08:00:00+14:00'],
    ['2026-03-02', '08:00', 'Pacific/Pago_Pago', 'earlier', '2026-03-02T08:00:00-11:00'],
    ['2011-12-30', '08:00', 'Pacific/Apia', 'earlier', '2011-12-31T00:00:00+14:00'], // Samoa skipped the whole day
  ] as const)('%s %s in %s (%s) is %s', (date, time, zone, prefer, expected) => {
    const at = instantOfLocal(date, time, zone, prefer);
    expect(formatInstant(at, zone)).toBe(expected);
    expect(at).toBe(instant(expected));
  });

  const ZONES = [
    'America/New_York',
    'America/Chicago',
    'America/Denver',
    'America/Phoenix',
    'Europe/London',
    'Australia/Adelaide',
    'Australia/Lord_Howe', // a half-hour DST shift
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
    'America/Santiago', // changes at midnight
  ];

  /** Where the clocks change, so that random minutes land near the changes and not only in ordinary time. */
  const CHANGES: readonly (readonly [string, string])[] = [
    ['America/New_York', '2026-03-08T07:00:00Z'],
    ['America/New_York', '2026-11-01T06:00:00Z'],
    ['Europe/London', '2026-03-29T01:00:00Z'],
    ['Europe/London', '2026-10-25T01:00:00Z'],
    ['Australia/Adelaide', '2026-04-04T16:30:00Z'],
    ['Australia/Adelaide', '2026-10-03T16:30:00Z'],
    ['Pacific/Chatham', '2026-04-04T14:00:00Z'],
    ['Pacific/Chatham', '2026-09-26T14:00:00Z'],
  ];
  const anyMinute = fc.tuple(fc.constantFrom(...ZONES), fc.integer({ min: instant('2026-01-01T00:00:00Z') / MINUTE_MS, max: instant('2027-01-01T00:00:00Z') / MINUTE_MS }));
  const minuteNearAChange = fc
    .tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -180, max: 180 }))
    .map(([[zone, change], minutes]) => [zone, instant(change) / MINUTE_MS + minutes] as [string, number]);

  it('finds every minute again from its local date and time, also on the days the clocks change', () => {
    fc.assert(
      fc.property(fc.oneof(anyMinute, minuteNearAChange), ([zone, minute]) => {
        const at = minute * MINUTE_MS;
        const { date, time } = localDateTime(at, zone);
        const found = [instantOfLocal(date, time, zone, 'earlier'), instantOfLocal(date, time, zone, 'later')];
        expect(found).toContain(at);
        expect(found[0]).toBeLessThanOrEqual(found[1] ?? Number.NaN);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the next time the clock reads a time, after any instant', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: instant('2026-01-01T00:00:00Z'), max: instant('2027-01-01T00:00:00Z') }), fc.constantFrom('00:00', '02:30', '08:00', '21:00'), (zone, at, time) => {
        const next = nextLocalTime(at, time, zone);
        expect(next).toBeGreaterThan(at);
        expect(next - at).toBeLessThanOrEqual(26 * 3_600_000);
        const local = localDateTime(next, zone);
        // The clock reads the time, or the time was skipped and this is the jump past it.
        if (local.time !== time) expect(localDateTime(next - 1000, zone).time < time || localDateTime(next - 1000, zone).date < local.date).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('instants at the edges', () => {
  it.each([
    ['2026-03-02T08:00:00-05:00', '2026-03-02T13:00:00.000Z'],
    ['2026-03-02T08:00-05:00', '2026-03-02T13:00:00.000Z'],
    ['2026-03-02T08:00:00.123456+05:45', '2026-03-02T02:15:00.123Z'],
    ['2026-03-02T08:00:00Z', '2026-03-02T08:00:00.000Z'],
  ])('reads %s', (iso, utc) => {
    expect(new Date(instant(iso)).toISOString()).toBe(utc);
  });

  it.each(['2026-03-02T08:00:00', '2026-03-02', '2026-02-30T08:00:00Z', '2026-03-02T24:00:00Z', '2026-03-02T08:00:00+5:00', 'yesterday'])('refuses %s', (iso) => {
    expect(parseInstant(iso)).toBeUndefined();
  });

  it.each([
    ['2026-03-02T13:00:00Z', 'America/New_York', '2026-03-02T08:00:00-05:00'],
    ['2026-03-02T13:00:00.250Z', 'America/New_York', '2026-03-02T08:00:00.250-05:00'],
    ['2026-03-02T02:15:00Z', 'Asia/Kathmandu', '2026-03-02T08:00:00+05:45'],
    ['2026-03-02T13:00:00Z', undefined, '2026-03-02T13:00:00Z'],
  ])('writes %s in %s as %s', (utc, zone, expected) => {
    expect(formatInstant(instant(utc), zone)).toBe(expected);
  });

  it('knows which zones exist', () => {
    expect(isValidTimeZone('Pacific/Chatham')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
