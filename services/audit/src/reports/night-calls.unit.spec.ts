import { DEFAULT_REPORT_CONFIG, nightCallsCsv, nightCallsReport } from './index';
import { APRIL, bob, compliantApril, newYorkTime } from './testing/april';
import { collector, Debtor, GlobalLog } from './testing/history';

const hours = (entries: Record<number, number>) => Array.from({ length: 24 }, (_, hour) => entries[hour] ?? 0);

describe('night-time call frequency', () => {
  it('counts the month\'s calls by the debtor\'s local hour, and the share at night, per operator', () => {
    const { events } = compliantApril();

    const report = nightCallsReport(events, APRIL);

    expect(report.night).toEqual({ from: '21:00', until: '08:00' });
    expect(report.all).toEqual({
      calls: 23,
      byHour: hours({ 9: 5, 10: 2, 11: 3, 12: 3, 13: 2, 14: 3, 15: 2, 18: 1, 20: 1, 21: 1 }),
      withoutLocalTime: 0,
      night: 1,
      nightShare: 0.0435,
      nightInAnyZone: 1,
    });
    expect(report.operators).toEqual([
      { operatorId: 'collector-ana', calls: 9, byHour: hours({ 9: 3, 10: 1, 11: 1, 12: 1, 13: 1, 14: 1, 15: 1 }), withoutLocalTime: 0, night: 0, nightShare: 0, nightInAnyZone: 0 },
      { operatorId: 'collector-bob', calls: 3, byHour: hours({ 12: 1, 18: 1, 20: 1 }), withoutLocalTime: 0, night: 0, nightShare: 0, nightInAnyZone: 0 },
      { operatorId: 'collector-wei', calls: 11, byHour: hours({ 9: 2, 10: 1, 11: 2, 12: 1, 13: 1, 14: 2, 15: 1, 21: 1 }), withoutLocalTime: 0, night: 1, nightShare: 0.0909, nightInAnyZone: 1 },
    ]);
  });

  it('reads the hour in the first zone recorded, and counts a call at night in any other zone apart', () => {
    const april = compliantApril();
    // 08:30 in New York is 05:30 in Los Angeles.
    april.newYork.allow({ accountId: april.accounts.newYork, intendedAt: newYorkTime(27, '08:30:00'), operator: bob });

    const report = nightCallsReport(april.events, APRIL);

    expect(report.operators[1]).toMatchObject({ operatorId: 'collector-bob', calls: 4, night: 0, nightInAnyZone: 1 });
    expect(report.operators[1]?.byHour[8]).toBe(1);
  });

  it('reads the local hour across daylight saving: 20:30 on the day the clocks go forward is hour 20, 21:15 is night', () => {
    const log = new GlobalLog();
    const debtor = new Debtor(log, { jurisdiction: 'US-IL', timeZones: ['America/Chicago'], rulePack: 'reg-f', phone: '+13125550100' });
    const account = debtor.account();
    const operator = collector('collector-dee');
    debtor.allow({ accountId: account, intendedAt: '2026-03-09T01:30:00Z', operator }); // 20:30 CDT, 8 March
    debtor.allow({ accountId: account, intendedAt: '2026-03-09T02:15:00Z', operator }); // 21:15 CDT
    debtor.allow({ accountId: account, intendedAt: '2026-11-02T02:30:00Z', operator }); // 20:30 CST, 1 November
    debtor.allow({ accountId: account, intendedAt: '2026-03-10T03:00:00Z', operator, timeZones: ['Mars/Olympus_Mons'] });

    const report = nightCallsReport(log.events, { from: '2026-03-01T00:00:00Z', to: '2026-12-01T00:00:00Z' });

    expect(report.all).toEqual({ calls: 4, byHour: hours({ 20: 2, 21: 1 }), withoutLocalTime: 1, night: 1, nightShare: 0.3333, nightInAnyZone: 1 });
  });

  it('takes the night from the configuration, and writes one row for all and one per operator', () => {
    const { events } = compliantApril();
    const report = nightCallsReport(events, APRIL, { ...DEFAULT_REPORT_CONFIG, night: { from: '20:00', until: '09:00' } });

    expect(report.all.night).toBe(2);
    const lines = nightCallsCsv(report).split('\r\n');
    expect(lines[0]).toBe(`section,operator_id,calls,without_local_time,night,night_share,night_in_any_zone,${hours({}).map((_, h) => `h${String(h).padStart(2, '0')}`).join(',')}`);
    expect(lines[1]).toBe(`all,,23,0,2,0.087,2,${hours({ 9: 5, 10: 2, 11: 3, 12: 3, 13: 2, 14: 3, 15: 2, 18: 1, 20: 1, 21: 1 }).join(',')}`);
    expect(lines[2]?.startsWith('operator,collector-ana,9,0,0,0,0,')).toBe(true);
    expect(lines).toHaveLength(6);
    expect(nightCallsCsv(nightCallsReport([...events].reverse(), APRIL, { ...DEFAULT_REPORT_CONFIG, night: { from: '20:00', until: '09:00' } }))).toBe(lines.join('\r\n'));
  });
});
