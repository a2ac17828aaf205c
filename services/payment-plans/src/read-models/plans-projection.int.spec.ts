import { randomUUID } from 'node:crypto';
import { ErrorCode } from '@arrears/contracts';
import { describeCaseSegments } from '@arrears/read-models/src/testing/case-segments-suite';
import { describeProjectionReplays } from '@arrears/read-models/src/testing/replay-suite';
import { freshReadModels } from '@arrears/read-models/src/testing/test-read-model';
import { rejection } from '@arrears/testing';
import { History, newCase, PlanStream, realisticPlans, SUPERVISOR_2, type RealisticPlans } from './testing/plan-history';
import { CONSUMER, createTestReadModel, feed } from './testing/read-model';

describe('PlansProjection', () => {
  const readModel = freshReadModels(createTestReadModel);

  /** A read model fed `world`'s whole history in commit order, and the rows that made. */
  const fedWith = async (world: RealisticPlans) => {
    const model = await readModel();
    await feed(model.projection(), world.events);
    return { model, rows: await model.snapshot() };
  };

  it('projects a realistic history into one row per plan, one per instalment, and the cases’ current segments', async () => {
    const world = realisticPlans();
    const { rows: snapshot } = await fedWith(world);
    const { p } = world;

    const plans = new Map((snapshot.plans as { plan_id: string }[]).map((row) => [row.plan_id, row as Record<string, unknown>]));
    expect(plans.size).toBe(8);
    expect(plans.get(p.pb)).toEqual({
      plan_id: p.pb,
      account_id: world.b.accountId,
      status: 'defaulted',
      currency: 'EUR',
      balance_minor: 100_000,
      total_minor: 75_000,
      outcome: 'settled',
      frequency: 'fortnightly',
      instalment_count: 3,
      fee_waiver_minor: null,
      interest_freeze: false,
      term_extension: false,
      settlement_discount_minor: 25_000,
      settlement_basis_points: 2_500,
      approvals_needed: ['settlement'],
      awaiting_approval: [],
      grace_days: 5,
      missed_to_default: 2,
      proposed_by: 'collector-7',
      proposed_at: '2026-04-03T11:00:00+00:00',
      proposed_on: '2026-04-03',
      approved_by: 'supervisor-2',
      approved_at: '2026-04-04T10:00:00+00:00',
      accepted_on: '2026-04-05',
      accepted_at: '2026-04-05T12:00:00+00:00',
      paid_minor: 25_000,
      missed_unpaid: 2,
      next_instalment: null,
      next_due_date: null,
      next_due_minor: null,
      // B was 31-90 days and high risk on 3 April; it is medium risk now.
      aging_bucket: '31-90',
      risk_tier: 'high',
      completed_on: null,
      defaulted_on: '2026-05-14',
      ended_at: '2026-05-14T00:00:00+00:00',
      updated_at: '2026-05-14T00:00:00+00:00',
    });
    const summary = (id: string) => {
      const row = plans.get(id) ?? {};
      return [row['status'], row['paid_minor'], row['missed_unpaid'], row['next_instalment'], row['next_due_date'], row['aging_bucket'], row['risk_tier'], row['ended_at']];
    };
    expect([p.pa, p.pb, p.pb2, p.pc1, p.pc2, p.pd1, p.pd2, p.pe].map(summary)).toEqual([
      ['completed', 100_000, 0, null, null, '1-30', 'medium', '2026-06-10T12:00:00+00:00'],
      ['defaulted', 25_000, 2, null, null, '31-90', 'high', '2026-05-14T00:00:00+00:00'],
      // Proposed after B turned medium risk.
      ['awaiting-approval', 0, 0, 1, '2026-06-01', '31-90', 'medium', null],
      // Nothing known of C's segments.
      ['cancelled', 0, 0, null, null, null, null, '2026-04-08T10:00:00+00:00'],
      // #2 missed and paid since; #3 missed and unpaid: the next to pay.
      ['running', 10_000, 1, 3, '2026-05-01', null, null, null],
      ['cancelled', 0, 0, null, null, '90+', 'low', '2026-04-25T10:00:00+00:00'],
      ['running', 0, 0, 1, '2026-05-15', '90+', 'low', null],
      ['proposed', 0, 0, 1, '2026-05-20', 'current', null, null],
    ]);
    expect(plans.get(p.pd2)).toMatchObject({ outcome: 'settled', fee_waiver_minor: 6_000, total_minor: 94_000, balance_minor: 100_000, next_due_minor: 47_000 });

    const instalments = (planId: string) =>
      (snapshot.instalments as Record<string, unknown>[])
        .filter((row) => row['plan_id'] === planId)
        .map((row) => [row['number'], row['due_date'], row['amount_minor'], row['paid_minor'], row['status'], row['was_missed'], row['paid_on'], row['misses_at']]);
    expect(instalments(p.pa)).toEqual([
      [1, '2026-04-15', 33_333, 33_333, 'paid', false, '2026-04-15', '2026-04-21T00:00:00+00:00'],
      // 100.00 on 14 May, the rest on 18 May: after its due date, within grace.
      [2, '2026-05-15', 33_333, 33_333, 'paid-late', false, '2026-05-18', '2026-05-21T00:00:00+00:00'],
      [3, '2026-06-15', 33_334, 33_334, 'paid', false, '2026-06-10', '2026-06-21T00:00:00+00:00'],
    ]);
    expect(instalments(p.pc2)).toEqual([
      [1, '2026-04-17', 5_000, 5_000, 'paid', false, '2026-04-17', '2026-04-23T00:00:00+00:00'],
      [2, '2026-04-24', 5_000, 5_000, 'paid-late', true, '2026-05-02', '2026-04-30T00:00:00+00:00'],
      [3, '2026-05-01', 5_000, 0, 'missed', true, null, '2026-05-07T00:00:00+00:00'],
      // Past its due date, not yet checked by its timer.
      [4, '2026-05-08', 5_000, 0, 'upcoming', false, null, '2026-05-14T00:00:00+00:00'],
    ]);
    expect(instalments(p.pb).map(([number, , , paid, status]) => [number, paid, status])).toEqual([
      [1, 25_000, 'paid'],
      [2, 0, 'missed'],
      [3, 0, 'missed'],
    ]);
    // A proposal's instalments are there from the start; they count as missed only from acceptance on.
    expect(instalments(p.pe)).toHaveLength(6);
    expect(instalments(p.pe).every((row) => row[4] === 'upcoming' && row[7] === null)).toBe(true);
    expect(instalments(p.pb2)).toHaveLength(24);
    expect(snapshot.instalments).toHaveLength(3 + 3 + 24 + 4 + 4 + 2 + 2 + 6);

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
      plan_position: world.a.plans.events.length - 1,
    });
    expect(caseRow(world.c.accountId)).toEqual({
      account_id: world.c.accountId,
      aging_bucket: null,
      days_past_due: null,
      bucket_as_of: null,
      risk_tier: null,
      risk_score: null,
      tier_as_of: null,
      account_position: -1,
      plan_position: world.c.plans.events.length - 1,
    });
    expect(caseRow(world.e.accountId)).toMatchObject({ aging_bucket: 'current', risk_tier: null, account_position: 2, plan_position: 0 });
    // Every segment change is kept; the flag is not one.
    expect(snapshot.case_segment_changes).toHaveLength(10);
  });

  it('walks a plan through awaiting approval, proposed, running, partly paid, missed, paid late and defaulted; another paid ahead to completion', async () => {
    const model = await readModel();
    const projection = model.projection();
    const { plans } = newCase(new History());
    const fed = new Set<string>();
    /** Feeds what the stream has that was not fed yet, and reads the plan back. */
    const now = async (planId: string) => {
      await feed(
        projection,
        plans.events.filter((event) => !fed.has(event.eventId)),
      );
      plans.events.forEach((event) => fed.add(event.eventId));
      return model.queries.plan(planId);
    };
    const instalmentsOf = (plan: Awaited<ReturnType<typeof now>>) => plan.instalments.map((instalment) => [instalment.number, instalment.status, instalment.paid.minor]);

    // A collector may not freeze interest: it waits for a supervisor.
    const planId = plans.propose({ instalments: 4, firstDueDate: '2026-12-15', options: { interestFreeze: true }, at: '2026-11-30T15:00:00.000Z' });
    expect(await now(planId)).toMatchObject({
      status: 'awaiting-approval',
      total: { minor: 100_000, currency: 'USD' },
      outcome: 'paid-in-full',
      options: { feeWaiver: null, interestFreeze: true, termExtension: false, settlement: null },
      approvalsNeeded: ['interest-freeze'],
      awaitingApproval: ['interest-freeze'],
      proposedBy: 'collector-7',
      proposedOn: '2026-11-30',
      nextInstalment: { number: 1, dueDate: '2026-12-15', amount: { minor: 25_000, currency: 'USD' } },
      acceptedOn: null,
    });
    plans.approve(planId, '2026-12-01T09:00:00.000Z', SUPERVISOR_2);
    expect(await now(planId)).toMatchObject({ status: 'proposed', awaitingApproval: [], approvalsNeeded: ['interest-freeze'], approvedBy: 'supervisor-2', approvedAt: '2026-12-01T09:00:00.000Z' });
    plans.accept(planId, '2026-12-01T10:00:00.000Z');
    const running = await now(planId);
    expect(running).toMatchObject({ status: 'running', acceptedOn: '2026-12-01', acceptedAt: '2026-12-01T10:00:00.000Z' });
    expect(running.instalments.map((instalment) => [instalment.dueDate, instalment.missesAt])).toEqual([
      ['2026-12-15', '2026-12-21T00:00:00.000Z'],
      ['2027-01-15', '2027-01-21T00:00:00.000Z'],
      ['2027-02-15', '2027-02-21T00:00:00.000Z'],
      ['2027-03-15', '2027-03-21T00:00:00.000Z'],
    ]);

    plans.pay('BANK-1', 10_000, '2026-12-10');
    const partly = await now(planId);
    expect(partly).toMatchObject({ paid: { minor: 10_000 }, outstanding: { minor: 90_000 }, nextInstalment: { number: 1, amount: { minor: 15_000 } }, missedUnpaid: 0 });
    expect(instalmentsOf(partly)[0]).toEqual([1, 'partly-paid', 10_000]);

    plans.check(planId, 1);
    const missed = await now(planId);
    expect(missed).toMatchObject({ status: 'running', missedUnpaid: 1, nextInstalment: { number: 1, amount: { minor: 15_000 } } });
    expect(instalmentsOf(missed)[0]).toEqual([1, 'missed', 10_000]);

    // Late: cures #1 and pays part of #2 ahead of its due date.
    plans.pay('BANK-2', 20_000, '2026-12-28');
    const cured = await now(planId);
    expect(cured).toMatchObject({ missedUnpaid: 0, paid: { minor: 30_000 }, outstanding: { minor: 70_000 }, nextInstalment: { number: 2, dueDate: '2027-01-15', amount: { minor: 20_000 } } });
    expect(instalmentsOf(cured)).toEqual([
      [1, 'paid-late', 25_000],
      [2, 'partly-paid', 5_000],
      [3, 'upcoming', 0],
      [4, 'upcoming', 0],
    ]);
    expect(cured.instalments[0]).toMatchObject({ wasMissed: true, paidOn: '2026-12-28' });

    plans.check(planId, 2);
    expect(instalmentsOf(await now(planId))[1]).toEqual([2, 'missed', 5_000]);
    plans.check(planId, 3);
    const defaulted = await now(planId);
    expect(defaulted).toMatchObject({
      status: 'defaulted',
      defaultedOn: '2027-02-21',
      endedAt: '2027-02-21T00:00:00.000Z',
      missedUnpaid: 2,
      paid: { minor: 30_000 },
      outstanding: { minor: 70_000 },
      nextInstalment: null,
    });
    expect(instalmentsOf(defaulted)).toEqual([
      [1, 'paid-late', 25_000],
      [2, 'missed', 5_000],
      [3, 'missed', 0],
      [4, 'upcoming', 0],
    ]);

    // The next plan of the case: one payment pays every instalment ahead, on time, and completes it.
    const second = plans.propose({ instalments: 2, firstDueDate: '2027-03-01', at: '2027-02-22T10:00:00.000Z' });
    plans.accept(second, '2027-02-22T11:00:00.000Z');
    expect((await now(second)).status).toBe('running');
    plans.pay('BANK-3', 100_000, '2027-02-25');
    const completed = await now(second);
    expect(completed).toMatchObject({ status: 'completed', completedOn: '2027-02-25', endedAt: '2027-02-25T12:00:00.000Z', paid: { minor: 100_000 }, outstanding: { minor: 0 }, nextInstalment: null });
    expect(instalmentsOf(completed)).toEqual([
      [1, 'paid', 50_000],
      [2, 'paid', 50_000],
    ]);
    // The first plan is as it ended.
    expect(await model.queries.plan(planId)).toEqual(defaulted);
  });

  it('refuses an event about a plan or instalment it does not have or in a state it cannot follow, money in another currency and malformed data, changing nothing', async () => {
    const world = realisticPlans();
    const { model, rows: before } = await fedWith(world);
    const projection = model.projection();

    // D's next event, a partial payment of pd2, and variations of it at the same position.
    const [payment] = world.d.plans.pay('ACH-D-1', 1_000, '2026-05-10');
    const next = { ...payment!, eventId: randomUUID() };
    const variant = (data: Record<string, unknown>) => ({ ...next, eventId: randomUUID(), data: { ...payment!.data, ...data } });
    expect(await rejection(projection.handle(variant({ planId: randomUUID() })))).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'data.planId' });
    expect(await rejection(projection.handle(variant({ number: 9 })))).toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'data.number' });
    // The plan defaulted: nothing more is paid to it.
    expect(await rejection(projection.handle({ ...variant({ planId: world.p.pb, accountId: world.b.accountId }), streamId: `plan-${world.b.accountId}`, streamPosition: world.b.plans.events.length }))).toMatchObject({
      code: ErrorCode.STATE_CONFLICT,
      field: 'data.planId',
    });
    // pd2 runs: it is not waiting for an approval.
    const approval = { ...next, eventId: randomUUID(), type: 'PlanApproved', data: { planId: world.p.pd2, accountId: world.d.accountId, options: ['settlement'], approvedBy: 'supervisor-2' } };
    expect(await rejection(projection.handle(approval))).toMatchObject({
      code: ErrorCode.STATE_CONFLICT,
      field: 'data.planId',
    });
    expect(await rejection(projection.handle(variant({ applied: { minor: 1_000, currency: 'EUR' }, paidTotal: { minor: 1_000, currency: 'EUR' } })))).toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      field: 'data.applied.currency',
    });
    expect(await rejection(projection.handle(variant({ applied: { minor: -5, currency: 'USD' } })))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'data.applied.minor' });
    const proposed = world.e.plans.events[0]!;
    const mixed = { ...proposed, eventId: randomUUID(), streamPosition: world.e.plans.events.length, data: { ...proposed.data, planId: randomUUID(), balance: { minor: 60_000, currency: 'USD' } } };
    expect(await rejection(projection.handle(mixed))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'data.balance.currency' });

    expect(await model.snapshot()).toEqual(before);
    // The real payment still applies afterwards.
    await projection.handle(payment!);
    expect((await model.queries.plan(world.p.pd2)).instalments[0]).toMatchObject({ status: 'partly-paid', paid: { minor: 1_000, currency: 'USD' } });
  });

  it('keeps no free text: neither a cancellation’s reason nor an approval’s note', async () => {
    const { model } = await fedWith(realisticPlans());
    for (const text of ['Debtor declined the plan', 'Replaced by a settlement', 'Hardship documented', 'bereavement']) {
      expect({ text, columns: await model.columnsContaining(text) }).toEqual({ text, columns: [] });
    }
    // The scan does look: a proposer's id is found where it is kept.
    expect(await model.columnsContaining('collector-9')).toEqual(['plans.proposed_by']);
  });
});

// The plan streams and the account streams of each case, whichever arrives first; a plan snapshots the segments.
describeCaseSegments({
  name: 'PlansProjection',
  history: () => {
    const world = realisticPlans();
    return { events: world.events, ownStreams: world.planStreams, accountStreams: world.accountStreams };
  },
  readModel: () => createTestReadModel(),
  snapshots: 'plans',
  snapshotAt: (accountId, at) => {
    const plans = new PlanStream(new History(), undefined, accountId);
    plans.propose({ instalments: 3, firstDueDate: new Date(Date.parse(at) + 14 * 86_400_000).toISOString().slice(0, 10), at });
    return plans.events;
  },
});

// Fed again, replayed, rebuilt or duplicated, the projection writes the rows it wrote once.
describeProjectionReplays({
  name: 'PlansProjection',
  consumer: CONSUMER,
  history: realisticPlans,
  readModel: () => createTestReadModel(),
  later: (world) => [...world.d.plans.pay('ACH-D-1', 20_000, '2026-05-10'), world.a.account.riskTier('medium', 50, '2026-06-11T05:00:00.000Z')],
  recorded: (event) => event.type !== 'AccountFlagged',
});
