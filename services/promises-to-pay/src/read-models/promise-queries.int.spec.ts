import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import type { PromiseRateGroup } from './promise-queries';
import { PromiseStream, realisticPromises, type RealisticPromises } from './testing/promise-history';
import { createTestReadModel, feed, type TestReadModel } from './testing/read-model';

describe('PromiseQueries', () => {
  let model: TestReadModel;
  let world: RealisticPromises;
  /** Five promises of five cases due on one day, for paging. */
  const sameDay: string[] = [];

  beforeAll(async () => {
    model = await createTestReadModel('promises_queries');
    world = realisticPromises();
    const extra: PromiseStream[] = [];
    for (let i = 0; i < 5; i += 1) {
      const stream = new PromiseStream();
      sameDay.push(stream.record({ operatorId: i % 2 === 0 ? 'collector-paging' : 'collector-other', amount: 1_000 * (i + 1), madeOn: '2026-05-01', dueDate: '2026-05-15' }));
      extra.push(stream);
    }
    sameDay.sort();
    await feed(model.projection(), [...world.events, ...extra.flatMap((stream) => stream.events)]);
  });

  afterAll(async () => {
    await model.drop();
  });

  it('lists the open promises due on a day, for everyone or one collector', async () => {
    const { p } = world;
    const due = await model.queries.dueToday('2026-04-28');
    expect(due.rows.map((row) => row.promiseId)).toEqual([p.p5, p.p8].sort());
    expect(due.nextAfter).toBeNull();
    expect(due.rows.find((row) => row.promiseId === p.p8)).toEqual({
      promiseId: p.p8,
      accountId: world.d.accountId,
      amount: { minor: 50_000, currency: 'USD' },
      paid: { minor: 0, currency: 'USD' },
      outstanding: { minor: 50_000, currency: 'USD' },
      madeOn: '2026-04-22',
      dueDate: '2026-04-28',
      graceDays: 3,
      breaksAt: '2026-05-02T00:00:00.000Z',
      recordedAt: '2026-04-22T15:00:00.000Z',
      channel: 'visit',
      operatorId: 'collector-9',
      status: 'open',
      agingBucket: '90+',
      riskTier: 'low',
      keptAt: null,
      brokenAt: null,
      brokenOn: null,
      cancelledAt: null,
    });
    expect((await model.queries.dueToday('2026-04-28', { operatorId: 'collector-7' })).rows.map((row) => row.promiseId)).toEqual([p.p5]);
    // A partly paid promise shows what is still to pay.
    expect((await model.queries.dueToday('2026-04-30')).rows.map((row) => [row.promiseId, row.paid.minor, row.outstanding.minor])).toEqual([[p.p2, 10_000, 10_000]]);
    // Kept, broken and cancelled promises are nobody's work: p1 was due on the 10th, p3 on the 9th, p4 on the 21st.
    for (const day of ['2026-04-10', '2026-04-09', '2026-04-21']) expect((await model.queries.dueToday(day)).rows).toEqual([]);
    expect((await model.queries.dueToday('2026-04-28', { operatorId: 'nobody' })).rows).toEqual([]);
  });

  it('lists the open promises past their due date, the longest overdue first, saying which are still in grace', async () => {
    const { p } = world;
    const overdue = await model.queries.overdue('2026-04-29');
    expect(overdue.rows.map((row) => [row.promiseId, row.dueDate, row.daysOverdue, row.inGrace])).toEqual([
      // No grace: past its due date, and the break timer has not broken it yet.
      [p.p7, '2026-04-27', 2, false],
      ...[p.p5, p.p8].sort().map((id) => [id, '2026-04-28', 1, true]),
    ]);
    // The last day of grace is still grace.
    expect((await model.queries.overdue('2026-05-01', { operatorId: 'collector-9' })).rows.map((row) => [row.promiseId, row.daysOverdue, row.inGrace])).toEqual([
      [p.p7, 4, false],
      [p.p8, 3, true],
      [p.p2, 1, true],
    ]);
    expect((await model.queries.overdue('2026-05-02', { operatorId: 'collector-9' })).rows.find((row) => row.promiseId === p.p8)).toMatchObject({ daysOverdue: 4, inGrace: false });
    // Due that very day is not overdue.
    expect((await model.queries.overdue('2026-04-27')).rows).toEqual([]);
  });

  it('pages by keyset: due date, then promise id', async () => {
    const first = await model.queries.dueToday('2026-05-15', { limit: 2 });
    const second = await model.queries.dueToday('2026-05-15', { limit: 2, after: first.nextAfter! });
    const third = await model.queries.dueToday('2026-05-15', { limit: 2, after: second.nextAfter! });
    expect([first, second, third].map((page) => page.rows.length)).toEqual([2, 2, 1]);
    expect(third.nextAfter).toBeNull();
    expect([...first.rows, ...second.rows, ...third.rows].map((row) => row.promiseId)).toEqual(sameDay);

    const mine = await model.queries.dueToday('2026-05-15', { operatorId: 'collector-paging', limit: 2 });
    const rest = await model.queries.dueToday('2026-05-15', { operatorId: 'collector-paging', limit: 2, after: mine.nextAfter! });
    expect([...mine.rows, ...rest.rows].map((row) => row.operatorId)).toEqual(['collector-paging', 'collector-paging', 'collector-paging']);
    expect(rest.nextAfter).toBeNull();

    // Overdue pages across due dates: every open promise due before 16 May, once each, in order.
    const all: string[] = [];
    let after: string | undefined;
    do {
      const page = await model.queries.overdue('2026-05-16', { limit: 3, ...(after === undefined ? {} : { after }) });
      all.push(...page.rows.map((row) => `${row.dueDate} ${row.promiseId}`));
      after = page.nextAfter ?? undefined;
    } while (after !== undefined);
    expect(all).toHaveLength(9);
    expect(all).toEqual([...all].sort());
    expect((await model.queries.dueToday('2026-05-15', { after: randomUUID() })).rows).toEqual([]);
  });

  const group = (key: string | null, counts: Partial<PromiseRateGroup> & Pick<PromiseRateGroup, 'made' | 'collectors' | 'amounts'>, days = 30): PromiseRateGroup => {
    const kept = counts.kept ?? 0;
    const broken = counts.broken ?? 0;
    return {
      key,
      made: counts.made,
      kept,
      broken,
      cancelled: counts.cancelled ?? 0,
      open: counts.open ?? 0,
      partiallyPaid: counts.partiallyPaid ?? 0,
      keptRate: kept + broken === 0 ? null : kept / (kept + broken),
      collectors: counts.collectors,
      promisesPerCollectorPerDay: counts.made / (counts.collectors * days),
      amounts: counts.amounts,
    };
  };
  const april = { from: '2026-04-01', to: '2026-04-30' };

  it('gives the promise rates per collector for the promises made in the range, money per currency', async () => {
    expect(await model.queries.promiseRates({ ...april, groupBy: 'operator' })).toEqual({
      ...april,
      days: 30,
      groupBy: 'operator',
      groups: [
        group('collector-7', {
          made: 4,
          kept: 1,
          broken: 1,
          cancelled: 1,
          open: 1,
          partiallyPaid: 1,
          collectors: 1,
          amounts: [
            { currency: 'EUR', promised: 80_000, collected: 10_000 },
            { currency: 'USD', promised: 15_000, collected: 15_000 },
          ],
        }),
        group('collector-9', { made: 4, kept: 1, open: 3, partiallyPaid: 1, collectors: 1, amounts: [{ currency: 'USD', promised: 90_000, collected: 18_000 }] }),
      ],
    });
    // p0 was made in March: broken in April, it counts in March.
    expect(await model.queries.promiseRates({ from: '2026-03-01', to: '2026-03-31', groupBy: 'operator' })).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      days: 31,
      groupBy: 'operator',
      groups: [group('collector-7', { made: 1, broken: 1, collectors: 1, amounts: [{ currency: 'USD', promised: 10_000, collected: 0 }] }, 31)],
    });
    // One day: 16 April, when collector-9 took p2.
    expect((await model.queries.promiseRates({ from: '2026-04-16', to: '2026-04-16', groupBy: 'operator' })).groups).toEqual([
      group('collector-9', { made: 1, open: 1, partiallyPaid: 1, collectors: 1, amounts: [{ currency: 'USD', promised: 20_000, collected: 10_000 }] }, 1),
    ]);
    expect(await model.queries.promiseRates({ from: '2027-01-01', to: '2027-01-31', groupBy: 'tier' })).toEqual({ from: '2027-01-01', to: '2027-01-31', days: 31, groupBy: 'tier', groups: [] });
  });

  it('gives the promise rates per aging bucket and risk tier the case was in when the promise was made', async () => {
    expect((await model.queries.promiseRates({ ...april, groupBy: 'bucket' })).groups).toEqual([
      group('1-30', { made: 2, kept: 1, open: 1, partiallyPaid: 1, collectors: 2, amounts: [{ currency: 'USD', promised: 35_000, collected: 25_000 }] }),
      group('31-90', { made: 3, broken: 1, cancelled: 1, open: 1, partiallyPaid: 1, collectors: 1, amounts: [{ currency: 'EUR', promised: 80_000, collected: 10_000 }] }),
      group('90+', { made: 1, open: 1, collectors: 1, amounts: [{ currency: 'USD', promised: 50_000, collected: 0 }] }),
      // C: no bucket known.
      group(null, { made: 2, kept: 1, open: 1, collectors: 1, amounts: [{ currency: 'USD', promised: 20_000, collected: 8_000 }] }),
    ]);
    expect((await model.queries.promiseRates({ ...april, groupBy: 'tier' })).groups).toEqual([
      group('low', { made: 1, open: 1, collectors: 1, amounts: [{ currency: 'USD', promised: 50_000, collected: 0 }] }),
      // p1 only: A was medium on 2 April, high by the time p2 was made.
      group('medium', { made: 1, kept: 1, collectors: 1, amounts: [{ currency: 'USD', promised: 15_000, collected: 15_000 }] }),
      group('high', {
        made: 4,
        broken: 1,
        cancelled: 1,
        open: 2,
        partiallyPaid: 2,
        collectors: 2,
        amounts: [
          { currency: 'EUR', promised: 80_000, collected: 10_000 },
          { currency: 'USD', promised: 20_000, collected: 10_000 },
        ],
      }),
      group(null, { made: 2, kept: 1, open: 1, collectors: 1, amounts: [{ currency: 'USD', promised: 20_000, collected: 8_000 }] }),
    ]);
  });

  it('refuses bad input with VALIDATION_FAILED naming the field', async () => {
    // Thunks: each query starts only when its turn comes.
    const cases: [() => Promise<unknown>, string][] = [
      [() => model.queries.dueToday('2026-04-31'), 'day'],
      [() => model.queries.dueToday('28/04/2026'), 'day'],
      [() => model.queries.overdue(undefined as never), 'day'],
      [() => model.queries.dueToday('2026-04-28', { limit: 0 }), 'limit'],
      [() => model.queries.overdue('2026-04-28', { limit: 201 }), 'limit'],
      [() => model.queries.overdue('2026-04-28', { after: 'p5' }), 'after'],
      [() => model.queries.dueToday('2026-04-28', { operatorId: '' }), 'operatorId'],
      [() => model.queries.dueToday('2026-04-28', { operator: 'collector-7' } as never), 'operator'],
      [() => model.queries.promiseRates({ from: '2026-04-30', to: '2026-04-01', groupBy: 'operator' }), 'to'],
      [() => model.queries.promiseRates({ from: '2026-04-01', groupBy: 'operator' } as never), 'to'],
      [() => model.queries.promiseRates({ from: 'April', to: '2026-04-30', groupBy: 'operator' }), 'from'],
      [() => model.queries.promiseRates({ ...april, groupBy: 'team' } as never), 'groupBy'],
      [() => model.queries.promiseRates({ ...april } as never), 'groupBy'],
      [() => model.queries.promiseRates({ ...april, groupBy: 'tier', currency: 'USD' } as never), 'currency'],
    ];
    for (const [query, field] of cases) {
      const error = await rejection(query());
      expect(error).toBeInstanceOf(ArrearsError);
      expect({ field, error }).toEqual({ field, error: expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field }) });
      expect((error as ArrearsError).message).toContain(field);
    }
  });
});
