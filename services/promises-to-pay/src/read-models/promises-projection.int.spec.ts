import { randomUUID } from 'node:crypto';
import { ErrorCode, type EventEnvelope } from '@arrears/contracts';
import { describeCaseSegments } from '@arrears/read-models/src/testing/case-segments-suite';
import { describeProjectionReplays } from '@arrears/read-models/src/testing/replay-suite';
import { freshReadModels } from '@arrears/read-models/src/testing/test-read-model';
import { rejection } from '@arrears/testing';
import { addDays, PromiseStream, realisticPromises } from './testing/promise-history';
import { CONSUMER, createTestReadModel, feed } from './testing/read-model';

describe('PromisesProjection', () => {
  const readModel = freshReadModels(createTestReadModel);

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
      broken_on: null,
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
    // The day each broke on, as its PromiseBroken said: the "broken on a day" list reads it.
    expect([p.p0, p.p1, p.p3].map((id) => (byId.get(id) as Record<string, unknown>)['broken_on'])).toEqual(['2026-04-04', null, '2026-04-13']);

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

  it('refuses a payment of a promise never recorded, money in another currency and malformed data, changing nothing', async () => {
    const world = realisticPromises();
    const model = await readModel();
    const projection = model.projection();
    await feed(projection, world.events);
    const before = await model.snapshot();

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

    expect(await model.snapshot()).toEqual(before);
    // The refused payment in the right currency still applies afterwards.
    await projection.handle(inEuros);
    expect((await model.queries.dueToday('2026-04-28', { operatorId: 'collector-9' })).rows[0]?.paid).toEqual({ minor: 100, currency: 'USD' });
  });

  it("keeps each case's creditor, product and debtor's jurisdiction from its AccountPlaced, before or after its promises, once however often delivered", async () => {
    const world = realisticPromises();
    const [a, c] = world.placements as [EventEnvelope, EventEnvelope];
    const others = world.events.filter((event) => event.type !== 'AccountPlaced');
    const without = await readModel();
    await feed(without.projection(), others);
    const model = await readModel();
    // One placement before its case's promises, one after; each delivered twice.
    await feed(model.projection(), [a, ...others, c, a, c]);
    const rows = await model.snapshot();
    expect(rows.case_placements).toEqual(
      [
        { account_id: world.a.accountId, creditor_id: 'acme', product: 'credit-card', jurisdiction: 'US-IL' },
        { account_id: world.c.accountId, creditor_id: 'globex', product: 'telecom', jurisdiction: 'US-CA' },
      ].sort((x, y) => x.account_id.localeCompare(y.account_id)),
    );
    // Nothing else moves.
    expect({ ...rows, case_placements: [] }).toEqual(await without.snapshot());
    // The worklists narrow by them: A's open promise (p2) is in Illinois, C's (p7) in California, B's and D's nowhere known.
    expect(new Set((await model.queries.overdue('2026-05-31', { jurisdiction: 'US' })).rows.map((row) => row.promiseId))).toEqual(new Set([world.p.p2, world.p.p7]));
    expect((await model.queries.overdue('2026-05-31', { jurisdiction: 'US-CA' })).rows.map((row) => row.promiseId)).toEqual([world.p.p7]);
    expect((await model.queries.overdue('2026-05-31', { creditorId: 'acme' })).rows.map((row) => row.promiseId)).toEqual([world.p.p2]);
    // Replayed under another consumer name, the placements change nothing.
    await feed(model.projection('promises-to-pay__rebuild'), [a, c]);
    expect(await model.snapshot()).toEqual(rows);
  }, 30_000);

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

// The promise streams and the account streams of each case, whichever arrives first; a promise snapshots the segments.
describeCaseSegments({
  name: 'PromisesProjection',
  history: () => {
    const world = realisticPromises();
    // The placements are neither stream the suite shuffles: they are left out of it.
    return { events: world.events.filter((event) => !world.placements.includes(event)), ownStreams: world.promiseStreams, accountStreams: world.accountStreams };
  },
  readModel: () => createTestReadModel(),
  snapshots: 'promises',
  snapshotAt: (accountId, at) => {
    const promises = new PromiseStream(accountId);
    promises.record({ amount: 9_900, madeOn: at.slice(0, 10), dueDate: addDays(at.slice(0, 10), 7), at });
    return promises.events;
  },
});

// Fed again, replayed, rebuilt or duplicated, the projection writes the rows it wrote once.
describeProjectionReplays({
  name: 'PromisesProjection',
  consumer: CONSUMER,
  history: realisticPromises,
  readModel: () => createTestReadModel(),
  later: (world) => [world.d.promises.pay(world.p.p8, 20_000, '2026-04-27T10:00:00.000Z'), world.a.account.riskTier('medium', 50, '2026-04-27T05:00:00.000Z')],
  recorded: (event) => event.type !== 'AccountFlagged',
});
