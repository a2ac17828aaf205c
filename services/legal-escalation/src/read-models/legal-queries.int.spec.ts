import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@arrears/contracts';
import { prometheusSample, startTelemetry } from '@arrears/observability';
import { allPages } from '@arrears/read-models/src/testing/paging';
import { rejection } from '@arrears/testing';
import { observeHandoffs } from './handoff-metrics';
import type { EscalationAgeView } from './legal-queries';
import type { EscalationKey } from './query-params';
import { History, LegalStream, realisticHandoffs, type RealisticHandoffs } from './testing/legal-history';
import { createTestReadModel, feed, type TestReadModel } from './testing/read-model';

const HOUR = 3_600_000;
const JULY = { from: '2027-07-01T00:00:00.000Z', to: '2027-08-01T00:00:00.000Z' };

describe('LegalQueries', () => {
  let model: TestReadModel;
  let world: RealisticHandoffs;
  /** Three cases supervisor-9 sent to legal at one instant in August, by case id. */
  const august: LegalStream[] = [];

  beforeAll(async () => {
    model = await createTestReadModel('legal_queries');
    world = realisticHandoffs();
    const history = new History();
    for (let i = 0; i < 3; i += 1) {
      const stream = new LegalStream(history);
      stream.start('2027-08-02T09:00:00.000Z', { by: 'supervisor-9', reasons: ['Batch sent by the creditor'] });
      august.push(stream);
    }
    august.sort((x, y) => x.caseId.localeCompare(y.caseId));
    await feed(model.projection(), [...world.events, ...history.events]);
  });

  afterAll(async () => {
    await model.drop();
  });

  const handoffs = (rows: readonly EscalationAgeView[]) => rows.map((row) => `${row.caseId}/${row.handoff}`);
  const of = (stream: LegalStream, handoff = 1) => `${stream.caseId}/${handoff}`;

  it('counts the handoffs in each status, and the overdue ones among them, narrowed by requester and overdue', async () => {
    const counts = async (filter = {}) => (await model.queries.statusCounts(filter)).map(({ status, escalations, overdue }) => `${status} ${escalations}/${overdue}`);
    // G's second handoff and the three of August are requested; E's and G's first refused.
    expect(await counts()).toEqual(['requested 4/0', 'evidence-fixed 1/0', 'delivered 1/1', 'acknowledged 2/1', 'litigating 1/0', 'closed 1/0', 'refused 2/0']);
    expect(await counts({ requestedBy: 'supervisor-2' })).toEqual(['requested 1/0', 'evidence-fixed 0/0', 'delivered 0/0', 'acknowledged 2/1', 'litigating 0/0', 'closed 0/0', 'refused 0/0']);
    expect(await counts({ overdue: true })).toEqual(['requested 0/0', 'evidence-fixed 0/0', 'delivered 1/1', 'acknowledged 1/1', 'litigating 0/0', 'closed 0/0', 'refused 0/0']);
    expect(await counts({ overdue: false, requestedBy: 'system:case-workflow' })).toEqual([
      'requested 0/0',
      'evidence-fixed 0/0',
      'delivered 0/0',
      'acknowledged 0/0',
      'litigating 1/0',
      'closed 1/0',
      'refused 1/0',
    ]);
    expect((await model.queries.statusCounts({ requestedBy: 'nobody' })).every((count) => count.escalations === 0)).toBe(true);
  });

  it('shows the handoffs in flight and the overdue ones among them as gauges for Prometheus', async () => {
    const telemetry = startTelemetry({ serviceName: 'legal-escalation', env: {} });
    const stop = observeHandoffs(() => model.queries.statusCounts(), 0);
    try {
      const text = await telemetry.renderMetrics();
      // Requested (4), evidence fixed (1) and delivered (1, overdue); acknowledged, litigating, closed and refused are not in flight.
      expect(prometheusSample(text, 'arrears_legal_handoffs_in_flight')).toBe(6);
      expect(prometheusSample(text, 'arrears_legal_handoffs_overdue')).toBe(1);
    } finally {
      stop();
      await telemetry.shutdown();
    }
  });

  it('lists the handoffs requested by an instant, the oldest first, each with its age and the time left to its deadline then', async () => {
    const { a, b, c, d, e, f } = world;
    const asOf = '2027-07-08T12:00:00.000Z';
    const page = await model.queries.escalations(asOf);
    expect(handoffs(page.rows)).toEqual([of(a), of(b), of(c), of(d), of(e), of(f)]);
    expect(page.nextAfter).toBeNull();
    expect(page.rows.map((row) => [row.status, row.ageMs / HOUR, row.timeLeftMs === null ? null : row.timeLeftMs / HOUR])).toEqual([
      // Acknowledged, closed or refused by then: no time left to count.
      ['litigating', 172, null],
      ['acknowledged', 147, null],
      ['closed', 122, null],
      // 24 hours past its deadline, still unacknowledged.
      ['delivered', 72, -24],
      ['refused', 51, null],
      ['evidence-fixed', 4, 44],
    ]);
    expect(page.rows[3]).toEqual({
      caseId: d.caseId,
      handoff: 1,
      status: 'delivered',
      overdue: true,
      reasons: ['95 days past due with 2 broken promises'],
      requestedBy: 'system:case-workflow',
      requestedAt: '2027-07-05T12:00:00.000Z',
      deadlineAt: '2027-07-07T12:00:00.000Z',
      packageId: d.packageId,
      evidenceFixedAt: '2027-07-07T18:00:00.000Z',
      deliveredAt: '2027-07-07T18:00:00.000Z',
      hoursToDelivery: 54,
      acknowledgedAt: null,
      acknowledgedBy: null,
      hoursToAcknowledgement: null,
      remindersSent: 2,
      lastReminderAt: '2027-07-07T00:00:00.000Z',
      overdueAt: '2027-07-07T12:00:00.000Z',
      refusedAt: null,
      refusalHolds: null,
      litigationStatus: null,
      litigationOn: null,
      hearingDate: null,
      closedAt: null,
      ageMs: 72 * HOUR,
      timeLeftMs: -24 * HOUR,
    });

    // Earlier, A was not yet acknowledged: its time still ran.
    const early = await model.queries.escalations('2027-07-02T12:00:00+00:00');
    expect(early.rows.map((row) => [row.caseId, row.ageMs / HOUR, (row.timeLeftMs ?? NaN) / HOUR])).toEqual([
      [a.caseId, 28, 20],
      [b.caseId, 3, 45],
    ]);
    // An instant before any request: nothing.
    expect((await model.queries.escalations('2027-06-30T00:00:00.000Z')).rows).toEqual([]);
  });

  it('narrows the list by status, in flight, overdue and requester', async () => {
    const { a, b, c, d, e, f, g } = world;
    const asOf = '2027-08-31T00:00:00.000Z';
    const list = async (options = {}) => handoffs((await model.queries.escalations(asOf, options)).rows);
    expect(await list({ status: 'acknowledged' })).toEqual([of(b), of(c, 2)]);
    expect(await list({ overdue: true })).toEqual([of(b), of(d)]);
    expect(await list({ status: 'refused' })).toEqual([of(e), of(g)]);
    expect(await list({ requestedBy: 'supervisor-2' })).toEqual([of(b), of(c, 2), of(g, 2)]);
    expect(await list({ requestedBy: 'supervisor-2', status: 'requested' })).toEqual([of(g, 2)]);
    expect(await list({ overdue: false, status: 'delivered' })).toEqual([]);
    // In flight: neither acknowledged nor refused, the 48 hours running (or run out).
    expect(await list({ inFlight: true })).toEqual([of(d), of(f), of(g, 2), ...august.map((stream) => of(stream))]);
    expect(await list({ inFlight: false })).toEqual([of(a), of(b), of(c), of(e), of(g), of(c, 2)]);
    expect(await list({ inFlight: true, overdue: true })).toEqual([of(d)]);
    expect(await list({ requestedBy: 'supervisor-9' })).toEqual(august.map((stream) => of(stream)));
  });

  it('pages by keyset: time requested, then case and handoff', async () => {
    const { a, b, c, d, e, f, g } = world;
    const pages = await allPages<EscalationAgeView, EscalationKey>((after) => model.queries.escalations('2027-08-31T00:00:00.000Z', { limit: 5, ...(after === undefined ? {} : { after }) }));
    expect(pages.map((page) => page.length)).toEqual([5, 5, 2]);
    // August's three, requested at one instant, by case id.
    expect(handoffs(pages.flat())).toEqual([of(a), of(b), of(c), of(d), of(e), of(f), of(g), of(c, 2), of(g, 2), ...august.map((stream) => of(stream))]);
    const paged = await allPages<EscalationAgeView, EscalationKey>((after) => model.queries.escalations('2027-08-31T00:00:00.000Z', { requestedBy: 'supervisor-9', limit: 1, ...(after === undefined ? {} : { after }) }));
    expect(paged.map(handoffs)).toEqual(august.map((stream) => [of(stream)]));
    // A cursor naming no handoff here ends the list.
    expect((await model.queries.escalations('2027-08-31T00:00:00.000Z', { after: { caseId: randomUUID(), handoff: 1 } })).rows).toEqual([]);
  });

  it('gives one case’s latest handoff, or the one asked for', async () => {
    const { c, g } = world;
    expect(await model.queries.escalation(c.caseId)).toMatchObject({ caseId: c.caseId, handoff: 2, status: 'acknowledged', requestedBy: 'supervisor-2', hoursToAcknowledgement: 42 });
    expect(await model.queries.escalation(c.caseId, 1)).toMatchObject({
      handoff: 1,
      status: 'closed',
      litigationStatus: 'withdrawn',
      litigationOn: '2027-07-15',
      closedAt: '2027-07-15T12:00:00.000Z',
    });
    expect(await model.queries.escalation(g.caseId, 1)).toMatchObject({ status: 'refused', requestedBy: null, reasons: [], deadlineAt: null, refusalHolds: ['dispute'], refusedAt: '2027-07-09T10:00:00.000Z' });
    expect(await model.queries.escalation(world.a.caseId)).toMatchObject({ status: 'litigating', litigationStatus: 'hearing-set', hearingDate: '2027-09-15', remindersSent: 1 });

    expect(await rejection(model.queries.escalation(randomUUID()))).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'caseId' });
    expect(await rejection(model.queries.escalation(c.caseId, 3))).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'handoff' });
    expect(await rejection(model.queries.escalation('case-c'))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'caseId' });
    expect(await rejection(model.queries.escalation(c.caseId, 0))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'handoff' });
  });

  it('gives the hours from request to delivery and to acknowledgement of the handoffs requested in a period', async () => {
    // Delivered after 2, 18, 4, 30 and 54 hours; acknowledged after 36, 54, 12 and 42.
    expect(await model.queries.handoffTimes(JULY)).toEqual({
      from: JULY.from,
      to: JULY.to,
      requested: 9,
      refused: 2,
      delivery: { count: 5, averageHours: 21.6, medianHours: 18, p90Hours: 44.4, withinDeadline: 4 },
      acknowledgement: { count: 4, averageHours: 36, medianHours: 39, p90Hours: 50.4, withinDeadline: 3 },
    });
    // The first half: C's second handoff and G's second are later.
    expect(await model.queries.handoffTimes({ from: '2027-07-01T00:00:00.000Z', to: '2027-07-16T00:00:00.000Z' })).toMatchObject({
      requested: 7,
      refused: 2,
      delivery: { count: 4, averageHours: 19.5, medianHours: 11, p90Hours: 43.2, withinDeadline: 3 },
      acknowledgement: { count: 3, averageHours: 34, medianHours: 36, p90Hours: 50.4, withinDeadline: 2 },
    });
    expect(await model.queries.handoffTimes({ ...JULY, requestedBy: 'supervisor-2' })).toMatchObject({
      requested: 3,
      refused: 0,
      delivery: { count: 2, averageHours: 24, medianHours: 24, p90Hours: 28.8, withinDeadline: 2 },
      acknowledgement: { count: 2, averageHours: 48, medianHours: 48, p90Hours: 52.8, withinDeadline: 1 },
    });
    // August's three are requested, nothing more.
    expect(await model.queries.handoffTimes({ from: '2027-08-01T00:00:00+00:00', to: '2027-09-01T00:00:00+00:00' })).toEqual({
      from: '2027-08-01T00:00:00.000Z',
      to: '2027-09-01T00:00:00.000Z',
      requested: 3,
      refused: 0,
      delivery: { count: 0, averageHours: null, medianHours: null, p90Hours: null, withinDeadline: 0 },
      acknowledgement: { count: 0, averageHours: null, medianHours: null, p90Hours: null, withinDeadline: 0 },
    });
  });

  it('refuses input it cannot read, naming the field', async () => {
    const { queries } = model;
    const refusals: [Promise<unknown>, string][] = [
      [queries.escalations('8 July'), 'asOf'],
      [queries.escalations('2027-07-08T12:00:00Z', { status: 'lost' as never }), 'status'],
      [queries.escalations('2027-07-08T12:00:00Z', { limit: 0 }), 'limit'],
      [queries.escalations('2027-07-08T12:00:00Z', { after: { caseId: 'c', handoff: 1 } }), 'after.caseId'],
      [queries.escalations('2027-07-08T12:00:00Z', { sort: 'newest' } as never), 'sort'],
      [queries.statusCounts({ overdue: 'yes' as never }), 'overdue'],
      [queries.handoffTimes({ from: JULY.to, to: JULY.from }), 'to'],
      [queries.handoffTimes({ from: JULY.from } as never), 'to'],
    ];
    for (const [query, field] of refusals) {
      expect({ field, error: await rejection(query) }).toMatchObject({ field, error: { code: ErrorCode.VALIDATION_FAILED, field } });
    }
  });

  it('counts the handoffs of a case that started — whether legal has been given the case — refusals before a start not among them', async () => {
    const { c, g } = world;
    expect(await model.queries.handoffsStarted(c.caseId)).toEqual({ caseId: c.caseId, handoffs: 2 });
    // G's first request was refused before it started, its second started.
    expect(await model.queries.handoffsStarted(g.caseId)).toEqual({ caseId: g.caseId, handoffs: 1 });
    // A case whose only request was refused before its handoff started: legal was never given it.
    const neverHanded = new LegalStream();
    await feed(model.projection(), [neverHanded.refuseRequest('2027-08-03T09:00:00.000Z', ['dispute'])]);
    expect(await model.queries.escalation(neverHanded.caseId)).toMatchObject({ status: 'refused' });
    expect(await model.queries.handoffsStarted(neverHanded.caseId)).toEqual({ caseId: neverHanded.caseId, handoffs: 0 });
    expect(await model.queries.handoffsStarted(randomUUID())).toMatchObject({ handoffs: 0 });
    expect(await rejection(model.queries.handoffsStarted('case-c'))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'caseId' });
  });
});
