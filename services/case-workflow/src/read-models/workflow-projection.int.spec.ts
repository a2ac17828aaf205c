import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { describeProjectionReplays } from '@arrears/read-models/src/testing/replay-suite';
import { fedOnce, freshReadModels } from '@arrears/read-models/src/testing/test-read-model';
import { accountPlaced, rejection } from '@arrears/testing';
import { CONSUMER, createTestReadModel, feed } from './testing/read-model';
import { CaseStream, History, realisticWorkflow, RosterStream, type RealisticWorkflow } from './testing/workflow-history';

type Row = Record<string, unknown>;
const HOUR = 3_600_000;

describe('WorkflowProjection', () => {
  const readModel = freshReadModels(createTestReadModel);

  /** A read model fed `events` in order, and the rows that made. */
  const fedWith = (events: readonly EventEnvelope[]) => fedOnce(readModel, events);

  const byCase = (rows: unknown[], caseId: string) => (rows as Row[]).filter((row) => row['case_id'] === caseId);

  it('projects a realistic history into one row per case, collector, checklist item and stage visit', async () => {
    const world = realisticWorkflow();
    const { rows } = await fedWith(world.events);
    const { a, b, c, d, e } = world;

    expect(byCase(rows.cases, c.caseId)).toEqual([
      {
        case_id: c.caseId,
        opened_at: '2027-06-02T10:00:00+00:00',
        product: 'auto-loan',
        currency: 'USD',
        balance_minor: 800_000,
        aging_bucket: '90+',
        risk_tier: 'high',
        stage: 'pressure',
        stage_entry: 2,
        stage_entered_at: '2027-06-05T10:00:00+00:00',
        legal_requested_at: '2027-06-12T10:00:00+00:00',
        legal_held_at: '2027-06-09T10:00:00+00:00',
        closed_reason: null,
        closed_at: null,
        assignment: 'assigned',
        team_id: 'main',
        // Reassigned from collector-7 when the case stalled.
        collector_id: 'collector-9',
        assigned_at: '2027-06-03T11:00:00+00:00',
        // Only the account's AccountPlaced says it: none in this history.
        jurisdiction: null,
      },
    ]);
    const summary = (caseId: string) => {
      const [row = {}] = byCase(rows.cases, caseId);
      return [row['stage'], row['stage_entry'], row['aging_bucket'], row['risk_tier'], row['balance_minor'], row['assignment'], row['team_id'], row['collector_id'], row['closed_reason'], row['closed_at']];
    };
    expect([a, b, c, d, e].map((kase) => summary(kase.caseId))).toEqual([
      // High risk since 6 June.
      ['pressure', 2, '1-30', 'high', 120_000, 'assigned', 'main', 'collector-7', null, null],
      // 300.00 left after a payment; closed and released.
      ['close', 3, '31-90', 'high', 30_000, 'released', 'main', null, 'settled', '2027-06-07T09:00:00+00:00'],
      ['pressure', 2, '90+', 'high', 800_000, 'assigned', 'main', 'collector-9', null, null],
      ['contact', 1, '31-90', 'low', 2_000_000, 'unassigned', 'main', null, null, null],
      ['negotiate', 2, 'current', 'low', 9_000, 'assigned', 'north', 'collector-3', null, null],
    ]);

    expect(rows.collectors).toEqual([
      {
        team_id: 'main',
        collector_id: 'collector-7',
        name: 'Ana Ruiz',
        specialties: ['credit-card', 'auto-loan'],
        capacity: 2,
        available: false,
        absent_until: '2027-06-20',
        // C went to collector-9.
        open_cases: 1,
        registered_at: '2027-06-01T07:00:00+00:00',
      },
      expect.objectContaining({ team_id: 'main', collector_id: 'collector-9', specialties: ['consumer-loan', 'mortgage'], capacity: 4, available: true, absent_until: null, open_cases: 1 }),
      expect.objectContaining({ team_id: 'north', collector_id: 'collector-3', capacity: 5, open_cases: 1 }),
    ]);

    const items = (kase: CaseStream) => byCase(rows.checklist_items, kase.caseId).map((row) => [row['entry'], row['item'], row['stage'], row['status'], row['due_at'], row['done_at'], row['missed_at'], row['missed_collector_id']]);
    expect(items(c)).toEqual([
      // Missed on 3 June, given a day more, met late on 4 June: done, the miss on record.
      [1, 'first-attempt', 'contact', 'done', '2027-06-04T10:00:00+00:00', '2027-06-04T14:00:00+00:00', '2027-06-03T10:00:00+00:00', 'collector-7'],
      // Left open when the case moved on.
      [1, 'right-party-contact', 'contact', 'open', '2027-06-05T10:00:00+00:00', null, null, null],
      [2, 'legal-consequences-notice', 'pressure', 'missed', '2027-06-08T10:00:00+00:00', null, '2027-06-08T10:00:00+00:00', 'collector-9'],
    ]);
    expect(items(a)).toEqual([
      // Its deadline set once it was assigned.
      [1, 'first-attempt', 'contact', 'done', '2027-06-02T08:00:05+00:00', '2027-06-01T10:00:00+00:00', null, null],
      [1, 'right-party-contact', 'contact', 'missed', '2027-06-04T08:00:00+00:00', null, '2027-06-04T08:00:00+00:00', 'collector-7'],
      [2, 'legal-consequences-notice', 'pressure', 'open', '2027-06-08T08:00:00+00:00', null, null, null],
    ]);
    // Nobody was alerted for D but the supervisor; its first attempt has no deadline without a collector.
    expect(items(d)).toEqual([
      [1, 'first-attempt', 'contact', 'open', null, null, null, null],
      [1, 'right-party-contact', 'contact', 'missed', '2027-06-06T08:00:00+00:00', null, '2027-06-06T08:00:00+00:00', null],
    ]);
    // The close stage has no checklist.
    expect(rows.checklist_items).toHaveLength(3 + 3 + 3 + 2 + 3);

    const visits = (kase: CaseStream) => byCase(rows.stage_visits, kase.caseId).map((row) => [row['entry'], row['stage'], row['from_stage'], row['aging_bucket'], row['risk_tier'], row['entered_at'], row['left_at'], row['duration_ms']]);
    expect(visits(b)).toEqual([
      [1, 'contact', null, '31-90', 'high', '2027-06-01T09:00:00+00:00', '2027-06-03T09:00:00+00:00', 48 * HOUR],
      [2, 'negotiate', 'contact', '31-90', 'high', '2027-06-03T09:00:00+00:00', '2027-06-07T09:00:00+00:00', 96 * HOUR],
      // The end: never left.
      [3, 'close', 'negotiate', '31-90', 'high', '2027-06-07T09:00:00+00:00', null, null],
    ]);
    // Each visit keeps the tier the case had when it entered: A turned high risk after it entered pressure.
    expect(visits(a).map(([entry, stage, , , tier, , , duration]) => [entry, stage, tier, duration])).toEqual([
      [1, 'contact', 'medium', 96 * HOUR],
      [2, 'pressure', 'medium', null],
    ]);
    expect(rows.stage_visits).toHaveLength(2 + 3 + 2 + 1 + 2);

    // Every stream applied to its last event, the saga's effect events included.
    expect(rows.stream_positions).toEqual(
      [...world.cases.map((kase) => ({ stream_id: `case-${kase.caseId}`, position: kase.events.length - 1 })), { stream_id: 'roster-main', position: world.main.events.length - 1 }, { stream_id: 'roster-north', position: 1 }].sort((x, y) =>
        x.stream_id.localeCompare(y.stream_id),
      ),
    );
  });

  it('applies each event to its rows: a case walked through its stages, a collector through the roster', async () => {
    const model = await readModel();
    const projection = model.projection();
    const history = new History();
    const roster = new RosterStream('east', history);
    const kase = new CaseStream(randomUUID(), history);
    const other = new CaseStream(randomUUID(), history);
    let fed = 0;
    /** Feeds what the streams have that was not fed yet, and reads the tables back. */
    const now = async () => {
      await feed(projection, history.events.slice(fed));
      fed = history.events.length;
      const rows = await model.snapshot();
      const caseRow = (id: string) => byCase(rows.cases, id)[0] ?? {};
      return {
        rows,
        kase: caseRow(kase.caseId),
        other: caseRow(other.caseId),
        collector: (id: string) => (rows.collectors as Row[]).find((row) => row['collector_id'] === id),
        items: byCase(rows.checklist_items, kase.caseId),
        visits: byCase(rows.stage_visits, kase.caseId),
      };
    };

    roster.register('collector-1', 'Dana Flores', '2027-07-01T07:00:00.000Z', { specialties: ['mortgage'], capacity: 1 });
    roster.register('collector-2', 'Eli Brandt', '2027-07-01T07:01:00.000Z');
    expect((await now()).collector('collector-1')).toEqual({
      team_id: 'east',
      collector_id: 'collector-1',
      name: 'Dana Flores',
      specialties: ['mortgage'],
      capacity: 1,
      available: true,
      absent_until: null,
      open_cases: 0,
      registered_at: '2027-07-01T07:00:00+00:00',
    });

    kase.open('2027-07-01T08:00:00.000Z', { product: 'mortgage', currency: 'GBP', balance: 500_000, bucket: '1-30', tier: 'low' });
    expect((await now()).kase).toMatchObject({ opened_at: '2027-07-01T08:00:00+00:00', product: 'mortgage', currency: 'GBP', balance_minor: 500_000, stage: null, assignment: 'none', team_id: null, collector_id: null });

    // An effect event changes no row, but takes its position.
    kase.commandIssued('case-workflow', 'AssignCase', '2027-07-01T08:00:00.000Z');
    const afterEffect = await now();
    expect(afterEffect.rows.stream_positions).toContainEqual({ stream_id: `case-${kase.caseId}`, position: 1 });

    roster.assign(kase, 'collector-1', '2027-07-01T08:00:05.000Z');
    const assigned = await now();
    expect(assigned.kase).toMatchObject({ assignment: 'assigned', team_id: 'east', collector_id: 'collector-1', assigned_at: '2027-07-01T08:00:05+00:00' });
    expect(assigned.collector('collector-1')).toMatchObject({ open_cases: 1 });

    // The saga's record of the assignment does not override the roster, the authority on who holds a case.
    kase.signal('assigned', { collectorId: 'collector-2' }, '2027-07-01T08:00:06.000Z');
    expect((await now()).kase).toMatchObject({ collector_id: 'collector-1' });

    kase.enter('contact', '2027-07-01T08:00:10.000Z', { checklist: [{ item: 'first-attempt' }, { item: 'right-party-contact', dueAt: '2027-07-04T08:00:00.000Z' }] });
    const contact = await now();
    expect(contact.kase).toMatchObject({ stage: 'contact', stage_entry: 1, stage_entered_at: '2027-07-01T08:00:10+00:00' });
    expect(contact.visits).toEqual([
      { case_id: kase.caseId, entry: 1, stage: 'contact', from_stage: null, aging_bucket: '1-30', risk_tier: 'low', entered_at: '2027-07-01T08:00:10+00:00', left_at: null, duration_ms: null },
    ]);
    expect(contact.items).toEqual([
      { case_id: kase.caseId, entry: 1, item: 'first-attempt', stage: 'contact', due_at: null, status: 'open', done_at: null, missed_at: null, missed_collector_id: null },
      { case_id: kase.caseId, entry: 1, item: 'right-party-contact', stage: 'contact', due_at: '2027-07-04T08:00:00+00:00', status: 'open', done_at: null, missed_at: null, missed_collector_id: null },
    ]);

    kase.deadline('first-attempt', '2027-07-02T08:00:05.000Z', '2027-07-01T08:00:11.000Z');
    expect((await now()).items[0]).toMatchObject({ due_at: '2027-07-02T08:00:05+00:00', status: 'open' });
    // Met when the attempt happened, which the saga recorded a little later.
    kase.append({ type: 'ChecklistItemDone', data: { caseId: kase.caseId, stage: 'contact', entry: 1, item: 'first-attempt', by: 'attempt', at: '2027-07-01T11:00:00.000Z' } }, '2027-07-01T11:00:02.000Z');
    expect((await now()).items[0]).toMatchObject({ status: 'done', done_at: '2027-07-01T11:00:00+00:00' });

    kase.missed('right-party-contact', '2027-07-04T08:00:01.000Z', 'collector-1');
    expect((await now()).items[1]).toMatchObject({ status: 'missed', due_at: '2027-07-04T08:00:00+00:00', missed_at: '2027-07-04T08:00:01+00:00', missed_collector_id: 'collector-1' });
    // A later deadline gives it another chance; the miss stays on record.
    kase.deadline('right-party-contact', '2027-07-06T08:00:00.000Z', '2027-07-04T09:00:00.000Z');
    expect((await now()).items[1]).toMatchObject({ status: 'open', due_at: '2027-07-06T08:00:00+00:00', missed_at: '2027-07-04T08:00:01+00:00', missed_collector_id: 'collector-1' });

    kase.signal('bucket-changed', { bucket: '31-90' }, '2027-07-05T05:00:00.000Z');
    kase.signal('tier-changed', { tier: 'medium' }, '2027-07-05T05:00:01.000Z');
    kase.signal('payment', { balance: 450_000 }, '2027-07-05T10:00:00.000Z');
    const signalled = await now();
    expect(signalled.kase).toMatchObject({ aging_bucket: '31-90', risk_tier: 'medium', balance_minor: 450_000 });
    // A signal this read model does not keep changes only the stream's position.
    kase.signal('promise-recorded', { promiseId: randomUUID() }, '2027-07-05T11:00:00.000Z');
    const ignored = await now();
    expect({ ...ignored.rows, stream_positions: [] }).toEqual({ ...signalled.rows, stream_positions: [] });

    kase.enter('pressure', '2027-07-06T08:00:10.000Z', { checklist: [{ item: 'legal-consequences-notice', dueAt: '2027-07-09T08:00:00.000Z' }] });
    const pressure = await now();
    expect(pressure.kase).toMatchObject({ stage: 'pressure', stage_entry: 2, stage_entered_at: '2027-07-06T08:00:10+00:00' });
    expect(pressure.visits.map((row) => [row['entry'], row['stage'], row['from_stage'], row['aging_bucket'], row['risk_tier'], row['left_at'], row['duration_ms']])).toEqual([
      [1, 'contact', null, '1-30', 'low', '2027-07-06T08:00:10+00:00', 5 * 24 * HOUR],
      [2, 'pressure', 'contact', '31-90', 'medium', null, null],
    ]);

    kase.legalHeld('2027-07-08T10:00:00.000Z', ['bankruptcy']);
    expect((await now()).kase).toMatchObject({ legal_held_at: '2027-07-08T10:00:00+00:00', legal_requested_at: null });
    kase.legalRequested('2027-07-10T10:00:00.000Z', 'supervisor-2');
    expect((await now()).kase).toMatchObject({ legal_held_at: '2027-07-08T10:00:00+00:00', legal_requested_at: '2027-07-10T10:00:00+00:00' });

    roster.update('collector-1', '2027-07-10T11:00:00.000Z', { specialties: ['mortgage', 'auto-loan'], capacity: 3 });
    expect((await now()).collector('collector-1')).toMatchObject({ specialties: ['mortgage', 'auto-loan'], capacity: 3, name: 'Dana Flores' });
    roster.availability('collector-1', false, '2027-07-11T08:00:00.000Z', { until: '2027-07-18' });
    expect((await now()).collector('collector-1')).toMatchObject({ available: false, absent_until: '2027-07-18' });
    roster.availability('collector-1', true, '2027-07-18T08:00:00.000Z');
    expect((await now()).collector('collector-1')).toMatchObject({ available: true, absent_until: null });

    // A second case: nobody can take it, then collector-2 does, then it moves to collector-1.
    other.open('2027-07-12T08:00:00.000Z');
    roster.unassign(other, '2027-07-12T08:00:05.000Z');
    expect((await now()).other).toMatchObject({ assignment: 'unassigned', team_id: 'east', collector_id: null, assigned_at: null });
    roster.assign(other, 'collector-2', '2027-07-12T09:00:00.000Z', 'supervisor');
    const taken = await now();
    expect(taken.other).toMatchObject({ assignment: 'assigned', collector_id: 'collector-2' });
    expect([taken.collector('collector-1')?.['open_cases'], taken.collector('collector-2')?.['open_cases']]).toEqual([1, 1]);
    roster.assign(other, 'collector-1', '2027-07-13T09:00:00.000Z', 'overload');
    const moved = await now();
    expect(moved.other).toMatchObject({ collector_id: 'collector-1', assigned_at: '2027-07-13T09:00:00+00:00' });
    expect([moved.collector('collector-1')?.['open_cases'], moved.collector('collector-2')?.['open_cases']]).toEqual([2, 0]);

    kase.enter('close', '2027-07-20T09:00:00.000Z', { closeReason: 'handed-to-legal' });
    const closed = await now();
    expect(closed.kase).toMatchObject({ stage: 'close', stage_entry: 3, closed_reason: 'handed-to-legal', closed_at: '2027-07-20T09:00:00+00:00', assignment: 'assigned' });
    expect(closed.visits.map((row) => [row['stage'], row['left_at']])).toEqual([
      ['contact', '2027-07-06T08:00:10+00:00'],
      ['pressure', '2027-07-20T09:00:00+00:00'],
      ['close', null],
    ]);
    roster.release(kase, '2027-07-20T09:00:10.000Z', 'neutral');
    const released = await now();
    expect(released.kase).toMatchObject({ assignment: 'released', team_id: 'east', collector_id: null, assigned_at: '2027-07-01T08:00:05+00:00' });
    expect(released.collector('collector-1')).toMatchObject({ open_cases: 1 });
  });

  it('ends in the same rows whichever kind of stream is delivered first: a case assigned before it is opened here', async () => {
    const world = realisticWorkflow();
    const { rows: expected } = await fedWith(world.events);
    const rosters = [...world.main.events, ...world.north.events];
    const sagas = world.cases.flatMap((kase) => kase.events);

    // Every roster event first: the cases are assigned, unassigned and released before anything else is known of them.
    const rosterFirst = await readModel();
    await feed(rosterFirst.projection(), rosters);
    expect(byCase((await rosterFirst.snapshot()).cases, world.a.caseId)).toEqual([
      expect.objectContaining({ opened_at: null, product: null, stage: null, assignment: 'assigned', team_id: 'main', collector_id: 'collector-7' }),
    ]);
    await feed(rosterFirst.projection(), sagas);
    expect(await rosterFirst.snapshot()).toEqual(expected);

    // Every saga event first.
    const sagasFirst = await readModel();
    await feed(sagasFirst.projection(), [...sagas, ...rosters]);
    expect(await sagasFirst.snapshot()).toEqual(expected);

    // Each roster event just before the saga event that would follow it, one stream at a time alternating.
    const alternating: EventEnvelope[] = [];
    const queues = [rosters, ...world.cases.map((kase) => kase.events)].map((events) => [...events]);
    while (queues.some((queue) => queue.length > 0)) for (const queue of queues) if (queue.length > 0) alternating.push(queue.shift()!);
    const interleaved = await readModel();
    await feed(interleaved.projection(), alternating);
    expect(await interleaved.snapshot()).toEqual(expected);
  });

  it("keeps the debtor's jurisdiction from the account's AccountPlaced, before or after the case opens here, once however often delivered", async () => {
    const world = realisticWorkflow();
    const { rows: without } = await fedWith(world.events);
    const history = new History();
    const placed = (caseId: string, jurisdiction: string) => history.store(accountPlaced(caseId, { jurisdiction }), `account-${caseId}`, 0);
    const [illinois, california] = [placed(world.a.caseId, 'US-IL'), placed(world.c.caseId, 'US-CA')];
    const model = await readModel();
    // One placement before its case is known here, one after; each delivered twice.
    await feed(model.projection(), [illinois, ...world.events, california, illinois, california]);
    const rows = await model.snapshot();
    const cases = rows.cases as Row[];
    expect(cases.map((row) => [row['case_id'], row['jurisdiction']])).toEqual(
      (without.cases as Row[]).map((row) => [row['case_id'], row['case_id'] === world.a.caseId ? 'US-IL' : row['case_id'] === world.c.caseId ? 'US-CA' : null]),
    );
    // Nothing else of the rows moves.
    expect({ ...rows, cases: cases.map((row) => ({ ...row, jurisdiction: null })) }).toEqual(without);
  });

  it('refuses an event whose predecessor in its stream is not applied yet, keeps no record of it, and applies it after', async () => {
    const world = realisticWorkflow();
    const model = await readModel();
    const projection = model.projection();
    const { a, main } = world;

    await feed(projection, a.events.slice(0, 2));
    const early = a.events[3]!;
    const error = await rejection(projection.handle(early));
    expect(error).toBeInstanceOf(ArrearsError);
    expect(error).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, field: 'streamPosition', details: { streamId: `case-${a.caseId}`, expected: 2, actual: 3 } });
    expect(await model.processed()).toEqual([a.events[0]!.eventId, a.events[1]!.eventId].sort());

    // A roster stream likewise; and the first event seen of a stream must be its first.
    expect(await rejection(projection.handle(main.events[1]!))).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { streamId: 'roster-main', expected: 0, actual: 1 } });
    await projection.handle(main.events[0]!);
    expect(await rejection(projection.handle(main.events[2]!))).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { expected: 1, actual: 2 } });
    // Even an effect event, which changes no row, must come in its turn.
    const effect = a.events.findIndex((event) => event.type === 'SagaTimerSet');
    expect(await rejection(projection.handle(a.events[effect]!))).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { expected: 2, actual: effect } });
    expect((await model.snapshot()).stream_positions).toEqual(
      [
        { stream_id: `case-${a.caseId}`, position: 1 },
        { stream_id: 'roster-main', position: 0 },
      ].sort((x, y) => x.stream_id.localeCompare(y.stream_id)),
    );

    // Retried after their predecessors, they apply.
    await feed(projection, [...a.events.slice(2), ...main.events.slice(1)]);
    const rows = await model.snapshot();
    expect(byCase(rows.cases, a.caseId)).toEqual([expect.objectContaining({ stage: 'pressure', collector_id: 'collector-7' })]);
    expect(rows.stream_positions).toContainEqual({ stream_id: `case-${a.caseId}`, position: a.events.length - 1 });
  });

  it('refuses an event on the wrong stream, about a case, item or collector it does not have, out of step or malformed, changing nothing', async () => {
    const world = realisticWorkflow();
    const { model, rows: before } = await fedWith(world.events);
    const projection = model.projection();
    const { a, b, main } = world;
    /** `event` again as the next event of `stream`, with a fresh id and `data` changed. */
    const next = (event: EventEnvelope, stream: { readonly events: readonly EventEnvelope[] }, data: Row = {}): EventEnvelope => ({
      ...event,
      eventId: randomUUID(),
      streamPosition: stream.events.length,
      data: { ...event.data, ...data },
    });
    const done = a.events.find((event) => event.type === 'ChecklistItemDone')!;

    const refusals: [EventEnvelope, Partial<ArrearsError>][] = [
      [{ ...done, eventId: randomUUID(), streamId: `contact-${a.caseId}` }, { code: ErrorCode.VALIDATION_FAILED, field: 'streamId' }],
      // B's event on A's stream.
      [{ ...next(b.events[0]!, a), streamId: `case-${a.caseId}` }, { code: ErrorCode.VALIDATION_FAILED, field: 'streamId' }],
      // A roster event on a case stream, and a saga event on a roster stream.
      [{ ...next(main.events[0]!, a), streamId: `case-${a.caseId}` }, { code: ErrorCode.VALIDATION_FAILED, field: 'type' }],
      [{ ...next(done, main), streamId: 'roster-main' }, { code: ErrorCode.VALIDATION_FAILED, field: 'type' }],
      [next(done, a, { item: 'no-such-item' }), { code: ErrorCode.VALIDATION_FAILED, field: 'data.item' }],
      [next(done, a, { at: 'yesterday' }), { code: ErrorCode.VALIDATION_FAILED, field: 'data.at' }],
      // Entry 1 of A had no commitment; entry 2 is a pressure stage; there is no entry 9.
      [next(done, a, { item: 'commitment' }), { code: ErrorCode.NOT_FOUND, field: 'data.item' }],
      [next(done, a, { entry: 2, item: 'legal-consequences-notice' }), { code: ErrorCode.VALIDATION_FAILED, field: 'data.stage' }],
      [next(done, a, { entry: 9 }), { code: ErrorCode.NOT_FOUND, field: 'data.item' }],
      // A's next stage entry is its third.
      [next(a.events.find((event) => event.type === 'StageEntered')!, a, { entry: 5 }), { code: ErrorCode.VALIDATION_FAILED, field: 'data.entry' }],
      [next(main.events.find((event) => event.type === 'CollectorUpdated')!, main, { collectorId: 'collector-404' }), { code: ErrorCode.NOT_FOUND, field: 'data.collectorId' }],
    ];
    for (const [event, expected] of refusals) {
      expect({ type: event.type, data: event.data, error: await rejection(projection.handle(event)) }).toMatchObject({ type: event.type, data: event.data, error: expected });
    }

    // A case stream that does not start with its CaseOpened.
    const stray = new CaseStream().enter('contact', '2027-06-01T08:00:00.000Z');
    expect(await rejection(projection.handle(stray))).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'data.caseId' });
    // A case opened for another account.
    const foreign = new CaseStream().open('2027-06-01T08:00:00.000Z');
    expect(await rejection(projection.handle({ ...foreign, data: { ...foreign.data, accountId: randomUUID() } }))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'data.accountId' });

    expect(await model.snapshot()).toEqual(before);
    // The real next events still apply afterwards.
    await feed(projection, [a.done('legal-consequences-notice', '2027-06-07T10:00:00.000Z', 'final-notice-sent'), foreign]);
    expect(byCase((await model.snapshot()).checklist_items, a.caseId).find((row) => row['entry'] === 2)).toMatchObject({ status: 'done', done_at: '2027-06-07T10:00:00+00:00' });
  });

  it('keeps no free text: neither the reasons of stages, deadlines, escalations and absences nor why a case waits', async () => {
    const { model } = await fedWith(realisticWorkflow().events);
    for (const text of ['by the stage rules', 'by the deadline', 'Two promises broken', 'Knee surgery', 'Nobody available', 'Spare capacity']) {
      expect({ text, columns: await model.columnsContaining(text) }).toEqual({ text, columns: [] });
    }
    // The scan does look: a collector's id is found where it is kept.
    expect(await model.columnsContaining('collector-9')).toEqual(['cases.collector_id', 'checklist_items.missed_collector_id', 'collectors.collector_id']);
  });
});

describeProjectionReplays<RealisticWorkflow>({
  name: 'WorkflowProjection',
  consumer: CONSUMER,
  history: realisticWorkflow,
  readModel: () => createTestReadModel(),
  later: (world) => [
    world.d.enter('pressure', '2027-06-13T08:00:00.000Z', { checklist: [{ item: 'legal-consequences-notice', dueAt: '2027-06-16T08:00:00.000Z' }] }),
    world.main.assign(world.d, 'collector-9', '2027-06-13T09:00:00.000Z', 'supervisor'),
    world.a.timerSet('legal-consequences-notice', '2027-06-08T08:00:00.000Z', '2027-06-13T09:30:00.000Z'),
  ],
});
