import { randomBytes, randomUUID } from 'node:crypto';
import { caseWorkflow, EventCatalog, type Role } from '@arrears/contracts';
import { CommandClient } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountEvent, accountPlaced, createTestSchema, databaseUrl, eventually, paymentPosted, storedEvent, uniqueName, type TestSchema } from '@arrears/testing';
import { signerFromEnv } from './evidence';
import { startLegalService, type LegalService } from './service';

const CASES = new EventCatalog(caseWorkflow.CASE_EVENTS);

/**
 * The legal-escalation service as it runs — the relay, NATS, its FixEvidence sent to itself, the case index fed by
 * every event — with the timers' clock in the test's hand.
 */
describe('the 48-hour handoff over NATS, with a signed evidence package', () => {
  let harness: RelayHarness;
  const schemas: TestSchema[] = [];
  const running: LegalService[] = [];
  let client: CommandClient;
  const requestedAt = '2026-12-01T10:00:00.000Z';
  let now = new Date(requestedAt);
  const signer = signerFromEnv({ NODE_ENV: 'test' });

  async function start(): Promise<LegalService> {
    const service = await startLegalService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: schemas[0]!.name,
      readSchema: schemas[1]!.name,
      timerSchema: schemas[2]!.name,
      evidenceSchema: schemas[3]!.name,
      masterKey: randomBytes(32),
      signer,
      topology: harness.topology,
      nats: harness.nats,
      clock: () => now,
      deliveryClock: () => now,
      timerPollIntervalMs: 3_600_000,
    });
    running.push(service);
    return service;
  }

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('legal') });
    for (const name of ['legal_keys', 'legal_read', 'legal_timers', 'legal_evidence']) schemas.push(await createTestSchema(name));
    (await harness.relay()).start();
    client = new CommandClient({ connection: harness.nats, topology: harness.topology });
  });

  afterAll(async () => {
    for (const service of running) await service.close();
    await harness?.cleanup();
    for (const schema of schemas) await schema.drop();
  });

  const send = <Result>(type: string, data: Record<string, unknown>, role: Role = 'legal') =>
    client.send<Result>('legal-escalation', { type, data, metadata: { correlationId: randomUUID(), actorId: `${role}-1`, actorRole: role, now: now.toISOString() } });
  const legalEvents = async (accountId: string) => (await harness.store.readStream(`legal-${accountId}`)).map((event) => event.type).filter((type) => !type.startsWith('Saga'));

  async function escalatedCase(accountId: string): Promise<void> {
    await harness.store.appendToStream(`account-${accountId}`, [accountPlaced(accountId), paymentPosted(accountId, { reference: 'BANK-1', minor: 5_000, receivedOn: '2026-11-20', principalAfter: 75_000 })], { expectedVersion: 'no_stream' });
    await harness.store.appendToStream(
      `case-${accountId}`,
      [storedEvent(CASES.encode({ type: 'LegalEscalationRequested', data: { caseId: accountId, accountId, reasons: ['120 days past due with 2 broken promises'], requestedBy: 'system:case-workflow' } }), accountId, { occurredAt: requestedAt, actorId: 'system:case-workflow' })],
      { expectedVersion: 'no_stream' },
    );
  }

  it('fixes and delivers the package, reminds at 24 and 36 hours, is overdue at 48 — exactly, once, across a restart', async () => {
    let service = await start();
    const accountId = randomUUID();
    await escalatedCase(accountId);
    await eventually(async () => expect(await legalEvents(accountId)).toEqual(['HandoffStarted', 'EvidenceFixed', 'LegalPackageDelivered']), { timeoutMs: 30_000 });
    const delivered = (await harness.store.readStream(`legal-${accountId}`)).find((event) => event.type === 'LegalPackageDelivered')!;
    const packageId = String(delivered.data['packageId']);
    expect(await service.packages.get(packageId)).toBeDefined();
    // The three deadlines are set when the runtime carries out the stored SagaTimerSet events, through the relay.
    await eventually(async () => expect(await service.timers.pending('legal-escalation', accountId)).toHaveLength(3), { timeoutMs: 20_000 });

    const at = (hours: number, ms = 0) => new Date(Date.parse(requestedAt) + hours * 3_600_000 + ms);
    now = at(24, -1);
    expect(await service.poller.pollOnce()).toBe(0);
    now = at(24);
    expect(await service.poller.pollOnce()).toBe(1);
    service = await (async () => {
      await service.close();
      running.splice(running.indexOf(service), 1);
      return start();
    })();
    now = at(36);
    expect(await service.poller.pollOnce()).toBe(1);
    now = at(48);
    expect(await service.poller.pollOnce()).toBe(1);
    expect(await service.poller.pollOnce()).toBe(0);
    expect(await legalEvents(accountId)).toEqual(['HandoffStarted', 'EvidenceFixed', 'LegalPackageDelivered', 'HandoffReminderSent', 'HandoffReminderSent', 'LegalHandoffOverdue']);

    // Legal acknowledges, then reports the action filed; the package verifies against the store as it is now.
    await send('AcknowledgeHandoff', { accountId, packageId });
    await send('ReportLitigationStatus', { accountId, status: 'filed' });
    expect((await legalEvents(accountId)).slice(-2)).toEqual(['HandoffAcknowledged', 'LitigationStatusReported']);
    const report = await send<{ ok: boolean }>('VerifyPackage', { packageId });
    expect(report).toMatchObject({ ok: true });
    await expect(send('VerifyPackage', { packageId }, 'collector')).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'metadata.actorRole' });
  });

  it('refuses the handoff when a hold applies, naming it', async () => {
    if (running.length === 0) await start();
    const accountId = randomUUID();
    await harness.store.appendToStream(`account-${accountId}`, [accountPlaced(accountId), accountEvent({ type: 'AccountFlagged', data: { accountId, flag: 'bankruptcy', reason: 'chapter 7 filed' } })], { expectedVersion: 'no_stream' });
    await harness.store.appendToStream(
      `case-${accountId}`,
      [storedEvent(CASES.encode({ type: 'LegalEscalationRequested', data: { caseId: accountId, accountId, reasons: ['2 payment plans defaulted'], requestedBy: 'system:case-workflow' } }), accountId, { occurredAt: requestedAt })],
      { expectedVersion: 'no_stream' },
    );
    await eventually(async () => expect(await legalEvents(accountId)).toEqual(['HandoffStarted', 'HandoffRefused']), { timeoutMs: 30_000 });
    const refused = (await harness.store.readStream(`legal-${accountId}`)).find((event) => event.type === 'HandoffRefused')!;
    expect(String(refused.data['reason'])).toContain('bankruptcy');
  });
});
