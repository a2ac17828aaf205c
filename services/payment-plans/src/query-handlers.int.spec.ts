import { randomBytes, randomUUID } from 'node:crypto';
import { ErrorCode } from '@arrears/contracts';
import { CommandClient, QueryClient, type QueryAsker } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountPlaced, createTestSchema, databaseUrl, eventually, rejection, uniqueName, type TestSchema } from '@arrears/testing';
import { DEFAULT_PLAN_POLICY } from './plan/domain/policy';
import { instalmentTimerId } from './plan/plan-timers';
import type { InstalmentPage, MissedInstalmentView, OverdueInstalmentView, PlanDetail, PlanPage, PlanPerformance, PlanView } from './read-models';
import { startPlansService, type PlansService } from './service';

/**
 * The plan read models as the gateway asks them: queries over NATS (`<root>.qry.payment-plans.<Query>`) answered by
 * the running service, after plans proposed and accepted over NATS, and an instalment missed by its timer, were
 * projected through the relay.
 */
describe('plan queries over NATS', () => {
  let harness: RelayHarness;
  const schemas: TestSchema[] = [];
  let service: PlansService;
  let queries: QueryClient;
  let now = new Date('2026-11-30T15:00:00.000Z');
  const asker: QueryAsker = { actorId: 'supervisor-3', actorRole: 'supervisor' };
  /** Four monthly instalments of 200.00 from 15 December, accepted; the first is missed. */
  const running = { accountId: randomUUID(), planId: randomUUID() };
  /** A settlement beyond a collector's limits, waiting for approval. */
  const waiting = { accountId: randomUUID(), planId: randomUUID() };

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('plansq') });
    schemas.push(await createTestSchema('plansq_keys'), await createTestSchema('plansq_read'), await createTestSchema('plansq_timers'));
    service = await startPlansService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: schemas[0]!.name,
      readSchema: schemas[1]!.name,
      timerSchema: schemas[2]!.name,
      masterKey: randomBytes(32),
      policy: DEFAULT_PLAN_POLICY,
      topology: harness.topology,
      nats: harness.nats,
      clock: () => now,
      // The test fires timers itself with pollOnce.
      timerPollIntervalMs: 3_600_000,
    });
    (await harness.relay()).start();
    const commands = new CommandClient({ connection: harness.nats, topology: harness.topology });
    queries = new QueryClient({ connection: harness.nats, topology: harness.topology });
    const send = (type: string, data: Record<string, unknown>, actorId: string) =>
      commands.send('payment-plans', { type, data, metadata: { correlationId: randomUUID(), actorId, actorRole: 'collector', now: now.toISOString() } });

    for (const { accountId } of [running, waiting]) await harness.store.appendToStream(`account-${accountId}`, [accountPlaced(accountId)], { expectedVersion: 'no_stream' });
    await send('ProposePlan', { ...running, instalments: 4, frequency: 'monthly', firstDueDate: '2026-12-15' }, 'collector-7');
    await send('AcceptPlan', { ...running, commitment: { documentId: 'doc-0042', sha256: 'c'.repeat(64) } }, 'collector-7');
    await send('ProposePlan', { ...waiting, instalments: 3, frequency: 'monthly', firstDueDate: '2026-12-20', options: { settlement: { amount: { minor: 64_000, currency: 'USD' } } } }, 'collector-8');
    await eventually(async () => expect((await service.timers.get(instalmentTimerId(running.planId, 1)))?.status).toBe('pending'));
    // Grace (5 days) ends unpaid: the first instalment is missed.
    now = new Date('2026-12-21T00:00:00.000Z');
    expect(await service.poller.pollOnce()).toBe(1);
    await eventually(async () => expect((await ask<PlanDetail>('Plan', { planId: running.planId })).instalments[0]?.status).toBe('missed'));
    await eventually(async () => expect(await ask<PlanView[]>('AccountPlans', { accountId: waiting.accountId })).toHaveLength(1));
  });

  afterAll(async () => {
    await service?.close();
    await harness?.cleanup();
    for (const schema of schemas) await schema.drop();
  });

  const ask = <T>(query: string, params: Record<string, unknown>) => queries.ask<T>('payment-plans', query, params, asker);
  const refused = (query: string, params: Record<string, unknown>) => rejection(ask(query, params));

  it('answers the active plans, narrowed by status or proposer', async () => {
    const all = await ask<PlanPage>('ActivePlans', {});
    expect(all.rows.map((plan) => [plan.planId, plan.status]).sort()).toEqual(
      [
        [running.planId, 'running'],
        [waiting.planId, 'awaiting-approval'],
      ].sort(),
    );
    expect((await ask<PlanPage>('ActivePlans', { status: 'awaiting-approval' })).rows.map((plan) => plan.planId)).toEqual([waiting.planId]);
    expect((await ask<PlanPage>('ActivePlans', { proposedBy: 'collector-7' })).rows.map((plan) => plan.planId)).toEqual([running.planId]);
    await expect(refused('ActivePlans', { status: 'completed' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'status' });
  });

  it("answers one plan — NOT_FOUND when there is none, or it is another case's — and a case's plans", async () => {
    const plan = await ask<PlanDetail>('Plan', { ...running });
    expect(plan).toMatchObject({ ...running, status: 'running', total: { minor: 80_000, currency: 'USD' }, proposedBy: 'collector-7', missedUnpaid: 1 });
    expect(plan.instalments.map((instalment) => [instalment.number, instalment.dueDate, instalment.status])).toEqual([
      [1, '2026-12-15', 'missed'],
      [2, '2027-01-15', 'upcoming'],
      [3, '2027-02-15', 'upcoming'],
      [4, '2027-03-15', 'upcoming'],
    ]);
    await expect(refused('Plan', { planId: running.planId, accountId: waiting.accountId })).resolves.toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'planId' });
    await expect(refused('Plan', { planId: randomUUID() })).resolves.toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'planId' });
    await expect(refused('Plan', { planId: 'nope' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'planId' });

    expect(await ask<PlanView[]>('AccountPlans', { accountId: waiting.accountId })).toEqual([
      expect.objectContaining({ ...waiting, status: 'awaiting-approval', awaitingApproval: ['settlement'], proposedBy: 'collector-8' }),
    ]);
    expect(await ask('AccountPlans', { accountId: randomUUID() })).toEqual([]);
    await expect(refused('AccountPlans', { accountId: 'nope' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'accountId' });
  });

  it('answers the instalments due between two days, or on one', async () => {
    const between = await ask<InstalmentPage>('InstalmentsDue', { from: '2027-01-01', to: '2027-02-28' });
    expect(between.rows.map((row) => [row.planId, row.number])).toEqual([
      [running.planId, 2],
      [running.planId, 3],
    ]);
    const firstPage = await ask<InstalmentPage>('InstalmentsDue', { from: '2027-01-01', to: '2027-02-28', limit: 1 });
    expect(firstPage.nextAfter).toEqual({ planId: running.planId, number: 2 });
    expect((await ask<InstalmentPage>('InstalmentsDue', { from: '2027-01-01', to: '2027-02-28', after: firstPage.nextAfter })).rows.map((row) => row.number)).toEqual([3]);
    expect((await ask<InstalmentPage>('InstalmentsDue', { from: '2027-01-15' })).rows.map((row) => row.number)).toEqual([2]);
    await expect(refused('InstalmentsDue', { to: '2027-01-15' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'from' });
    await expect(refused('InstalmentsDue', { from: '2027-02-01', to: '2027-01-01' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'to' });
  });

  it('answers the overdue and the missed instalments', async () => {
    const overdue = await ask<InstalmentPage<OverdueInstalmentView>>('InstalmentsOverdue', { day: '2026-12-21' });
    expect(overdue.rows.map((row) => [row.planId, row.number, row.daysOverdue, row.inGrace])).toEqual([[running.planId, 1, 6, false]]);
    await expect(refused('InstalmentsOverdue', { day: '2026-12-21', after: { planId: running.planId } })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'after.number' });

    const missed = await ask<InstalmentPage<MissedInstalmentView>>('InstalmentsMissed', { proposedBy: 'collector-7' });
    expect(missed).toEqual({ rows: [expect.objectContaining({ ...running, number: 1, status: 'missed', missedUnpaid: 1, missedToDefault: 2 })], nextAfter: null });
    expect(await ask('InstalmentsMissed', { proposedBy: 'collector-8' })).toEqual({ rows: [], nextAfter: null });
    await expect(refused('InstalmentsMissed', { currency: 'dollars' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'currency' });
  });

  it('answers plan performance per proposer', async () => {
    const performance = await ask<PlanPerformance>('PlanPerformance', { groupBy: 'proposer', from: '2026-11-30', to: '2026-11-30' });
    expect(performance.groups.map((group) => [group.key, group.proposed, group.pending, group.accepted, group.running, group.instalments.missed])).toEqual([
      ['collector-7', 1, 0, 1, 1, 1],
      ['collector-8', 1, 1, 0, 0, 0],
    ]);
    await expect(refused('PlanPerformance', {})).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'groupBy' });
  });
});
