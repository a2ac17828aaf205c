import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import type { InstalmentKey } from './query-params';
import type { InstalmentView, PlanPerformanceGroup } from './plan-queries';
import { newCase, realisticPlans, type RealisticPlans } from './testing/plan-history';
import { createTestReadModel, feed, type TestReadModel } from './testing/read-model';

describe('PlanQueries', () => {
  let model: TestReadModel;
  let world: RealisticPlans;
  let name: (planId: string) => string;
  /** Five running plans of five cases, each with its first instalment due on 5 June, for paging. */
  const sameDay: string[] = [];

  beforeAll(async () => {
    model = await createTestReadModel('plans_queries');
    world = realisticPlans();
    for (let i = 0; i < 5; i += 1) {
      const { plans } = newCase(world.history);
      const by = { id: i % 2 === 0 ? 'collector-paging' : 'collector-other', role: 'collector' as const };
      const planId = plans.propose({ instalments: 2, firstDueDate: '2026-06-05', by, at: '2026-05-25T10:00:00.000Z' });
      plans.accept(planId, '2026-05-26T10:00:00.000Z', by);
      sameDay.push(planId);
    }
    sameDay.sort();
    const names = new Map(Object.entries(world.p).map(([key, id]) => [id, key]));
    name = (planId) => names.get(planId) ?? (sameDay.includes(planId) ? 'paging' : planId);
    await feed(model.projection(), world.events);
  });

  afterAll(async () => {
    await model.drop();
  });

  const instalments = (rows: readonly InstalmentView[]) => rows.map((row) => [name(row.planId), row.number, row.dueDate, row.status, row.outstanding.minor]);

  it('lists the active plans, the soonest next instalment first, for everyone or by status, proposer or currency', async () => {
    const { p } = world;
    const all = await model.queries.activePlans();
    expect(all.rows.map((row) => [name(row.planId), row.status, row.nextInstalment?.dueDate])).toEqual([
      // #3 of pc2, missed on 7 May, is still the next to pay.
      ['pc2', 'running', '2026-05-01'],
      ['pd2', 'running', '2026-05-15'],
      ['pe', 'proposed', '2026-05-20'],
      ['pb2', 'awaiting-approval', '2026-06-01'],
      ...sameDay.map(() => ['paging', 'running', '2026-06-05']),
    ]);
    expect(all.nextAfter).toBeNull();
    expect(all.rows.find((row) => row.planId === p.pd2)).toEqual({
      planId: p.pd2,
      accountId: world.d.accountId,
      status: 'running',
      total: { minor: 94_000, currency: 'USD' },
      balance: { minor: 100_000, currency: 'USD' },
      outcome: 'settled',
      frequency: 'monthly',
      instalmentCount: 2,
      options: { feeWaiver: { minor: 6_000, currency: 'USD' }, interestFreeze: false, termExtension: false, settlement: null },
      approvalsNeeded: [],
      awaitingApproval: [],
      graceDays: 5,
      missedToDefault: 2,
      proposedBy: 'collector-9',
      proposedAt: '2026-04-26T10:00:00.000Z',
      proposedOn: '2026-04-26',
      approvedBy: null,
      approvedAt: null,
      acceptedOn: '2026-04-27',
      acceptedAt: '2026-04-27T10:00:00.000Z',
      paid: { minor: 0, currency: 'USD' },
      outstanding: { minor: 94_000, currency: 'USD' },
      nextInstalment: { number: 1, dueDate: '2026-05-15', amount: { minor: 47_000, currency: 'USD' } },
      missedUnpaid: 0,
      agingBucket: '90+',
      riskTier: 'low',
      completedOn: null,
      defaultedOn: null,
      endedAt: null,
      updatedAt: '2026-04-27T10:00:00.000Z',
    });
    const names = async (options: Parameters<TestReadModel['queries']['activePlans']>[0]) => (await model.queries.activePlans(options)).rows.map((row) => name(row.planId));
    expect(await names({ status: 'awaiting-approval' })).toEqual(['pb2']);
    expect(await names({ status: 'proposed' })).toEqual(['pe']);
    expect(await names({ status: 'running', proposedBy: 'collector-9' })).toEqual(['pc2', 'pd2']);
    expect(await names({ proposedBy: 'collector-7' })).toEqual(['pe']);
    expect(await names({ currency: 'EUR' })).toEqual(['pb2']);
    expect(await names({ currency: 'GBP', status: 'running' })).toEqual([]);
  });

  it('pages the active plans by keyset: next due date, then plan id', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await model.queries.activePlans({ limit: 2, ...(after === undefined ? {} : { after }) });
      seen.push(...page.rows.map((row) => row.planId));
      after = page.nextAfter ?? undefined;
      pages += 1;
    } while (after !== undefined);
    expect(pages).toBe(5);
    expect(seen).toEqual((await model.queries.activePlans()).rows.map((row) => row.planId));
    const mine = await model.queries.activePlans({ proposedBy: 'collector-paging', limit: 2 });
    const rest = await model.queries.activePlans({ proposedBy: 'collector-paging', limit: 2, after: mine.nextAfter! });
    expect([...mine.rows, ...rest.rows].map((row) => row.proposedBy)).toEqual(['collector-paging', 'collector-paging', 'collector-paging']);
    expect(rest.nextAfter).toBeNull();
    expect((await model.queries.activePlans({ after: randomUUID() })).rows).toEqual([]);
  });

  it('gives one plan, whatever its status, with its instalments', async () => {
    const { p } = world;
    expect(await model.queries.plan(p.pa)).toEqual({
      planId: p.pa,
      accountId: world.a.accountId,
      status: 'completed',
      total: { minor: 100_000, currency: 'USD' },
      balance: { minor: 100_000, currency: 'USD' },
      outcome: 'paid-in-full',
      frequency: 'monthly',
      instalmentCount: 3,
      options: { feeWaiver: null, interestFreeze: false, termExtension: false, settlement: null },
      approvalsNeeded: [],
      awaitingApproval: [],
      graceDays: 5,
      missedToDefault: 2,
      proposedBy: 'collector-7',
      proposedAt: '2026-04-02T10:00:00.000Z',
      proposedOn: '2026-04-02',
      approvedBy: null,
      approvedAt: null,
      acceptedOn: '2026-04-03',
      acceptedAt: '2026-04-03T09:00:00.000Z',
      paid: { minor: 100_000, currency: 'USD' },
      outstanding: { minor: 0, currency: 'USD' },
      nextInstalment: null,
      missedUnpaid: 0,
      agingBucket: '1-30',
      riskTier: 'medium',
      completedOn: '2026-06-10',
      defaultedOn: null,
      endedAt: '2026-06-10T12:00:00.000Z',
      updatedAt: '2026-06-10T12:00:00.000Z',
      instalments: [
        {
          planId: p.pa,
          accountId: world.a.accountId,
          number: 1,
          dueDate: '2026-04-15',
          amount: { minor: 33_333, currency: 'USD' },
          paid: { minor: 33_333, currency: 'USD' },
          outstanding: { minor: 0, currency: 'USD' },
          status: 'paid',
          missesAt: '2026-04-21T00:00:00.000Z',
          wasMissed: false,
          paidOn: '2026-04-15',
        },
        expect.objectContaining({ number: 2, status: 'paid-late', paidOn: '2026-05-18' }),
        expect.objectContaining({ number: 3, status: 'paid', paidOn: '2026-06-10', amount: { minor: 33_334, currency: 'USD' } }),
      ],
    });
    expect(await model.queries.plan(p.pb)).toMatchObject({
      status: 'defaulted',
      options: { settlement: { discount: { minor: 25_000, currency: 'EUR' }, discountBasisPoints: 2_500 } },
      approvedBy: 'supervisor-2',
      paid: { minor: 25_000, currency: 'EUR' },
      outstanding: { minor: 50_000, currency: 'EUR' },
      missedUnpaid: 2,
      defaultedOn: '2026-05-14',
    });
    const unknown = randomUUID();
    expect(await rejection(model.queries.plan(unknown))).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'planId' });
    expect(await rejection(model.queries.plan('pa'))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'planId' });
  });

  it('lists the instalments of running plans due on a day or in a range and not paid, for everyone, one proposer or one currency', async () => {
    // pd2's first instalment; pa's second was due that day too, but pa has completed.
    expect(instalments((await model.queries.dueOn('2026-05-15')).rows)).toEqual([['pd2', 1, '2026-05-15', 'upcoming', 47_000]]);
    // pb's third fell due that day, but pb had defaulted by then... and pc2's fourth is still to pay.
    expect(instalments((await model.queries.dueOn('2026-05-08')).rows)).toEqual([['pc2', 4, '2026-05-08', 'upcoming', 5_000]]);
    // Paid instalments are nobody's work: pc2's first was due on 17 April.
    expect((await model.queries.dueOn('2026-04-17')).rows).toEqual([]);
    // A proposal's instalments do not fall due: pe's first is on 20 May, pb2's on 1 June.
    expect((await model.queries.dueOn('2026-05-20')).rows).toEqual([]);
    expect((await model.queries.dueOn('2026-06-01')).rows).toEqual([]);

    const may = await model.queries.dueBetween('2026-05-01', '2026-05-31');
    expect(instalments(may.rows)).toEqual([
      ['pc2', 3, '2026-05-01', 'missed', 5_000],
      ['pc2', 4, '2026-05-08', 'upcoming', 5_000],
      ['pd2', 1, '2026-05-15', 'upcoming', 47_000],
    ]);
    expect(may.nextAfter).toBeNull();
    expect(instalments((await model.queries.dueBetween('2026-05-01', '2026-05-31', { proposedBy: 'collector-9', currency: 'USD' })).rows)).toHaveLength(3);
    expect((await model.queries.dueBetween('2026-05-01', '2026-05-31', { proposedBy: 'collector-7' })).rows).toEqual([]);
    expect((await model.queries.dueBetween('2026-05-01', '2026-05-31', { currency: 'EUR' })).rows).toEqual([]);
    expect(instalments((await model.queries.dueBetween('2026-06-01', '2026-06-30', { proposedBy: 'collector-9' })).rows)).toEqual([['pd2', 2, '2026-06-15', 'upcoming', 47_000]]);
  });

  it('pages the instalments by keyset: due date, plan id, number', async () => {
    const first = await model.queries.dueOn('2026-06-05', { limit: 2 });
    const second = await model.queries.dueOn('2026-06-05', { limit: 2, after: first.nextAfter! });
    const third = await model.queries.dueOn('2026-06-05', { limit: 2, after: second.nextAfter! });
    expect([first, second, third].map((page) => page.rows.length)).toEqual([2, 2, 1]);
    expect(first.nextAfter).toEqual({ planId: sameDay[1], number: 1 });
    expect(third.nextAfter).toBeNull();
    expect([...first.rows, ...second.rows, ...third.rows].map((row) => row.planId)).toEqual(sameDay);

    // Across due dates and plans: every instalment still to pay of a running plan through July, once each, in order.
    const all: string[] = [];
    let after: InstalmentKey | undefined;
    do {
      const page = await model.queries.dueBetween('2026-04-01', '2026-07-31', { limit: 3, ...(after === undefined ? {} : { after }) });
      all.push(...page.rows.map((row) => `${row.dueDate} ${row.planId} ${row.number}`));
      after = page.nextAfter ?? undefined;
    } while (after !== undefined);
    // pc2 #3 and #4, pd2 #1 and #2, and the paging plans' two each.
    expect(all).toHaveLength(4 + 10);
    expect(all).toEqual([...all].sort());
    expect((await model.queries.dueOn('2026-06-05', { after: { planId: randomUUID(), number: 1 } })).rows).toEqual([]);
  });

  it('lists the overdue instalments as of a day, the longest overdue first, saying which are still in grace', async () => {
    const asOf = async (day: string) => (await model.queries.overdue(day)).rows.map((row) => [name(row.planId), row.number, row.status, row.daysOverdue, row.inGrace]);
    expect(await asOf('2026-05-10')).toEqual([
      ['pc2', 3, 'missed', 9, false],
      ['pc2', 4, 'upcoming', 2, true],
    ]);
    expect(await asOf('2026-05-20')).toEqual([
      ['pc2', 3, 'missed', 19, false],
      // Past its grace: its timer has not marked it missed yet.
      ['pc2', 4, 'upcoming', 12, false],
      // The last day of grace is still grace: it counts as missed from 21 May, 00:00.
      ['pd2', 1, 'upcoming', 5, true],
    ]);
    expect((await asOf('2026-05-21')).at(-1)).toEqual(['pd2', 1, 'upcoming', 6, false]);
    // Due that very day is not overdue.
    expect(await asOf('2026-05-01')).toEqual([]);
    expect((await model.queries.overdue('2026-06-30', { proposedBy: 'collector-paging' })).rows.map((row) => row.dueDate)).toEqual(['2026-06-05', '2026-06-05', '2026-06-05']);
  });

  it('lists the missed instalments not since paid of the running plans, with how near their plan is to default', async () => {
    const missed = await model.queries.missed();
    expect(missed.rows).toEqual([
      {
        planId: world.p.pc2,
        accountId: world.c.accountId,
        number: 3,
        dueDate: '2026-05-01',
        amount: { minor: 5_000, currency: 'USD' },
        paid: { minor: 0, currency: 'USD' },
        outstanding: { minor: 5_000, currency: 'USD' },
        status: 'missed',
        missesAt: '2026-05-07T00:00:00.000Z',
        wasMissed: true,
        paidOn: null,
        missedUnpaid: 1,
        missedToDefault: 2,
      },
    ]);
    // pb's missed instalments ended with it; pc2's #2 was paid since.
    expect((await model.queries.missed({ proposedBy: 'collector-7' })).rows).toEqual([]);
    expect((await model.queries.missed({ currency: 'USD', limit: 1 })).nextAfter).toBeNull();
  });

  const group = (key: string | null, figures: Partial<PlanPerformanceGroup> & Pick<PlanPerformanceGroup, 'proposed' | 'acceptanceRate' | 'completionRate' | 'defaultRate' | 'amounts'>): PlanPerformanceGroup => ({
    key,
    pending: 0,
    accepted: 0,
    running: 0,
    completed: 0,
    defaulted: 0,
    cancelled: 0,
    cancelledAfterAcceptance: 0,
    instalments: { paidOnTime: 0, paidLate: 0, missed: 0 },
    ...figures,
  });
  const april = { from: '2026-04-01', to: '2026-04-30' };
  /** pb's figures: accepted, #1 paid, #2 and #3 missed, defaulted. */
  const pbAlone = {
    proposed: 1,
    accepted: 1,
    defaulted: 1,
    acceptanceRate: 1,
    completionRate: 0,
    defaultRate: 1,
    instalments: { paidOnTime: 1, paidLate: 0, missed: 2 },
    amounts: [{ currency: 'EUR', agreed: 75_000, collected: 25_000 }],
  };
  const collector7 = group('collector-7', {
    proposed: 4,
    pending: 1,
    accepted: 3,
    completed: 1,
    defaulted: 1,
    cancelled: 1,
    cancelledAfterAcceptance: 1,
    // pa, pb and pd1 accepted, none turned down; of the three ended, one completed, one defaulted, one replaced.
    acceptanceRate: 1,
    completionRate: 1 / 3,
    defaultRate: 1 / 3,
    instalments: { paidOnTime: 3, paidLate: 1, missed: 2 },
    amounts: [
      { currency: 'EUR', agreed: 75_000, collected: 25_000 },
      // pe is only proposed: nothing agreed yet.
      { currency: 'GBP', agreed: 0, collected: 0 },
      { currency: 'USD', agreed: 200_000, collected: 100_000 },
    ],
  });

  it('gives plan performance per proposer for the plans proposed in a range, money per currency', async () => {
    expect(await model.queries.performance({ ...april, groupBy: 'proposer' })).toEqual({
      groupBy: 'proposer',
      ...april,
      groups: [
        collector7,
        group('collector-9', {
          proposed: 3,
          accepted: 2,
          running: 2,
          cancelled: 1,
          // pc2 and pd2 accepted, pc1 withdrawn before; none has ended.
          acceptanceRate: 2 / 3,
          completionRate: null,
          defaultRate: null,
          // pc2: #1 on time, #2 missed and paid late, #3 missed.
          instalments: { paidOnTime: 1, paidLate: 1, missed: 2 },
          amounts: [{ currency: 'USD', agreed: 20_000 + 94_000, collected: 10_000 }],
        }),
      ],
    });
    // Open-ended: pb2 (16 May) counts too.
    expect((await model.queries.performance({ groupBy: 'proposer', proposedBy: 'collector-9' })).groups).toEqual([
      group('collector-9', {
        proposed: 4,
        pending: 1,
        accepted: 2,
        running: 2,
        cancelled: 1,
        acceptanceRate: 2 / 3,
        completionRate: null,
        defaultRate: null,
        instalments: { paidOnTime: 1, paidLate: 1, missed: 2 },
        amounts: [
          { currency: 'EUR', agreed: 0, collected: 0 },
          { currency: 'USD', agreed: 114_000, collected: 10_000 },
        ],
      }),
    ]);
    expect((await model.queries.performance({ groupBy: 'proposer', from: '2026-05-20' })).groups.map((one) => [one.key, one.proposed, one.running])).toEqual([
      ['collector-other', 2, 2],
      ['collector-paging', 3, 3],
    ]);
    // One day: 2 April, when collector-7 proposed pa.
    expect((await model.queries.performance({ groupBy: 'proposer', from: '2026-04-02', to: '2026-04-02' })).groups.map((one) => [one.key, one.proposed, one.completed])).toEqual([['collector-7', 1, 1]]);
    expect(await model.queries.performance({ groupBy: 'tier', from: '2027-01-01', to: '2027-01-31' })).toEqual({ groupBy: 'tier', from: '2027-01-01', to: '2027-01-31', groups: [] });
  });

  it('gives plan performance per aging bucket and risk tier the case was in when the plan was proposed, narrowed to a proposer, bucket or tier', async () => {
    expect((await model.queries.performance({ ...april, groupBy: 'bucket' })).groups).toEqual([
      group('current', { proposed: 1, pending: 1, acceptanceRate: null, completionRate: null, defaultRate: null, amounts: [{ currency: 'GBP', agreed: 0, collected: 0 }] }),
      group('1-30', {
        proposed: 1,
        accepted: 1,
        completed: 1,
        acceptanceRate: 1,
        completionRate: 1,
        defaultRate: 0,
        instalments: { paidOnTime: 2, paidLate: 1, missed: 0 },
        amounts: [{ currency: 'USD', agreed: 100_000, collected: 100_000 }],
      }),
      group('31-90', pbAlone),
      // pd1 replaced by pd2 after acceptance: ended, neither completed nor defaulted.
      group('90+', {
        proposed: 2,
        accepted: 2,
        running: 1,
        cancelled: 1,
        cancelledAfterAcceptance: 1,
        acceptanceRate: 1,
        completionRate: 0,
        defaultRate: 0,
        amounts: [{ currency: 'USD', agreed: 194_000, collected: 0 }],
      }),
      // C: no bucket known.
      group(null, {
        proposed: 2,
        accepted: 1,
        running: 1,
        cancelled: 1,
        acceptanceRate: 0.5,
        completionRate: null,
        defaultRate: null,
        instalments: { paidOnTime: 1, paidLate: 1, missed: 2 },
        amounts: [{ currency: 'USD', agreed: 20_000, collected: 10_000 }],
      }),
    ]);
    expect((await model.queries.performance({ ...april, groupBy: 'tier' })).groups.map((one) => [one.key, one.proposed, one.accepted])).toEqual([
      ['low', 2, 2],
      // pa: A was medium risk on 2 April, high from 15 April.
      ['medium', 1, 1],
      ['high', 1, 1],
      // C, and E whose tier is not known.
      [null, 3, 1],
    ]);
    expect((await model.queries.performance({ ...april, groupBy: 'tier', agingBucket: '90+' })).groups.map((one) => [one.key, one.proposed])).toEqual([['low', 2]]);
    // pb alone: B was 31-90 days and high risk when collector-7 proposed it.
    expect((await model.queries.performance({ ...april, groupBy: 'proposer', riskTier: 'high' })).groups).toEqual([group('collector-7', pbAlone)]);
    expect((await model.queries.performance({ ...april, groupBy: 'bucket', proposedBy: 'collector-7' })).groups.map((one) => one.key)).toEqual(['current', '1-30', '31-90', '90+']);
  });

  it('refuses bad input with VALIDATION_FAILED naming the field', async () => {
    // Thunks: each query starts only when its turn comes.
    const cases: [() => Promise<unknown>, string][] = [
      [() => model.queries.activePlans({ status: 'completed' } as never), 'status'],
      [() => model.queries.activePlans({ limit: 0 }), 'limit'],
      [() => model.queries.activePlans({ limit: 201 }), 'limit'],
      [() => model.queries.activePlans({ after: 'pc2' }), 'after'],
      [() => model.queries.activePlans({ currency: 'usd' }), 'currency'],
      [() => model.queries.activePlans({ proposedBy: '' }), 'proposedBy'],
      [() => model.queries.activePlans({ operator: 'collector-7' } as never), 'operator'],
      [() => model.queries.dueOn('2026-04-31'), 'from'],
      [() => model.queries.dueBetween('2026-05-31', '2026-05-01'), 'to'],
      [() => model.queries.dueBetween('2026-05-01', 'May'), 'to'],
      [() => model.queries.overdue(undefined as never), 'day'],
      [() => model.queries.overdue('2026-05-10', { after: { planId: world.p.pc2 } as never }), 'after.number'],
      [() => model.queries.missed({ after: { planId: 'pc2', number: 3 } }), 'after.planId'],
      [() => model.queries.missed({ day: '2026-05-10' } as never), 'day'],
      [() => model.queries.performance({ groupBy: 'team' } as never), 'groupBy'],
      [() => model.queries.performance({} as never), 'groupBy'],
      [() => model.queries.performance({ groupBy: 'proposer', from: '2026-04-30', to: '2026-04-01' }), 'to'],
      [() => model.queries.performance({ groupBy: 'proposer', from: 'April' }), 'from'],
      [() => model.queries.performance({ groupBy: 'bucket', agingBucket: '120+' } as never), 'agingBucket'],
      [() => model.queries.performance({ groupBy: 'tier', riskTier: 'extreme' } as never), 'riskTier'],
      [() => model.queries.performance({ groupBy: 'tier', currency: 'USD' } as never), 'currency'],
    ];
    for (const [query, field] of cases) {
      const error = await rejection(query());
      expect(error).toBeInstanceOf(ArrearsError);
      expect({ field, error }).toEqual({ field, error: expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field }) });
      expect((error as ArrearsError).message).toContain(field);
    }
  });
});
