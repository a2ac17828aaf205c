import { ArrearsError } from '@arrears/contracts';
import { decodeHistory, quietHoursCsv, quietHoursReport, QUIET_HOURS_CSV_COLUMNS } from './index';
import { ana, APRIL, bob, compliantApril, newYorkTime, shanghai, wei } from './testing/april';
import { collector, Debtor, GlobalLog } from './testing/history';

describe('contacts in quiet hours', () => {
  it('finds none in a compliant month, with 20:30 and 20:59:59.999 local and a letter at 23:00 among the contacts', () => {
    const { events } = compliantApril();

    const report = quietHoursReport(events, APRIL);

    expect(report).toMatchObject({
      period: { from: '2026-04-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z' },
      allowed: 26,
      timeOfDay: 25,
      contactsInQuietHours: 0,
      breaches: [],
      unverifiable: [],
      unreadableEvents: 0,
    });
    expect(quietHoursCsv(report)).toBe(`${QUIET_HOURS_CSV_COLUMNS.join(',')}\r\n`);
  });

  it('finds each planted breach, in every zone the decision was judged in, and names it', () => {
    const april = compliantApril();
    // 10:30 in New York is 07:30 in Los Angeles: outside in the second zone only.
    const early = april.newYork.allow({ accountId: april.accounts.newYork, intendedAt: newYorkTime(24, '10:30:00'), operator: bob });
    // 22:15 in Shanghai: inside Regulation F's window, outside China's.
    const night = april.china.allow({ accountId: april.accounts.china, intendedAt: shanghai(24, '22:15:00'), operator: wei });
    // Exactly 21:00 in Chicago: the window's end is excluded.
    const nine = april.illinois.allow({ accountId: april.accounts.illinois, intendedAt: '2026-04-24T21:00:00-05:00', operator: ana, channel: 'sms' });

    const report = quietHoursReport(april.events, APRIL);

    expect(report.contactsInQuietHours).toBe(3);
    expect(report.breaches).toEqual([
      expect.objectContaining({
        contactId: night,
        accountId: april.accounts.china,
        debtorId: april.china.debtorId,
        operatorId: wei.id,
        channel: 'call',
        rulePack: 'cn-post-loan',
        timeZone: 'Asia/Shanghai',
        intendedAtUtc: '2026-04-24T14:15:00.000Z',
        intendedAtLocal: '2026-04-24T22:15:00+08:00',
        allowedFrom: '08:00',
        allowedUntil: '22:00',
      }),
      expect.objectContaining({
        contactId: early,
        rulePack: 'reg-f',
        timeZone: 'America/Los_Angeles',
        intendedAtUtc: '2026-04-24T14:30:00.000Z',
        intendedAtLocal: '2026-04-24T07:30:00-07:00',
        allowedFrom: '08:00',
        allowedUntil: '21:00',
      }),
      expect.objectContaining({ contactId: nine, channel: 'sms', timeZone: 'America/Chicago', intendedAtUtc: '2026-04-25T02:00:00.000Z', intendedAtLocal: '2026-04-24T21:00:00-05:00' }),
    ]);
    const csv = quietHoursCsv(report).split('\r\n');
    expect(csv).toHaveLength(5); // header, three breaches, the empty string after the last CRLF
    expect(csv[1]).toBe(
      [
        'quiet-hours',
        night,
        april.accounts.china,
        april.china.debtorId,
        'collector-wei',
        'call',
        'cn-post-loan',
        'Asia/Shanghai',
        '2026-04-24T14:15:00.000Z',
        '2026-04-24T22:15:00+08:00',
        '08:00',
        '22:00',
        '',
        report.breaches[0]?.eventId,
      ].join(','),
    );
  });

  it('reads the clock of the day the clocks change: 20:30 local on both DST days is inside, 21:15 on the spring day is not', () => {
    const log = new GlobalLog();
    const debtor = new Debtor(log, { jurisdiction: 'US-IL', timeZones: ['America/Chicago'], rulePack: 'reg-f', phone: '+13125550100' });
    const account = debtor.account();
    const operator = collector('collector-dee');
    // 8 March 2026: CST (−6) until 02:00, CDT (−5) after. A fixed −6 would read 19:30 and 20:15: both inside.
    debtor.allow({ accountId: account, intendedAt: '2026-03-09T01:30:00Z', operator });
    const planted = debtor.allow({ accountId: account, intendedAt: '2026-03-09T02:15:00Z', operator });
    // 1 November 2026: CDT until 02:00, CST after. A fixed −5 would read 21:30: a breach that is none.
    debtor.allow({ accountId: account, intendedAt: '2026-11-02T02:30:00Z', operator });

    const report = quietHoursReport(log.events, { from: '2026-03-01T00:00:00Z', to: '2026-12-01T00:00:00Z' });

    expect(report.timeOfDay).toBe(3);
    expect(report.breaches).toEqual([expect.objectContaining({ contactId: planted, intendedAtLocal: '2026-03-08T21:15:00-05:00', intendedAtUtc: '2026-03-09T02:15:00.000Z' })]);
  });

  it('lists a zone the platform does not know as unverifiable, never as compliant or as a breach, and still checks the zones it knows', () => {
    const log = new GlobalLog();
    const debtor = new Debtor(log, { jurisdiction: 'US-IL', timeZones: ['America/Chicago'], rulePack: 'reg-f', phone: '+13125550100' });
    const account = debtor.account();
    const operator = collector('collector-dee');
    const unknown = debtor.allow({ accountId: account, intendedAt: '2026-04-10T15:00:00Z', operator, timeZones: ['Mars/Olympus_Mons'] });
    const mixed = debtor.allow({ accountId: account, intendedAt: '2026-04-10T12:00:00Z', operator, timeZones: ['America/Chicago', 'Mars/Olympus_Mons'] });
    const unconfigured = debtor.allow({ accountId: account, intendedAt: '2026-04-10T16:00:00Z', operator, rulePack: 'us-ca-strict' });

    const report = quietHoursReport(log.events, APRIL);

    // 12:00Z is 07:00 in Chicago: a breach there; the other zone cannot be read.
    expect(report.breaches).toEqual([expect.objectContaining({ contactId: mixed, timeZone: 'America/Chicago', intendedAtLocal: '2026-04-10T07:00:00-05:00' })]);
    expect(report.unverifiable).toEqual([
      expect.objectContaining({ contactId: mixed, timeZone: 'Mars/Olympus_Mons', problem: 'unknown-time-zone' }),
      expect.objectContaining({ contactId: unknown, timeZone: 'Mars/Olympus_Mons', problem: 'unknown-time-zone' }),
      expect.objectContaining({ contactId: unconfigured, timeZone: null, problem: 'no-window-for-pack', rulePack: 'us-ca-strict' }),
    ]);
    expect(quietHoursCsv(report)).toContain(`\r\nunverifiable,${unknown},`);
  });

  it('reads a contact decided twice as two decisions, and keeps to the period (from included, to excluded)', () => {
    const log = new GlobalLog();
    const debtor = new Debtor(log, { jurisdiction: 'CN', timeZones: ['Asia/Shanghai'], rulePack: 'cn-post-loan', phone: '+8613800138000' });
    const account = debtor.account();
    const operator = collector('collector-dee');
    debtor.allow({ accountId: account, intendedAt: '2026-03-31T23:59:59.999Z', operator }); // 07:59 in Shanghai, March
    const first = debtor.allow({ accountId: account, intendedAt: '2026-04-01T00:00:00Z', operator }); // 08:00
    debtor.allow({ accountId: account, intendedAt: '2026-04-01T00:00:00Z', operator, contactId: first, decidedAt: '2026-04-01T00:00:01Z' });
    debtor.allow({ accountId: account, intendedAt: '2026-05-01T00:00:00Z', operator: collector('x'), timeZones: ['Etc/GMT+12'] }); // May

    const report = quietHoursReport(log.events, APRIL);

    expect(report).toMatchObject({ allowed: 2, timeOfDay: 2, contactsInQuietHours: 0 });
  });

  it('gives the same bytes for the same events, in any order, raw or decoded once', () => {
    const april = compliantApril();
    april.newYork.allow({ accountId: april.accounts.newYork, intendedAt: newYorkTime(24, '10:30:00'), operator: bob });
    april.china.allow({ accountId: april.accounts.china, intendedAt: shanghai(24, '22:15:00'), operator: wei });
    const once = quietHoursCsv(quietHoursReport(april.events, APRIL));

    expect(quietHoursCsv(quietHoursReport(april.events, APRIL))).toBe(once);
    expect(quietHoursCsv(quietHoursReport([...april.events].reverse(), APRIL))).toBe(once);
    expect(quietHoursCsv(quietHoursReport(decodeHistory(april.events), APRIL))).toBe(once);
    expect(quietHoursCsv(quietHoursReport([...april.events, ...april.events], APRIL))).toBe(once);
  });

  it('refuses a period that is not one, naming the field', () => {
    const { events } = compliantApril();
    const refusal = (period: { from: string; to: string }) => {
      try {
        quietHoursReport(events, period);
      } catch (error) {
        return error instanceof ArrearsError ? { code: error.code, field: error.field } : error;
      }
      return undefined;
    };

    expect(refusal({ from: '2026-04-01', to: APRIL.to })).toEqual({ code: 'VALIDATION_FAILED', field: 'period.from' });
    expect(refusal({ from: APRIL.from, to: '2026-05-01T00:00:00' })).toEqual({ code: 'VALIDATION_FAILED', field: 'period.to' });
    expect(refusal({ from: APRIL.to, to: APRIL.from })).toEqual({ code: 'VALIDATION_FAILED', field: 'period.to' });
  });
});
