import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { describeProjectionReplays } from '@arrears/read-models/src/testing/replay-suite';
import { fedOnce, freshReadModels } from '@arrears/read-models/src/testing/test-read-model';
import { rejection } from '@arrears/testing';
import { History, LegalStream, realisticHandoffs, type RealisticHandoffs } from './testing/legal-history';
import { CONSUMER, createTestReadModel, feed } from './testing/read-model';

type Row = Record<string, unknown>;

describe('LegalProjection', () => {
  const readModel = freshReadModels(createTestReadModel);

  /** A read model fed `events` in order, and the rows that made. */
  const fedWith = (events: readonly EventEnvelope[]) => fedOnce(readModel, events);
  const byCase = (rows: unknown[], caseId: string) => (rows as Row[]).filter((row) => row['case_id'] === caseId);

  it('projects a realistic history into one row per handoff of each case', async () => {
    const world = realisticHandoffs();
    const { rows } = await fedWith(world.events);
    const { a, b, c, d, e, f, g } = world;

    expect(byCase(rows.escalations, a.caseId)).toEqual([
      {
        case_id: a.caseId,
        handoff: 1,
        status: 'litigating',
        reasons: ['95 days past due with 2 broken promises', '2 payment plans defaulted'],
        requested_by: 'system:case-workflow',
        requested_at: '2027-07-01T08:00:00+00:00',
        deadline_at: '2027-07-03T08:00:00+00:00',
        package_id: a.packageId,
        evidence_fixed_at: '2027-07-01T10:00:00+00:00',
        delivered_at: '2027-07-01T10:00:00+00:00',
        delivery_hours: 2,
        acknowledged_at: '2027-07-02T20:00:00+00:00',
        acknowledged_by: 'legal-1',
        acknowledgement_hours: 36,
        reminders_sent: 1,
        last_reminder_at: '2027-07-02T08:00:00+00:00',
        overdue: false,
        overdue_at: null,
        refused_at: null,
        refusal_holds: null,
        litigation_status: 'hearing-set',
        litigation_on: '2027-07-10',
        hearing_date: '2027-09-15',
        closed_at: null,
      },
    ]);
    const summary = (row: Row) => [
      row['handoff'],
      row['status'],
      row['requested_by'],
      row['delivery_hours'],
      row['acknowledgement_hours'],
      row['reminders_sent'],
      row['overdue'],
      row['refusal_holds'],
      row['litigation_status'],
      row['closed_at'],
    ];
    expect([b, c, d, e, f, g].map((stream) => byCase(rows.escalations, stream.caseId).map(summary))).toEqual([
      [[1, 'acknowledged', 'supervisor-2', 18, 54, 2, true, null, null, null]],
      [
        // Withdrawn, then sent again.
        [1, 'closed', 'system:case-workflow', 4, 12, 0, false, null, 'withdrawn', '2027-07-15T12:00:00+00:00'],
        [2, 'acknowledged', 'supervisor-2', 30, 42, 1, false, null, null, null],
      ],
      [[1, 'delivered', 'system:case-workflow', 54, null, 2, true, null, null, null]],
      // Its FixEvidence refused: the holds are named in the refusal's message, which is not kept.
      [[1, 'refused', 'system:case-workflow', null, null, 0, false, [], null, null]],
      [[1, 'evidence-fixed', 'supervisor-3', null, null, 0, false, null, null, null]],
      [
        [1, 'refused', null, null, null, 0, false, ['dispute'], null, null],
        [2, 'requested', 'supervisor-2', null, null, 0, false, null, null, null],
      ],
    ]);
    // Refused as it was requested: no requester, reasons or deadline; it dates from the refusal.
    expect(byCase(rows.escalations, g.caseId)[0]).toMatchObject({ reasons: [], requested_at: '2027-07-09T10:00:00+00:00', deadline_at: null, refused_at: '2027-07-09T10:00:00+00:00' });
    expect(byCase(rows.escalations, d.caseId)[0]).toMatchObject({ overdue_at: '2027-07-07T12:00:00+00:00', deadline_at: '2027-07-07T12:00:00+00:00', delivered_at: '2027-07-07T18:00:00+00:00' });
    // Every stream at its last event, the saga's effect events included.
    expect(rows.stream_positions).toEqual(
      world.streams.map((stream) => ({ stream_id: `legal-${stream.caseId}`, position: stream.events.length - 1 })).sort((x, y) => x.stream_id.localeCompare(y.stream_id)),
    );
  });

  it('follows one handoff event by event, and a case sent to legal again', async () => {
    const model = await readModel();
    const projection = model.projection();
    const stream = new LegalStream(new History());
    const now = async (event: EventEnvelope) => {
      await projection.handle(event);
      const rows = byCase((await model.snapshot()).escalations, stream.caseId);
      return rows[rows.length - 1] ?? {};
    };

    expect(await now(stream.start('2027-08-02T09:00:00.000Z', { by: 'supervisor-1', reasons: ['Asked by the creditor'] }))).toMatchObject({
      status: 'requested',
      reasons: ['Asked by the creditor'],
      requested_by: 'supervisor-1',
      deadline_at: '2027-08-04T09:00:00+00:00',
      reminders_sent: 0,
    });
    // An effect event changes only the stream's position.
    const before = (await model.snapshot()).escalations;
    await projection.handle(stream.timerSet('reminder-24', '2027-08-03T09:00:00.000Z', '2027-08-02T09:00:01.000Z'));
    expect((await model.snapshot()).escalations).toEqual(before);

    expect(await now(stream.remind('2027-08-03T09:00:00.000Z'))).toMatchObject({ status: 'requested', reminders_sent: 1, last_reminder_at: '2027-08-03T09:00:00+00:00' });
    expect(await now(stream.fixEvidence('2027-08-03T12:30:00.000Z'))).toMatchObject({ status: 'evidence-fixed', package_id: stream.packageId, evidence_fixed_at: '2027-08-03T12:30:00+00:00' });
    expect(await now(stream.deliver('2027-08-03T12:30:00.000Z'))).toMatchObject({ status: 'delivered', delivered_at: '2027-08-03T12:30:00+00:00', delivery_hours: 27.5 });
    expect(await now(stream.remind('2027-08-03T21:00:00.000Z'))).toMatchObject({ reminders_sent: 2, last_reminder_at: '2027-08-03T21:00:00+00:00' });
    expect(await now(stream.overdue('2027-08-04T09:00:00.000Z'))).toMatchObject({ status: 'delivered', overdue: true, overdue_at: '2027-08-04T09:00:00+00:00' });
    expect(await now(stream.acknowledge('2027-08-04T10:15:00.000Z', 'legal-4'))).toMatchObject({
      status: 'acknowledged',
      acknowledged_at: '2027-08-04T10:15:00+00:00',
      acknowledged_by: 'legal-4',
      acknowledgement_hours: 49.25,
      overdue: true,
    });
    expect(await now(stream.litigation('filed', '2027-08-10', '2027-08-10T09:00:00.000Z'))).toMatchObject({ status: 'litigating', litigation_status: 'filed', litigation_on: '2027-08-10', hearing_date: null });
    expect(await now(stream.litigation('hearing-set', '2027-08-20', '2027-08-20T09:00:00.000Z', { hearingDate: '2027-10-01' }))).toMatchObject({ litigation_status: 'hearing-set', hearing_date: '2027-10-01' });
    // A judgment names no hearing: the one held is kept.
    expect(await now(stream.litigation('judgment', '2027-10-01', '2027-10-01T15:00:00.000Z'))).toMatchObject({ status: 'litigating', litigation_status: 'judgment', hearing_date: '2027-10-01', closed_at: null });
    expect(await now(stream.litigation('settled', '2027-10-20', '2027-10-20T10:00:00.000Z'))).toMatchObject({ status: 'closed', litigation_status: 'settled', closed_at: '2027-10-20T10:00:00+00:00' });

    // Sent again, then refused while it runs: the first handoff is as it ended.
    expect(await now(stream.start('2027-11-02T09:00:00.000Z'))).toMatchObject({ handoff: 2, status: 'requested', reminders_sent: 0, overdue: false, litigation_status: null });
    expect(await now(stream.refuse('2027-11-02T09:01:00.000Z', ['deceased', 'time-barred']))).toMatchObject({ handoff: 2, status: 'refused', refused_at: '2027-11-02T09:01:00+00:00', refusal_holds: ['deceased', 'time-barred'] });
    expect(byCase((await model.snapshot()).escalations, stream.caseId).map((row) => [row['handoff'], row['status']])).toEqual([
      [1, 'closed'],
      [2, 'refused'],
    ]);
  });

  it("keeps each case's creditor, product and debtor's jurisdiction from its AccountPlaced, before or after its handoffs, once however often delivered", async () => {
    const world = realisticHandoffs();
    const [a, d] = world.placements as [EventEnvelope, EventEnvelope];
    const others = world.events.filter((event) => !world.placements.includes(event));
    const { rows: without } = await fedWith(others);
    const model = await readModel();
    // One placement before its case's handoff, one after; each delivered twice.
    await feed(model.projection(), [a, ...others, d, a, d]);
    const rows = await model.snapshot();
    expect(rows.case_placements).toEqual(
      [
        { case_id: world.a.caseId, creditor_id: 'acme', product: 'credit-card', jurisdiction: 'US-IL' },
        { case_id: world.d.caseId, creditor_id: 'globex', product: 'telecom', jurisdiction: 'US-CA' },
      ].sort((x, y) => x.case_id.localeCompare(y.case_id)),
    );
    // Nothing else moves.
    expect({ ...rows, case_placements: [] }).toEqual({ ...without, case_placements: [] });
    // The list narrows by them: of the handoffs in flight (D's, F's, G's second), only D's case is known to be in the US.
    const inFlight = (params: Record<string, unknown>) => model.queries.escalations('2027-07-31T00:00:00.000Z', { inFlight: true, ...params });
    expect((await inFlight({ jurisdiction: 'US' })).rows.map((row) => row.caseId)).toEqual([world.d.caseId]);
    expect((await inFlight({ creditorId: 'acme' })).rows).toEqual([]);
    expect((await model.queries.escalations('2027-07-31T00:00:00.000Z', { creditorId: 'acme' })).rows.map((row) => [row.caseId, row.handoff])).toEqual([[world.a.caseId, 1]]);
    // Replayed under another consumer name, the placements change nothing.
    await feed(model.projection('legal-escalation__rebuild'), [a, d]);
    expect(await model.snapshot()).toEqual(rows);
  }, 30_000);

  it('refuses an event whose predecessor in its stream is not applied yet, keeps no record of it, and applies it after', async () => {
    const world = realisticHandoffs();
    const model = await readModel();
    const projection = model.projection();
    const { a } = world;

    await feed(projection, a.events.slice(0, 2));
    const error = await rejection(projection.handle(a.events[3]!));
    expect(error).toBeInstanceOf(ArrearsError);
    expect(error).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, field: 'streamPosition', details: { streamId: `legal-${a.caseId}`, expected: 2, actual: 3 } });
    // The first event seen of a stream must be its first; an effect event, which changes no row, must come in its turn.
    expect(await rejection(projection.handle(world.b.events[1]!))).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { streamId: `legal-${world.b.caseId}`, expected: 0, actual: 1 } });
    const effect = a.events.findIndex((event) => event.type === 'SagaTimerCleared');
    expect(await rejection(projection.handle(a.events[effect]!))).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { expected: 2, actual: effect } });
    expect(await model.processed()).toEqual([a.events[0]!.eventId, a.events[1]!.eventId].sort());
    expect((await model.snapshot()).stream_positions).toEqual([{ stream_id: `legal-${a.caseId}`, position: 1 }]);

    // Retried after their predecessors, they apply.
    await feed(projection, a.events.slice(2));
    const rows = await model.snapshot();
    expect(byCase(rows.escalations, a.caseId)).toEqual([expect.objectContaining({ status: 'litigating', hearing_date: '2027-09-15' })]);
    expect(rows.stream_positions).toEqual([{ stream_id: `legal-${a.caseId}`, position: a.events.length - 1 }]);
  });

  it('refuses an event on the wrong stream, malformed, about a handoff it does not have or in a status it cannot follow, changing nothing', async () => {
    const world = realisticHandoffs();
    const { model, rows: before } = await fedWith(world.events);
    const projection = model.projection();
    const { a, b, d, f, g } = world;
    /** `event` again as the next event of `stream`, with a fresh id and `data` changed. */
    const next = (event: EventEnvelope, stream: LegalStream, data: Row = {}): EventEnvelope => ({
      ...event,
      eventId: randomUUID(),
      streamId: `legal-${stream.caseId}`,
      streamPosition: stream.events.length,
      data: { ...event.data, ...data },
    });
    const ofType = (stream: LegalStream, type: string, nth = 0) => stream.events.filter((event) => event.type === type)[nth]!;
    const started = ofType(f, 'HandoffStarted');
    const fixed = ofType(f, 'EvidenceFixed');
    const delivered = ofType(d, 'LegalPackageDelivered');
    const acknowledged = ofType(b, 'HandoffAcknowledged');

    const refusals: [EventEnvelope, Partial<ArrearsError>][] = [
      // Not a legal stream; another case's event on F's stream; a case and account that differ.
      [{ ...next(delivered, d), streamId: `case-${d.caseId}` }, { code: ErrorCode.VALIDATION_FAILED, field: 'streamId' }],
      [next(delivered, f, { caseId: d.caseId }), { code: ErrorCode.VALIDATION_FAILED, field: 'streamId' }],
      [next(ofType(d, 'HandoffStarted'), d, { caseId: d.caseId, accountId: randomUUID(), handoff: 2 }), { code: ErrorCode.VALIDATION_FAILED, field: 'data.accountId' }],
      // Malformed: an event this service does not have, a package id that is no SHA-256, hours below zero.
      [{ ...next(delivered, d), type: 'PackageLost' }, { code: ErrorCode.VALIDATION_FAILED, field: 'type' }],
      [next(delivered, f, { caseId: f.caseId, accountId: f.caseId, packageId: 'not-a-hash' }), { code: ErrorCode.VALIDATION_FAILED, field: 'data.packageId' }],
      [next(acknowledged, d, { caseId: d.caseId, packageId: d.packageId, hoursSinceRequest: -1 }), { code: ErrorCode.VALIDATION_FAILED, field: 'data.hoursSinceRequest' }],
      // A handoff F never started; F's handoff 1 started again; G's handoff 1, refused already, refused again.
      [next(fixed, f, { handoff: 3 }), { code: ErrorCode.NOT_FOUND, field: 'data.handoff' }],
      [next(started, f), { code: ErrorCode.VALIDATION_FAILED, field: 'data.handoff' }],
      [next(ofType(g, 'HandoffRefused'), g, { caseId: g.caseId }), { code: ErrorCode.STATE_CONFLICT, field: 'data.handoff' }],
      // F's evidence is fixed, not delivered: nothing to acknowledge, nor to fix again.
      [next(acknowledged, f, { caseId: f.caseId, packageId: f.packageId }), { code: ErrorCode.STATE_CONFLICT, field: 'data.handoff' }],
      [next(fixed, f), { code: ErrorCode.STATE_CONFLICT, field: 'data.handoff' }],
      // D's delivered package is not the one named; D is already overdue; D is not acknowledged, so nothing is litigated.
      [next(acknowledged, d, { caseId: d.caseId, packageId: f.packageId }), { code: ErrorCode.VALIDATION_FAILED, field: 'data.packageId' }],
      [next(ofType(d, 'LegalHandoffOverdue'), d), { code: ErrorCode.STATE_CONFLICT, field: 'data.handoff' }],
      [next(ofType(a, 'LitigationStatusReported'), d, { caseId: d.caseId }), { code: ErrorCode.STATE_CONFLICT, field: 'data.handoff' }],
      // A is acknowledged: no reminder, refusal or overdue after that.
      [next(ofType(a, 'HandoffReminderSent'), a), { code: ErrorCode.STATE_CONFLICT, field: 'data.handoff' }],
      [next(ofType(g, 'HandoffRefused'), a, { caseId: a.caseId }), { code: ErrorCode.STATE_CONFLICT, field: 'data.handoff' }],
    ];
    for (const [event, expected] of refusals) {
      expect({ type: event.type, data: event.data, error: await rejection(projection.handle(event)) }).toMatchObject({ type: event.type, data: event.data, error: expected });
    }
    // A stream that does not start with its handoff.
    const stray = new LegalStream();
    stray.handoff = 1;
    expect(await rejection(projection.handle(stray.fixEvidence('2027-07-30T10:00:00.000Z')))).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'data.handoff' });

    expect(await model.snapshot()).toEqual(before);
    // The real next events still apply afterwards.
    await feed(projection, [d.acknowledge('2027-07-08T09:00:00.000Z', 'legal-3'), f.deliver('2027-07-30T10:00:00.000Z')]);
    const rows = (await model.snapshot()).escalations;
    expect([...byCase(rows, d.caseId), ...byCase(rows, f.caseId)].map((row) => [row['status'], row['delivery_hours'], row['acknowledgement_hours']])).toEqual([
      ['acknowledged', 54, 69],
      ['delivered', 530, null],
    ]);
  });

  it('keeps the reasons, which the system writes, but no free text: neither why a handoff was refused nor legal’s notes', async () => {
    const { model } = await fedWith(realisticHandoffs().events);
    for (const text of ['bankruptcy (petition', 'a hold applies', 'daughter called', 'Creditor asked to withdraw']) {
      expect({ text, columns: await model.columnsContaining(text) }).toEqual({ text, columns: [] });
    }
    // The scan does look: the reasons and a requester's id are found where they are kept.
    expect(await model.columnsContaining('broken promises')).toEqual(['escalations.reasons']);
    expect(await model.columnsContaining('supervisor-3')).toEqual(['escalations.requested_by']);
  });
});

// Fed again, replayed, rebuilt or duplicated, the projection writes the rows it wrote once.
describeProjectionReplays<RealisticHandoffs>({
  name: 'LegalProjection',
  consumer: CONSUMER,
  history: realisticHandoffs,
  readModel: () => createTestReadModel(),
  later: (world) => [
    world.g.fixEvidence('2027-07-25T09:30:00.000Z'),
    world.g.deliver('2027-07-25T09:30:00.000Z'),
    world.d.acknowledge('2027-07-26T09:00:00.000Z', 'legal-3'),
    world.f.timerSet('overdue', '2027-07-10T08:00:00.000Z', '2027-07-26T09:30:00.000Z'),
    world.a.litigation('judgment', '2027-09-15', '2027-09-15T16:00:00.000Z'),
  ],
});
