import { legalHandoffsCsv, legalHandoffsReport } from './index';
import { APRIL, compliantApril } from './testing/april';

describe('legal handoff times', () => {
  it('follows each handoff requested in the month from request to delivery and acknowledgement, as it stood at the month\'s end', () => {
    const april = compliantApril();

    const report = legalHandoffsReport(april.events, APRIL);

    expect(report).toMatchObject({ deadlineHours: 48, requested: 5, refused: 1, overdue: 2 });
    // Delivered after 2, 30, 1 and 3 hours; acknowledged after 10 and 50.
    expect(report.delivery).toEqual({ count: 4, averageHours: 9, medianHours: 2.5, p90Hours: 21.9, maxHours: 30, withinDeadline: 4 });
    expect(report.acknowledgement).toEqual({ count: 2, averageHours: 30, medianHours: 30, p90Hours: 46, maxHours: 50, withinDeadline: 1 });
    expect(report.handoffs.map((h) => [h.caseId, h.status, h.deliveryHours, h.acknowledgementHours, h.overdue, h.overdueBecause, h.overdueRecorded])).toEqual([
      [april.cases.onTime, 'acknowledged', 2, 10, false, null, false],
      [april.cases.late, 'acknowledged', 30, 50, true, 'acknowledged-late', true],
      [april.cases.refused, 'refused', null, null, false, null, false],
      [april.cases.unacknowledged, 'delivered', 1, null, true, 'unacknowledged', true],
      [april.cases.notYetDue, 'delivered', 3, null, false, null, false],
    ]);
    expect(report.handoffs[0]).toMatchObject({
      accountId: april.cases.onTime,
      handoff: 1,
      requestedBy: 'supervisor-sam',
      requestedAtUtc: '2026-04-06T10:00:00.000Z',
      deliveredAtUtc: '2026-04-06T12:00:00.000Z',
      acknowledgedAtUtc: '2026-04-06T20:00:00.000Z',
      acknowledgedBy: 'lawyer-lee',
    });
    expect(report.handoffs[2]).toMatchObject({ refusedReason: 'A dispute is pending', requestedBy: null, accountId: null });
  });

  it('finds a handoff overdue from its times, without the saga\'s word: later, the one not yet due is past its 48 hours', () => {
    const april = compliantApril();

    const report = legalHandoffsReport(april.events, { from: APRIL.from, to: '2026-05-03T00:00:00Z' });

    expect(report.overdue).toBe(3);
    expect(report.handoffs[4]).toMatchObject({ caseId: april.cases.notYetDue, overdue: true, overdueBecause: 'unacknowledged', overdueRecorded: false });
  });

  it('does not yet know what happened after the period: as of the 12th at noon the handoff of that morning is only started', () => {
    const april = compliantApril();

    const report = legalHandoffsReport(april.events, { from: '2026-04-12T00:00:00Z', to: '2026-04-12T12:00:00Z' });

    expect(report.handoffs).toEqual([expect.objectContaining({ caseId: april.cases.late, status: 'started', deliveredAtUtc: null, overdue: false })]);
  });

  it('writes the totals, then one row per handoff, the same bytes in any order', () => {
    const april = compliantApril();
    const csv = legalHandoffsCsv(legalHandoffsReport(april.events, APRIL));

    const lines = csv.split('\r\n');
    expect(lines[1]).toBe(`total,5,1,4,4,9,2.5,21.9,2,1,30,30,46,2${',' .repeat(15)}`);
    expect(lines[3]).toBe(
      `handoff,,,,,,,,,,,,,true,${april.cases.late},${april.cases.late},1,acknowledged,supervisor-sam,2026-04-12T09:00:00.000Z,2026-04-13T15:00:00.000Z,30,2026-04-14T11:00:00.000Z,lawyer-lee,50,acknowledged-late,true,,`,
    );
    expect(legalHandoffsCsv(legalHandoffsReport([...april.events].reverse(), APRIL))).toBe(csv);
  });
});
