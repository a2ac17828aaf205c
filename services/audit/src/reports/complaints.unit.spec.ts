import { complaintsCsv, complaintsReport } from './index';
import { APRIL, compliantApril } from './testing/april';

describe('complaints and handling time', () => {
  it('counts the complaints received in the month, as they stood at its end, with the handling times', () => {
    const april = compliantApril();

    const report = complaintsReport(april.events, APRIL);

    expect(report).toMatchObject({ received: 4, open: 1, resolved: 3, upheld: 1, notUpheld: 2 });
    // 6, 24 and 60 hours: the 90th percentile interpolated as percentile_cont does, 24 + 0.8 × 36.
    expect(report.handling).toEqual({ count: 3, averageHours: 30, medianHours: 24, p90Hours: 52.8, maxHours: 60 });
    expect(report.byCategory).toEqual([
      { category: 'frequency', received: 1, open: 0, resolved: 1, upheld: 0 },
      { category: 'harassment', received: 1, open: 1, resolved: 0, upheld: 0 },
      { category: 'language', received: 1, open: 0, resolved: 1, upheld: 0 },
      { category: 'time-of-day', received: 1, open: 0, resolved: 1, upheld: 1 },
    ]);
    expect(report.complaints.map((row) => [row.complaintId, row.status, row.upheld, row.handlingHours])).toEqual([
      [april.complaints.frequency, 'resolved', false, 24],
      [april.complaints.timeOfDay, 'resolved', true, 60],
      [april.complaints.language, 'resolved', false, 6],
      [april.complaints.harassment, 'open', null, null],
    ]);
  });

  it('reads a past month the same later: a resolution after the period leaves the complaint open in it', () => {
    const { events } = compliantApril();

    const may = complaintsReport(events, { from: APRIL.from, to: '2026-06-01T00:00:00Z' });

    expect(may).toMatchObject({ received: 4, open: 0, resolved: 4, upheld: 2 });
    expect(may.handling).toMatchObject({ count: 4, averageHours: 46.5, medianHours: 42, maxHours: 96 });
  });

  it('has no figures when nothing was resolved', () => {
    const { events } = compliantApril();

    const report = complaintsReport(events, { from: '2026-04-28T00:00:00Z', to: '2026-04-29T00:00:00Z' });

    expect(report).toMatchObject({ received: 1, open: 1, resolved: 0 });
    expect(report.handling).toEqual({ count: 0, averageHours: null, medianHours: null, p90Hours: null, maxHours: null });
    expect(complaintsCsv(report).split('\r\n')[1]).toBe('total,,1,1,0,0,0,,,,,,,,,,,,');
  });

  it('writes the totals, the categories and each complaint, the same bytes in any order', () => {
    const april = compliantApril();
    const csv = complaintsCsv(complaintsReport(april.events, APRIL));

    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,category,received,open,resolved,upheld,handled,average_hours,median_hours,p90_hours,max_hours,complaint_id,account_id,debtor_id,channel,received_at_utc,status,resolved_at_utc,handling_hours');
    expect(lines[1]).toBe('total,,4,1,3,1,3,30,24,52.8,60,,,,,,,,');
    expect(lines).toContain(
      `complaint,time-of-day,,,,true,,,,,,${april.complaints.timeOfDay},${april.accounts.newYork},${april.newYork.debtorId},call,2026-04-10T12:00:00.000Z,resolved,2026-04-13T00:00:00.000Z,60`,
    );
    expect(complaintsCsv(complaintsReport([...april.events].reverse(), APRIL))).toBe(csv);
  });
});
