import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { describeProjectionReplays } from '@arrears/read-models/src/testing/replay-suite';
import { freshReadModels } from '@arrears/read-models/src/testing/test-read-model';
import { rejection } from '@arrears/testing';
import { ContactStream, realisticContacts } from './testing/contact-history';
import { CONSUMER, createTestReadModel, feed } from './testing/read-model';

describe('ContactProjection', () => {
  const readModel = freshReadModels(createTestReadModel);

  it('projects a realistic history into the contact history, the collector days, the complaints and the language hits', async () => {
    const model = await readModel();
    const world = realisticContacts();
    await feed(model.projection(), world.events);

    const { rows } = await model.queries.history({ accountId: world.a.accountId });
    const [march, missed, reached, cooledDown, sms, promise, lateBlocked] = world.a.contacts;
    expect(rows.map((row) => [row.contactId, row.decision, row.outcome, row.localIntendedAt])).toEqual([
      [lateBlocked, 'blocked', null, '2026-04-14T21:30:00'],
      [promise, 'allowed', 'promise-offered', '2026-04-14T15:15:00'],
      [sms, 'allowed', null, '2026-04-07T10:12:00'],
      [cooledDown, 'blocked', null, '2026-04-07T10:10:00'],
      [reached, 'allowed', 'right-party-contact', '2026-04-06T14:05:00'],
      [missed, 'allowed', 'no-answer', '2026-04-06T09:30:00'],
      // Central daylight time began on 8 March.
      [march, 'allowed', 'right-party-contact', '2026-03-20T14:20:00'],
    ]);
    expect(rows[4]).toEqual({
      contactId: reached,
      accountId: world.a.accountId,
      debtorId: world.a.debtorId,
      operatorId: 'collector-7',
      channel: 'call',
      targetKind: 'phone',
      targetKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      purpose: 'collection',
      decision: 'allowed',
      rulePack: 'reg-f',
      jurisdiction: 'US-IL',
      timeZones: ['America/Chicago'],
      unrecognisedTimeZones: [],
      reasons: [],
      nextAllowedAt: null,
      intendedAt: '2026-04-06T19:05:00.000Z',
      localTimeZone: 'America/Chicago',
      localIntendedAt: '2026-04-06T14:05:00',
      decidedAt: '2026-04-06T19:05:00.000Z',
      outcome: 'right-party-contact',
      conversation: true,
      connected: true,
      rightParty: true,
      durationSeconds: 312,
      recordingReference: 'rec/2026/04/06/a1-1905',
      endedAt: '2026-04-06T19:10:12.000Z',
    });
    expect(rows[0]).toMatchObject({
      operatorId: 'collector-9',
      nextAllowedAt: '2026-04-21T20:15:00.000Z',
      reasons: [
        { ruleId: 'reg-f.quiet-hours', message: '21:30 in America/Chicago is outside 08:00–21:00', nextAllowedAt: '2026-04-15T13:00:00.000Z' },
        { ruleId: 'reg-f.post-conversation', message: expect.any(String), nextAllowedAt: '2026-04-21T20:15:00.000Z' },
      ],
      conversation: null,
      connected: null,
      rightParty: null,
    });
    expect(rows[2]).toMatchObject({ channel: 'sms', reasons: [{ ruleId: 'reg-f.opt-out-notice', message: 'Opt-out instructions present' }] });
    // B's time zone is not known: judged in both candidates, shown in the first.
    const b = await model.queries.history({ accountId: world.b.accountId });
    expect(b.rows.map((row) => [row.timeZones, row.localIntendedAt, row.outcome, row.connected, row.conversation])).toEqual([
      [['America/New_York', 'America/Los_Angeles'], '2026-04-10T12:30:00', 'right-party-contact', true, true],
      [['America/New_York', 'America/Los_Angeles'], '2026-04-09T12:00:00', 'third-party', true, false],
      [['America/New_York', 'America/Los_Angeles'], '2026-04-08T13:00:00', 'voicemail', false, false],
    ]);

    const days = await model.queries.collectorDays({ from: '2026-03-01', to: '2026-04-30' });
    const tally = (operatorId: string, day: string, attempts: number, blocked: number, rightPartyContacts: number, conversations: number, promisesOffered: number) => ({
      operatorId,
      day,
      attempts,
      blocked,
      rightPartyContacts,
      conversations,
      promisesOffered,
    });
    expect(days).toEqual([
      tally('collector-9', '2026-03-20', 1, 0, 1, 1, 0),
      tally('collector-7', '2026-04-06', 2, 0, 1, 1, 0),
      tally('collector-9', '2026-04-07', 1, 1, 0, 0, 0),
      tally('collector-9', '2026-04-08', 1, 0, 0, 0, 0),
      tally('collector-cn-1', '2026-04-08', 3, 1, 2, 2, 0),
      tally('collector-9', '2026-04-09', 1, 0, 0, 0, 0),
      tally('collector-cn-1', '2026-04-09', 0, 1, 0, 0, 0),
      tally('collector-7', '2026-04-10', 1, 0, 1, 1, 0),
      tally('collector-7', '2026-04-14', 1, 0, 1, 1, 1),
      tally('collector-9', '2026-04-15', 0, 1, 0, 0, 0),
    ]);
    // The tallies agree with a recount from the history.
    expect(await model.queries.collectorDays({ from: '2026-03-01', to: '2026-04-30', timeZone: 'UTC' })).toEqual(days);

    const snapshot = await model.snapshot();
    expect(snapshot.complaints).toHaveLength(3);
    expect(snapshot.language_hits).toEqual(
      expect.arrayContaining(
        [
          { rule_id: 'lang.threat-arrest', category: 'threat-arrest', term: 'arrest', source: 'notes', contact_id: promise, operator_id: 'collector-7' },
          { rule_id: 'lang.cn.false-lawsuit', category: 'threat-lawsuit-without-basis', term: '明天起诉你', source: 'script', contact_id: null, operator_id: 'collector-cn-1' },
          { rule_id: 'lang.cn.abuse', category: 'abuse', term: '骗子', source: 'script', contact_id: null, operator_id: 'collector-cn-1' },
        ].map((hit) => expect.objectContaining(hit)),
      ),
    );
    expect(snapshot.language_hits).toHaveLength(3);
    expect(snapshot.contact_streams).toEqual(world.streams.map((stream) => ({ stream_id: `contact-${stream.debtorId}`, last_applied_position: stream.events.length - 1 })).sort((x, y) => x.stream_id.localeCompare(y.stream_id)));

    // Nothing encrypted is kept (targets, notes, complaint descriptions), nor the resolutions' free text.
    expect(await model.columnsContaining('pii:v1:')).toEqual([]);
    expect(await model.columnsContaining('coached')).toEqual([]);
    expect(await model.columnsContaining('0147')).toEqual([]);
  });

  it("keeps each case's creditor, product and debtor's jurisdiction from its AccountPlaced, before or after its contacts, once however often delivered", async () => {
    const world = realisticContacts();
    const [a, c] = world.placements as [EventEnvelope, EventEnvelope];
    const others = world.events.filter((event) => !world.placements.includes(event));
    const without = await readModel();
    await feed(without.projection(), others);
    const model = await readModel();
    // One placement before its case's contacts, one after; each delivered twice.
    await feed(model.projection(), [a, ...others, c, a, c]);
    const rows = await model.snapshot();
    expect(rows.case_placements).toEqual(
      [
        { account_id: world.a.accountId, creditor_id: 'acme', product: 'credit-card', jurisdiction: 'US-IL' },
        { account_id: world.c.accountId, creditor_id: 'globex', product: 'telecom', jurisdiction: 'CN' },
      ].sort((x, y) => x.account_id.localeCompare(y.account_id)),
    );
    // Nothing else moves.
    expect({ ...rows, case_placements: [] }).toEqual({ ...(await without.snapshot()), case_placements: [] });
    // The metrics narrow by them: of April's calls, Acme's are A's (collector-7 and collector-9), Globex's C's.
    const april = { from: '2026-04-01', to: '2026-04-30' };
    const all = await model.queries.rightPartyRates(april);
    const acme = await model.queries.rightPartyRates({ ...april, creditorId: 'acme' });
    const globex = await model.queries.rightPartyRates({ ...april, product: 'telecom' });
    expect(acme.overall.allowedCalls + globex.overall.allowedCalls).toBeLessThan(all.overall.allowedCalls);
    expect(acme.overall.allowedCalls).toBe((await model.queries.rightPartyRates({ ...april, jurisdiction: 'US-IL' })).overall.allowedCalls);
    expect(globex.overall.allowedCalls).toBe((await model.queries.rightPartyRates({ ...april, jurisdiction: 'CN' })).overall.allowedCalls);
    expect(await model.queries.rightPartyRates({ ...april, creditorId: 'acme', product: 'telecom' })).toEqual({ overall: { allowedCalls: 0, rightPartyContacts: 0, rate: null }, byCollector: [] });
    // Replayed under another consumer name, the placements change nothing.
    await feed(model.projection('contact-attempts__rebuild'), [a, c]);
    expect(await model.snapshot()).toEqual(rows);
  }, 30_000);

  it('refuses an event whose predecessor is not applied yet, keeps no record of it, and applies it after', async () => {
    const world = realisticContacts();
    const [stream] = world.streams as [ContactStream];
    const model = await readModel();
    const projection = model.projection();
    await feed(projection, stream.events.slice(0, 3));

    const early = stream.events[4]!;
    const error = await rejection(projection.handle(early));
    expect(error).toBeInstanceOf(ArrearsError);
    expect(error).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, field: 'streamPosition', details: { expected: 3, actual: 4 } });
    expect(await model.processed()).not.toContain(early.eventId);

    await projection.handle(stream.events[3]!);
    await projection.handle(early);
    expect((await model.queries.history({ accountId: world.a.accountId })).rows.map((row) => row.outcome)).toEqual([null, 'no-answer', 'right-party-contact']);

    // The first event seen of a stream must be its first.
    const unseen = new ContactStream();
    unseen.allow({ accountId: randomUUID(), intendedAt: '2026-04-20T15:00:00.000Z' });
    unseen.allow({ accountId: randomUUID(), intendedAt: '2026-04-21T15:00:00.000Z' });
    expect(await rejection(projection.handle(unseen.events[1]!))).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { expected: 0, actual: 1 } });
  });

  it('refuses an event on the wrong stream, and an outcome or resolution of something never decided, changing nothing', async () => {
    const world = realisticContacts();
    const [stream] = world.streams as [ContactStream];
    const model = await readModel();
    const projection = model.projection();
    await feed(projection, stream.events);
    const before = await model.snapshot();

    const misplaced = { ...stream.events[1]!, eventId: randomUUID(), streamId: `contact-${randomUUID()}` };
    expect(await rejection(projection.handle(misplaced))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'streamId' });

    const stray = stream.outcome(randomUUID(), world.a.accountId, 'no-answer');
    expect(await rejection(projection.handle(stray))).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'data.contactId' });
    stream.events.pop();
    const resolution = stream.append(
      'ComplaintResolved',
      { complaintId: randomUUID(), accountId: world.a.accountId, upheld: false, resolution: 'n/a', resolvedAt: '2026-04-30T09:00:00.000Z' },
      '2026-04-30T09:00:00.000Z',
    );
    expect(await rejection(projection.handle(resolution))).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'data.complaintId' });

    const malformed = { ...stream.events[0]!, eventId: randomUUID(), data: { ...stream.events[0]!.data, timeZones: 'America/Chicago' } };
    expect(await rejection(projection.handle(malformed))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'data.timeZones' });
    expect(await model.snapshot()).toEqual(before);
  });

  it('a contact decided again replaces its decision and moves its tally; its outcome stays', async () => {
    const model = await readModel();
    const stream = new ContactStream();
    const accountId = randomUUID();
    const contactId = stream.block({
      accountId,
      intendedAt: '2026-04-20T12:00:00.000Z',
      operatorId: 'collector-7',
      reasons: [{ ruleId: 'reg-f.call-frequency', message: 'Seven calls in seven days', counted: 7, limit: 7 }],
    });
    stream.allow({ accountId, contactId, intendedAt: '2026-04-21T15:00:00.000Z', operatorId: 'collector-9' });
    stream.outcome(contactId, accountId, 'promise-offered');
    await feed(model.projection(), stream.events);

    expect((await model.queries.history({ accountId })).rows).toEqual([expect.objectContaining({ contactId, decision: 'allowed', reasons: [], operatorId: 'collector-9', outcome: 'promise-offered' })]);
    expect(await model.queries.collectorDays({ from: '2026-04-20', to: '2026-04-21' })).toEqual([
      { operatorId: 'collector-7', day: '2026-04-20', attempts: 0, blocked: 0, rightPartyContacts: 0, conversations: 0, promisesOffered: 0 },
      { operatorId: 'collector-9', day: '2026-04-21', attempts: 1, blocked: 0, rightPartyContacts: 1, conversations: 1, promisesOffered: 1 },
    ]);
  });

  it('keeps a time zone PostgreSQL does not know apart: no local time from it, and the queries still run', async () => {
    const model = await readModel();
    const stream = new ContactStream();
    const accountId = randomUUID();
    stream.call({ accountId, intendedAt: '2026-04-20T15:00:00.000Z', timeZones: ['Mars/Olympus_Mons', 'america/chicago'] }, 'right-party-contact');
    await feed(model.projection(), stream.events);

    expect((await model.queries.history({ accountId })).rows).toEqual([
      expect.objectContaining({ timeZones: ['america/chicago'], unrecognisedTimeZones: ['Mars/Olympus_Mons'], localTimeZone: null, localIntendedAt: null }),
    ]);
    expect((await model.queries.contactRateByHour({ from: '2026-04-20', to: '2026-04-20' })).withoutLocalTime).toBe(1);
    expect((await model.queries.complianceReport({ from: '2026-04-20', to: '2026-04-20' })).quietHours).toMatchObject({ checked: 1, unverifiable: 1, violations: 0 });
  });
});

// Fed again, replayed, rebuilt or duplicated, the projection writes the rows it wrote once.
describeProjectionReplays({
  name: 'ContactProjection',
  consumer: CONSUMER,
  history: realisticContacts,
  readModel: () => createTestReadModel(),
  later: (world) => {
    const [stream] = world.streams as [ContactStream];
    stream.allow({ accountId: world.a.accountId, intendedAt: '2026-04-22T15:00:00.000Z' });
    return stream.events.slice(-1);
  },
});
