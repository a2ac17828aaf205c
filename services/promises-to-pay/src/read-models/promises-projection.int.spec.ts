import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import { AccountStream, PromiseStream, realisticPromises } from './testing/promise-history';
import { createTestReadModel, feed, type TestReadModel } from './testing/read-model';

describe('PromisesProjection', () => {
  const models: TestReadModel[] = [];
  const readModel = async () => {
    const model = await createTestReadModel();
    models.push(model);
    return model;
  };

  afterEach(async () => {
    await Promise.all(models.splice(0).map((model) => model.drop()));
  });

  it('projects a realistic history into one row per promise and the cases’ current segments', async () => {
    const model = await readModel();
    const world = realisticPromises();
    await feed(model.projection(), world.events);
    const { p } = world;

    const snapshot = await model.snapshot();
    const byId = new Map((snapshot.promises as { promise_id: string }[]).map((row) => [row.promise_id, row]));
    expect(byId.size).toBe(9);
    expect(byId.get(p.p1)).toEqual({
      promise_id: p.p1,
      account_id: world.a.accountId,
      amount_minor: 15_000,
      currency: 'USD',
      paid_minor: 15_000,
      made_on: '2026-04-02',
      due_date: '2026-04-10',
      grace_days: 3,
      breaks_at: '2026-04-14T00:00:00+00:00',
      recorded_at: '2026-04-02T14:30:00+00:00',
      channel: 'call',
      operator_id: 'collector-7',
      status: 'kept',
      // A was 1-30 days and medium risk on 2 April; it is 31-90 and high now.
      aging_bucket: '1-30',
      risk_tier: 'medium',
      kept_at: '2026-04-10T12:00:00+00:00',
      broken_at: null,
      cancelled_at: null,
    });
    const summary = (id: string) => {
      const row = byId.get(id) as Record<string, unknown>;
      return [row['status'], row['paid_minor'], row['aging_bucket'], row['risk_tier'], row['kept_at'] ?? row['broken_at'] ?? row['cancelled_at']];
    };
    expect([p.p0, p.p1, p.p2, p.p3, p.p4, p.p5, p.p6, p.p7, p.p8].map(summary)).toEqual([
      ['broken', 0, '90+', 'low', '2026-04-04T00:00:00+00:00'],
      ['kept', 15_000, '1-30', 'medium', '2026-04-10T12:00:00+00:00'],
      // Made after A turned high risk, before it turned 31-90.
      ['open', 10_000, '1-30', 'high', null],
      ['broken', 10_000, '31-90', 'high', '2026-04-13T00:00:00+00:00'],
      ['cancelled', 0, '31-90', 'high', '2026-04-16T10:00:00+00:00'],
      // B turned medium risk the day after.
      ['open', 0, '31-90', 'high', null],
      // Nothing known of C's segments.
      ['kept', 8_000, null, null, '2026-04-12T09:00:00+00:00'],
      ['open', 0, null, null, null],
      ['open', 0, '90+', 'low', null],
    ]);

    const segments = snapshot.case_segments as { account_id: string }[];
    const caseRow = (accountId: string) => segments.find((row) => row.account_id === accountId);
    expect(caseRow(world.a.accountId)).toEqual({
      account_id: world.a.accountId,
      aging_bucket: '31-90',
      days_past_due: 31,
      bucket_as_of: '2026-04-20',
      risk_tier: 'high',
      risk_score: 78,
      tier_as_of: '2026-04-15',
      // The flag at 8 moved nothing; positions 0–3 and 6 were never given.
      account_position: 9,
      promise_position: 4,
    });
    expect(caseRow(world.b.accountId)).toMatchObject({ aging_bucket: '31-90', risk_tier: 'medium', account_position: 7, promise_position: 5 });
    expect(caseRow(world.c.accountId)).toEqual({
      account_id: world.c.accountId,
      aging_bucket: null,
      days_past_due: null,
      bucket_as_of: null,
      risk_tier: null,
      risk_score: null,
      tier_as_of: null,
      account_position: -1,
      promise_position: 2,
    });
    expect(caseRow(world.d.accountId)).toMatchObject({ aging_bucket: '90+', risk_tier: 'low', account_position: 2, promise_position: 2 });
    // Every segment change is kept; the flag is not one.
    expect(snapshot.case_segment_changes).toHaveLength(9);
  });

  it('takes the bucket and tier in effect when the promise was made, whichever stream is delivered first', async () => {
    const world = realisticPromises();
    const inOrder = await readModel();
    await feed(inOrder.projection(), world.events);
    const expected = await inOrder.snapshot();

    // Every account event after every promise: the segment changes arrive late and correct the snapshots.
    const accountsLate = await readModel();
    await feed(accountsLate.projection(), [...world.promiseStreams.flatMap((s) => s.events), ...world.accountStreams.flatMap((s) => s.events)]);
    expect(await accountsLate.snapshot()).toEqual(expected);

    // Every account event first: the tier that changed after a promise must not reach back to it.
    const accountsEarly = await readModel();
    await feed(accountsEarly.projection(), [...world.accountStreams.flatMap((s) => s.events), ...world.promiseStreams.flatMap((s) => s.events)]);
    expect(await accountsEarly.snapshot()).toEqual(expected);
  });

  it('keeps a promise’s snapshot when the case’s tier changes later, and moves it for a change that happened before it but arrived after', async () => {
    const model = await readModel();
    const projection = model.projection();
    const promises = new PromiseStream();
    const account = new AccountStream(promises.accountId);
    account.riskTier('low', 25, '2026-04-01T05:00:00.000Z');
    await feed(projection, account.events);
    const promiseId = promises.record({ amount: 9_900, madeOn: '2026-04-06', dueDate: '2026-04-13', at: '2026-04-06T10:00:00.000Z' });
    await feed(projection, promises.events);
    const snapshotOf = async () => (await model.queries.dueToday('2026-04-13')).rows.map((row) => [row.promiseId, row.agingBucket, row.riskTier]);
    expect(await snapshotOf()).toEqual([[promiseId, null, 'low']]);

    // Later in the day the tier rises: the promise was made at low risk and stays so.
    await projection.handle(account.riskTier('high', 81, '2026-04-06T18:00:00.000Z'));
    expect(await snapshotOf()).toEqual([[promiseId, null, 'low']]);

    // A bucket set at 09:00 whose event is delivered only now: it was in effect at 10:00.
    await projection.handle(account.agingBucket('1-30', 5, '2026-04-06T09:00:00.000Z'));
    expect(await snapshotOf()).toEqual([[promiseId, '1-30', 'low']]);
    // The case itself is at its latest of each.
    const [segments] = (await model.snapshot()).case_segments as Record<string, unknown>[];
    expect(segments).toMatchObject({ aging_bucket: '1-30', risk_tier: 'high', risk_score: 81 });
  });

  it('the same events fed twice yield the same rows: each redelivered at once, then the whole history again, then backwards', async () => {
    const world = realisticPromises();
    const once = await readModel();
    await feed(once.projection(), world.events);
    const expected = await once.snapshot();

    const twice = await readModel();
    const projection = twice.projection();
    for (const event of world.events) {
      await projection.handle(event);
      await projection.handle(event);
    }
    expect(await twice.snapshot()).toEqual(expected);

    await feed(projection, world.events);
    expect(await twice.snapshot()).toEqual(expected);
    // Stale redeliveries after later events: a partial payment must not come back over the kept promise.
    await feed(projection, [...world.events].reverse());
    expect(await twice.snapshot()).toEqual(expected);
    // Each event recorded once, by the transaction that applied it; the account events ignored are not recorded.
    const applied = world.events.filter((event) => event.type !== 'AccountFlagged').map((event) => event.eventId);
    expect(await twice.processed()).toEqual([...applied].sort());

    // Concurrent duplicates of a new event: one applies, the rest find it done.
    const late = world.d.promises.pay(world.p.p8, 20_000, '2026-04-27T10:00:00.000Z');
    await Promise.all(Array.from({ length: 4 }, () => projection.handle(late)));
    expect((await twice.queries.dueToday('2026-04-28', { operatorId: 'collector-9' })).rows.map((row) => row.paid)).toEqual([{ minor: 20_000, currency: 'USD' }]);
    const lateTier = world.a.account.riskTier('medium', 50, '2026-04-27T05:00:00.000Z');
    await Promise.all(Array.from({ length: 4 }, () => projection.handle(lateTier)));
    const snapshot = await twice.snapshot();
    expect(snapshot.case_segment_changes).toHaveLength(10);
  });

  it('a replay under another consumer name, which processOnce does not recognise, is stopped by the position guards alone', async () => {
    const world = realisticPromises();
    const model = await readModel();
    await feed(model.projection(), world.events);
    const expected = await model.snapshot();

    await feed(model.projection('promises-to-pay__read-models-v2'), world.events);
    expect(await model.snapshot()).toEqual(expected);
    // Backwards, each event stale: a partial payment must not undo a kept promise, an old tier not return.
    await feed(model.projection('promises-to-pay__read-models-v3'), [...world.events].reverse());
    expect(await model.snapshot()).toEqual(expected);
  });

  it('a replay into a fresh schema gives identical rows', async () => {
    const world = realisticPromises();
    const original = await readModel();
    await feed(original.projection(), world.events);

    const rebuilt = await readModel();
    // Streams interleaved differently: only each stream's own order matters.
    const interleaved = [...world.events].sort((x, y) => x.streamPosition - y.streamPosition || x.streamId.localeCompare(y.streamId));
    await feed(rebuilt.projection('promises-to-pay__rebuild'), interleaved);
    expect(await rebuilt.snapshot()).toEqual(await original.snapshot());
  });

  it('refuses a promise event whose predecessor is not applied yet, keeps no record of it, and applies it after; an account stream may have gaps', async () => {
    const world = realisticPromises();
    const model = await readModel();
    const projection = model.projection();
    const { promises } = world.a;
    await feed(projection, promises.events.slice(0, 1));

    const early = promises.events[2]!;
    const error = await rejection(projection.handle(early));
    expect(error).toBeInstanceOf(ArrearsError);
    expect(error).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, field: 'streamPosition', details: { expected: 1, actual: 2 } });
    expect(await model.processed()).toEqual([promises.events[0]!.eventId]);

    await projection.handle(promises.events[1]!);
    await projection.handle(early);
    expect((await model.snapshot()).promises).toEqual([expect.objectContaining({ promise_id: world.p.p1, status: 'kept', paid_minor: 15_000 })]);

    // The first event seen of a promise stream must be its first.
    expect(await rejection(projection.handle(world.b.promises.events[1]!))).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, details: { expected: 0, actual: 1 } });

    // An account stream's first change given is at position 4; then 9 after 5: the positions between are not needed.
    const [bucket, tier, , , later] = world.a.account.events;
    await feed(projection, [bucket!, tier!, later!]);
    expect((await model.snapshot()).case_segments).toEqual(expect.arrayContaining([expect.objectContaining({ account_id: world.a.accountId, aging_bucket: '31-90', account_position: 9 })]));
  });

  it('ignores the other account events without reading them', async () => {
    const model = await readModel();
    const account = new AccountStream();
    const flagged = account.append('AccountFlagged', { flag: 'dispute', reason: 'Disputes the interest' }, '2026-04-02T10:00:00.000Z');
    // Even one this contract version does not know, or with data it would refuse.
    await model.projection().handle({ ...flagged, eventId: randomUUID(), type: 'SomethingNewHappened', data: { whatever: true } });
    await model.projection().handle(flagged);
    expect(await model.snapshot()).toEqual({ case_segments: [], case_segment_changes: [], promises: [] });
    expect(await model.processed()).toEqual([]);
  });

  it('refuses an event on the wrong stream, a payment of a promise never recorded, money in another currency and malformed data, changing nothing', async () => {
    const world = realisticPromises();
    const model = await readModel();
    const projection = model.projection();
    await feed(projection, world.events);
    const before = await model.snapshot();

    const misplaced = { ...world.a.promises.events[0]!, eventId: randomUUID(), streamId: `promise-${randomUUID()}` };
    expect(await rejection(projection.handle(misplaced))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'streamId' });
    const misfiled = { ...world.a.account.events[0]!, eventId: randomUUID(), streamId: `contact-${world.a.accountId}` };
    expect(await rejection(projection.handle(misfiled))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'streamId' });
    const crossed = { ...world.a.account.events[0]!, eventId: randomUUID(), streamId: `account-${world.b.accountId}` };
    expect(await rejection(projection.handle(crossed))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'streamId' });

    // A payment of a promise that C's stream never recorded, at C's next position.
    const straySource = new PromiseStream(world.c.accountId);
    const strayId = straySource.record({ amount: 1_000, madeOn: '2026-04-28', dueDate: '2026-04-29' });
    const stray = { ...straySource.pay(strayId, 500, '2026-04-28T16:00:00.000Z'), streamPosition: world.c.promises.events.length };
    expect(await rejection(projection.handle(stray))).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'data.promiseId' });

    const inEuros = world.d.promises.pay(world.p.p8, 100, '2026-04-28T10:00:00.000Z');
    const wrongCurrency = { ...inEuros, data: { ...inEuros.data, applied: { minor: 100, currency: 'EUR' }, paidTotal: { minor: 100, currency: 'EUR' } } };
    expect(await rejection(projection.handle(wrongCurrency))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'data.applied.currency' });

    const recorded = world.b.promises.events[0]!;
    const malformed = { ...recorded, eventId: randomUUID(), streamPosition: world.b.promises.events.length, data: { ...recorded.data, amount: { minor: -5, currency: 'EUR' } } };
    expect(await rejection(projection.handle(malformed))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'data.amount.minor' });
    const badTier = { ...world.d.account.events[1]!, eventId: randomUUID(), streamPosition: 50, data: { ...world.d.account.events[1]!.data, to: 'extreme' } };
    expect(await rejection(projection.handle(badTier))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'data.to' });

    expect(await model.snapshot()).toEqual(before);
    // The refused payment in the right currency still applies afterwards.
    await projection.handle(inEuros);
    expect((await model.queries.dueToday('2026-04-28', { operatorId: 'collector-9' })).rows[0]?.paid).toEqual({ minor: 100, currency: 'USD' });
  });

  it('keeps the minor units of a currency without cents as given: amount, paid and outstanding in yen', async () => {
    const model = await readModel();
    const stream = new PromiseStream();
    const promiseId = stream.record({ amount: 120_000, currency: 'JPY', madeOn: '2026-04-01', dueDate: '2026-04-30', graceDays: 5 });
    stream.pay(promiseId, 40_000, '2026-04-10T03:00:00.000Z');
    stream.pay(promiseId, 30_000, '2026-04-20T03:00:00.000Z');
    await feed(model.projection(), stream.events);
    expect((await model.queries.dueToday('2026-04-30')).rows).toEqual([
      expect.objectContaining({ promiseId, amount: { minor: 120_000, currency: 'JPY' }, paid: { minor: 70_000, currency: 'JPY' }, outstanding: { minor: 50_000, currency: 'JPY' }, status: 'open' }),
    ]);
  });
});
