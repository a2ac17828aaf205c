import { randomBytes, randomUUID } from 'node:crypto';
import { ErrorCode, type Role } from '@arrears/contracts';
import { CommandClient } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountPlaced, createTestSchema, databaseUrl, eventually, paymentPosted, uniqueName, type TestSchema } from '@arrears/testing';
import { DEFAULT_PLAN_POLICY } from './plan/domain/policy';
import { instalmentTimerId } from './plan/plan-timers';
import { startPlansService, type PlansService } from './service';

/**
 * The payment-plans service as it runs — commands over NATS, its events through the relay to its timer follower,
 * accounts' payments from JetStream — with the timers' clock in the test's hand.
 */
describe('payment plans over NATS, with durable instalment timers', () => {
  let harness: RelayHarness;
  const schemas: TestSchema[] = [];
  const running: PlansService[] = [];
  let client: CommandClient;
  let now = new Date('2026-11-30T15:00:00.000Z');

  async function start(): Promise<PlansService> {
    const service = await startPlansService({
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
      // The test fires timers itself with pollOnce, at the instants it chooses.
      timerPollIntervalMs: 3_600_000,
    });
    running.push(service);
    return service;
  }

  async function restart(service: PlansService): Promise<PlansService> {
    await service.close();
    running.splice(running.indexOf(service), 1);
    return start();
  }

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('plans') });
    schemas.push(await createTestSchema('plans_keys'), await createTestSchema('plans_read'), await createTestSchema('plans_timers'));
    (await harness.relay()).start();
    client = new CommandClient({ connection: harness.nats, topology: harness.topology });
  });

  afterAll(async () => {
    for (const service of running) await service.close();
    await harness?.cleanup();
    for (const schema of schemas) await schema.drop();
  });

  const send = (type: string, data: Record<string, unknown>, as: { actorId: string; actorRole: Role } = { actorId: 'collector-7', actorRole: 'collector' }) =>
    client.send<{ events: { type: string }[] }>('payment-plans', { type, data, metadata: { correlationId: randomUUID(), ...as, now: now.toISOString() } });
  const planEvents = async (accountId: string) => (await harness.store.readStream(`plan-${accountId}`)).map((event) => event.type);
  const timerStatus = async (service: PlansService, planId: string, number: number) => (await service.timers.get(instalmentTimerId(planId, number)))?.status;
  const commitment = { documentId: 'doc-0042', sha256: 'c'.repeat(64) };

  /** An account owing 800.00, and a plan of four monthly 200.00 instalments from 15 December, accepted. */
  async function runningPlan(service: PlansService): Promise<{ accountId: string; planId: string }> {
    const accountId = randomUUID();
    const planId = randomUUID();
    await harness.store.appendToStream(`account-${accountId}`, [accountPlaced(accountId)], { expectedVersion: 'no_stream' });
    await send('ProposePlan', { planId, accountId, instalments: 4, frequency: 'monthly', firstDueDate: '2026-12-15' });
    await send('AcceptPlan', { planId, accountId, commitment });
    await eventually(async () => expect(await timerStatus(service, planId, 4)).toBe('pending'));
    return { accountId, planId };
  }

  it('misses an instalment when its grace ends exactly, once across a restart, and defaults at the second miss', async () => {
    now = new Date('2026-11-30T15:00:00.000Z');
    let service = await start();
    const { accountId, planId } = await runningPlan(service);
    expect((await service.timers.get(instalmentTimerId(planId, 2)))?.fireAt).toBe('2027-01-21T00:00:00.000Z');

    // Instalment 1 is paid by a payment accounts posted: its timer is cancelled.
    await harness.store.appendToStream(`account-${accountId}`, [paymentPosted(accountId, { reference: 'BANK-1', minor: 20_000, receivedOn: '2026-12-14', principalAfter: 60_000 })], { expectedVersion: 'any' });
    await eventually(async () => expect(await planEvents(accountId)).toEqual(['PlanProposed', 'PlanAccepted', 'InstalmentPaid']));
    await eventually(async () => expect(await timerStatus(service, planId, 1)).toBe('cancelled'));

    now = new Date('2027-01-20T23:59:59.999Z');
    expect(await service.poller.pollOnce()).toBe(0);
    // Restart between instalment 2's due date and the end of its grace: the new instance fires it once.
    service = await restart(service);
    now = new Date('2027-01-21T00:00:00.000Z');
    expect(await service.poller.pollOnce()).toBe(1);
    expect(await service.poller.pollOnce()).toBe(0);
    expect(await planEvents(accountId)).toEqual(['PlanProposed', 'PlanAccepted', 'InstalmentPaid', 'InstalmentMissed']);

    now = new Date('2027-02-21T00:00:00.000Z');
    expect(await service.poller.pollOnce()).toBe(1);
    expect(await planEvents(accountId)).toEqual(['PlanProposed', 'PlanAccepted', 'InstalmentPaid', 'InstalmentMissed', 'InstalmentMissed', 'PlanDefaulted']);
    // The plan is over: the last instalment's timer is cancelled and never fires.
    await eventually(async () => expect(await timerStatus(service, planId, 4)).toBe('cancelled'));
    now = new Date('2027-03-22T00:00:00.000Z');
    expect(await service.poller.pollOnce()).toBe(0);
  });

  it('a payment that pays every instalment completes the plan and cancels its timers; a redelivery changes nothing', async () => {
    now = new Date('2026-11-30T15:00:00.000Z');
    const service = running[0] ?? (await start());
    const { accountId, planId } = await runningPlan(service);
    const payment = paymentPosted(accountId, { reference: 'BANK-ALL', minor: 80_000, receivedOn: '2026-12-01', principalAfter: 0 });
    await harness.store.appendToStream(`account-${accountId}`, [payment], { expectedVersion: 'any' });
    await eventually(async () =>
      expect(await planEvents(accountId)).toEqual(['PlanProposed', 'PlanAccepted', 'InstalmentPaid', 'InstalmentPaid', 'InstalmentPaid', 'InstalmentPaid', 'PlanCompleted']),
    );
    await eventually(async () => expect(await Promise.all([1, 2, 3, 4].map((number) => timerStatus(service, planId, number)))).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']));
    // The same PaymentPosted delivered again (a republish after a crash): the same command id, nothing appended.
    const [stored] = (await harness.store.readStream(`account-${accountId}`)).filter((event) => event.type === 'PaymentPosted');
    await service.commands.applyPayment(stored!, { type: 'ApplyPayment', data: { accountId, paymentReference: 'BANK-ALL', amount: { minor: 80_000, currency: 'USD' }, receivedOn: '2026-12-01' } });
    expect(await planEvents(accountId)).toHaveLength(7);
  });

  it('options beyond the proposer’s limits wait for a supervisor; refusals come back with their code and field', async () => {
    now = new Date('2026-11-30T15:00:00.000Z');
    if (running.length === 0) await start();
    const accountId = randomUUID();
    const planId = randomUUID();
    await harness.store.appendToStream(`account-${accountId}`, [accountPlaced(accountId)], { expectedVersion: 'no_stream' });
    const proposal = await send('ProposePlan', { planId, accountId, instalments: 3, frequency: 'monthly', firstDueDate: '2026-12-15', options: { settlement: { amount: { minor: 64_000, currency: 'USD' } } } });
    expect(proposal.events.map((event) => event.type)).toEqual(['PlanProposed']);
    await expect(send('AcceptPlan', { planId, accountId, commitment })).rejects.toMatchObject({ code: ErrorCode.STATE_CONFLICT, field: 'data.planId' });
    await expect(send('ApprovePlan', { planId, accountId })).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN, field: 'metadata.actorId' });
    expect((await send('ApprovePlan', { planId, accountId }, { actorId: 'supervisor-2', actorRole: 'supervisor' })).events.map((event) => event.type)).toEqual(['PlanApproved']);
    expect((await send('AcceptPlan', { planId, accountId, commitment })).events.map((event) => event.type)).toEqual(['PlanAccepted']);
    await expect(send('ProposePlan', { planId: randomUUID(), accountId, instalments: 0, frequency: 'monthly', firstDueDate: '2026-12-15' })).rejects.toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      field: 'data.instalments',
    });
  });
});
