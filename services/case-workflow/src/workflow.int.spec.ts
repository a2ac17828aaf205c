import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@arrears/contracts';
import { CommandClient } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountPlaced, createTestSchema, databaseUrl, eventually, uniqueName, type TestSchema } from '@arrears/testing';
import { DEFAULT_WORKFLOW_POLICY } from './case/domain/policy';
import { DEFAULT_ROSTER_POLICY } from './roster/domain/policy';
import { startWorkflowService, type WorkflowService } from './service';

/**
 * The case-workflow service as it runs — the relay, NATS, the roster answering the saga's commands, durable
 * timers — with the timers' clock in the test's hand.
 */
describe('the case saga over NATS, with its roster and durable deadlines', () => {
  let harness: RelayHarness;
  const schemas: TestSchema[] = [];
  const running: WorkflowService[] = [];
  let client: CommandClient;
  let now = new Date('2026-11-30T09:00:00.000Z');

  async function start(): Promise<WorkflowService> {
    const service = await startWorkflowService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: schemas[0]!.name,
      readSchema: schemas[1]!.name,
      timerSchema: schemas[2]!.name,
      masterKey: randomBytes(32),
      policy: DEFAULT_WORKFLOW_POLICY,
      rosterPolicy: DEFAULT_ROSTER_POLICY,
      topology: harness.topology,
      nats: harness.nats,
      clock: () => now,
      timerPollIntervalMs: 3_600_000,
    });
    running.push(service);
    return service;
  }

  async function restart(service: WorkflowService): Promise<WorkflowService> {
    await service.close();
    running.splice(running.indexOf(service), 1);
    return start();
  }

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('workflow') });
    schemas.push(await createTestSchema('workflow_keys'), await createTestSchema('workflow_read'), await createTestSchema('workflow_timers'));
    (await harness.relay()).start();
    client = new CommandClient({ connection: harness.nats, topology: harness.topology });
  });

  afterAll(async () => {
    for (const service of running) await service.close();
    await harness?.cleanup();
    for (const schema of schemas) await schema.drop();
  });

  const send = (type: string, data: Record<string, unknown>, role: Role = 'supervisor') =>
    client.send('case-workflow', { type, data, metadata: { correlationId: randomUUID(), actorId: `${role}-1`, actorRole: role, now: now.toISOString() } });
  const caseEvents = async (accountId: string) => (await harness.store.readStream(`case-${accountId}`)).map((event) => event.type);
  const assignments = async (caseId: string) => (await harness.store.readStream('roster-main')).filter((event) => event.type === 'CaseAssigned' && event.data['caseId'] === caseId);

  it('opens and assigns a case; its first-attempt deadline fires once, exactly on time, across a restart', async () => {
    let service = await start();
    await send('RegisterCollector', { collectorId: 'collector-7', name: 'Jo Collector', specialties: ['credit-card'], capacity: 10 });
    const accountId = randomUUID();
    await harness.store.appendToStream(`account-${accountId}`, [{ ...accountPlaced(accountId), occurredAt: now.toISOString() }], { expectedVersion: 'no_stream' });

    // The saga opens the case and asks the roster (over NATS) for a collector; the roster's CaseAssigned comes back.
    await eventually(async () => expect(await caseEvents(accountId)).toContain('ChecklistDeadlineSet'), { timeoutMs: 20_000 });
    expect(await assignments(accountId)).toHaveLength(1);
    expect((await assignments(accountId))[0]!.data).toMatchObject({ collectorId: 'collector-7', reason: 'new-case' });
    const due = (await harness.store.readStream(`case-${accountId}`)).find((event) => event.type === 'ChecklistDeadlineSet')!.data['dueAt'] as string;
    // The timer is set when the runtime carries out the stored SagaTimerSet, through the relay.
    await eventually(async () => expect((await service.timers.pending('case-workflow', accountId)).map((timer) => timer.fireAt)).toContain(due), { timeoutMs: 20_000 });

    now = new Date(Date.parse(due) - 1);
    expect(await service.poller.pollOnce()).toBe(0);
    service = await restart(service);
    now = new Date(due);
    expect(await service.poller.pollOnce()).toBe(1);
    expect(await service.poller.pollOnce()).toBe(0);
    const missed = (await harness.store.readStream(`case-${accountId}`)).filter((event) => event.type === 'DeadlineMissed');
    expect(missed.map((event) => event.data['item'])).toEqual(['first-attempt']);
    expect(missed[0]!.data).toMatchObject({ collectorId: 'collector-7', alerted: ['supervisor', 'collector'] });
    // The restart redelivered nothing into a second assignment: the AssignCase command id is derived, the roster saw it once.
    expect(await assignments(accountId)).toHaveLength(1);
  });

  it('a supervisor flagging wilful default sends the case to legal; the roster releases it', async () => {
    if (running.length === 0) await start();
    const accountId = randomUUID();
    await harness.store.appendToStream(`account-${accountId}`, [{ ...accountPlaced(accountId), occurredAt: now.toISOString() }], { expectedVersion: 'no_stream' });
    await eventually(async () => expect(await assignments(accountId)).toHaveLength(1), { timeoutMs: 20_000 });
    await send('FlagWilfulDefault', { accountId, reason: 'assets moved to a relative' });
    await eventually(async () => expect(await caseEvents(accountId)).toEqual(expect.arrayContaining(['LegalEscalationRequested', 'SagaCommandIssued'])));
    await eventually(async () => expect((await harness.store.readStream('roster-main')).some((event) => event.type === 'CaseReleased' && event.data['caseId'] === accountId)).toBe(true), { timeoutMs: 20_000 });
    await expect(send('FlagWilfulDefault', { accountId: randomUUID(), reason: 'no such case' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
