import { randomBytes, randomUUID } from 'node:crypto';
import { ErrorCode, type Role } from '@arrears/contracts';
import { CommandClient, QueryClient, type QueryAsker } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountPlaced, createTestSchema, databaseUrl, eventually, rejection, uniqueName, type TestSchema } from '@arrears/testing';
import { DEFAULT_COMPLIANCE_CONFIG } from './compliance';
import type { AccountBestTimeToCall, BestTimeToCall, CollectorDay, ComplianceReport, ContactHistoryPage, ContactRateByHour, RightPartyRates } from './read-models';
import { startContactAttemptsService, type ContactAttemptsService } from './service';

const PHONE = '+1 (312) 555-0199';
const DAY = '2026-11-30';

/**
 * The contact read models as the gateway asks them: queries over NATS (`<root>.qry.contact-attempts.<Query>`)
 * answered by the running service, after commands over NATS were projected through the relay.
 */
describe('contact queries over NATS', () => {
  let harness: RelayHarness;
  let schemas: TestSchema[] = [];
  let service: ContactAttemptsService;
  let commands: CommandClient;
  let queries: QueryClient;
  const asker: QueryAsker = { actorId: 'supervisor-3', actorRole: 'supervisor' };
  const accountId = randomUUID();
  const debtorId = randomUUID();
  const contactId = randomUUID();

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('contactq') });
    schemas = [await createTestSchema('contactq_keys'), await createTestSchema('contactq_read')];
    service = await startContactAttemptsService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: schemas[0]!.name,
      readSchema: schemas[1]!.name,
      masterKey: randomBytes(32),
      compliance: DEFAULT_COMPLIANCE_CONFIG,
      topology: harness.topology,
      nats: harness.nats,
      keyCacheTtlMs: 0,
    });
    (await harness.relay()).start();
    commands = new CommandClient({ connection: harness.nats, topology: harness.topology });
    queries = new QueryClient({ connection: harness.nats, topology: harness.topology });

    // A debtor in Chicago, reached at 10:00 local time; a complaint received the same day.
    const placed = accountPlaced(accountId, { debtorId, phones: [{ number: await service.vault.encrypt(debtorId, 'phone', PHONE), kind: 'mobile' }] });
    await harness.store.appendToStream(`account-${accountId}`, [placed], { expectedVersion: 'no_stream' });
    const send = (type: string, data: Record<string, unknown>, role: Role = 'collector') =>
      commands.send('contact-attempts', { type, data, metadata: { correlationId: randomUUID(), actorId: `${role}-7`, actorRole: role, now: `${DAY}T15:55:00.000Z` } });
    await send('RequestContact', { contactId, accountId, channel: 'call', target: { kind: 'phone', value: PHONE }, intendedAt: `${DAY}T16:00:00.000Z` });
    await send('RecordAttemptOutcome', { contactId, accountId, outcome: 'right-party-contact', durationSeconds: 240 });
    await send('RecordComplaint', { complaintId: randomUUID(), accountId, category: 'frequency', description: 'Called too often', receivedAt: `${DAY}T12:00:00.000Z` }, 'supervisor');
    await eventually(async () => {
      const page = await queries.ask<ContactHistoryPage>('contact-attempts', 'ContactHistory', { accountId }, asker);
      expect(page.rows.map((row) => row.outcome)).toEqual(['right-party-contact']);
    });
  });

  afterAll(async () => {
    await service?.close();
    await harness?.cleanup();
    for (const schema of schemas) await schema.drop();
  });

  const ask = <T>(query: string, params: Record<string, unknown>) => queries.ask<T>('contact-attempts', query, params, asker);
  const refused = (query: string, params: Record<string, unknown>) => rejection(ask(query, params));

  it("answers a case's contact history", async () => {
    const page = await ask<ContactHistoryPage>('ContactHistory', { accountId, limit: 10 });
    expect(page).toEqual({ rows: [expect.objectContaining({ contactId, accountId, debtorId, decision: 'allowed', outcome: 'right-party-contact', rightParty: true, localIntendedAt: `${DAY}T10:00:00` })], nextAfter: null });
    expect(JSON.stringify(page)).not.toMatch(/555.?0199/);
    expect(await ask('ContactHistory', { accountId: randomUUID() })).toEqual({ rows: [], nextAfter: null });
    await expect(refused('ContactHistory', { accountId: 'not-a-uuid' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'accountId' });
    await expect(refused('ContactHistory', { accountId, limit: 500 })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'limit' });
    await expect(refused('ContactHistory', { accountId, page: 2 })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'page' });
  });

  it("answers the collectors' days, in UTC or a local zone", async () => {
    const expected = { operatorId: 'collector-7', day: DAY, attempts: 1, blocked: 0, rightPartyContacts: 1, conversations: 1, promisesOffered: 0 };
    expect(await ask<CollectorDay[]>('CollectorDays', { from: DAY, to: DAY })).toEqual([expected]);
    expect(await ask<CollectorDay[]>('CollectorDays', { from: DAY, to: DAY, operatorId: 'collector-7', timeZone: 'America/Chicago' })).toEqual([expected]);
    await expect(refused('CollectorDays', { from: DAY, to: '2026-11-29' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'to' });
    await expect(refused('CollectorDays', { from: DAY, to: DAY, timeZone: 'Mars/Olympus' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'timeZone' });
  });

  it('answers the compliance report', async () => {
    const report = await ask<ComplianceReport>('ComplianceReport', { from: DAY, to: DAY, jurisdiction: 'US' });
    expect(report).toMatchObject({ from: DAY, to: DAY, contacts: { allowed: 1, blocked: 0 }, quietHours: { checked: 1, violations: 0 }, complaints: { received: 1, open: 1 } });
    await expect(refused('ComplianceReport', { to: DAY })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'from' });
    await expect(refused('ComplianceReport', { from: DAY, to: DAY, listLimit: -1 })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'listLimit' });
  });

  it('answers the right-party rates and the contact rate by local hour', async () => {
    expect(await ask<RightPartyRates>('RightPartyRates', { from: DAY, to: DAY })).toEqual({
      overall: { allowedCalls: 1, rightPartyContacts: 1, rate: 1 },
      byCollector: [{ operatorId: 'collector-7', allowedCalls: 1, rightPartyContacts: 1, rate: 1 }],
    });
    await expect(refused('RightPartyRates', { channel: 'pigeon' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'channel' });

    const byHour = await ask<ContactRateByHour>('ContactRateByHour', { operatorId: 'collector-7' });
    expect(byHour.hours).toHaveLength(24);
    expect(byHour.hours[10]).toEqual({ hour: 10, attempts: 1, connects: 1, rightPartyContacts: 1, connectRate: 1, rightPartyRate: 1 });
    await expect(refused('ContactRateByHour', { jurisdiction: 'usa' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'jurisdiction' });
  });

  it("narrows the leaderboard's metrics and the compliance report to the case's creditor and product", async () => {
    // The account is an Acme credit card: creditor and product come from its AccountPlaced, through a consumer of their own.
    const rates = (params: Record<string, unknown>) => ask<RightPartyRates>('RightPartyRates', { from: DAY, to: DAY, ...params });
    await eventually(async () => expect((await rates({ product: 'credit-card' })).overall.allowedCalls).toBe(1), { timeoutMs: 20_000 });
    expect((await rates({ creditorId: 'acme', product: 'credit-card', jurisdiction: 'US' })).byCollector).toEqual([{ operatorId: 'collector-7', allowedCalls: 1, rightPartyContacts: 1, rate: 1 }]);
    expect(await rates({ product: 'telecom' })).toEqual({ overall: { allowedCalls: 0, rightPartyContacts: 0, rate: null }, byCollector: [] });
    expect(await rates({ creditorId: 'globex' })).toEqual({ overall: { allowedCalls: 0, rightPartyContacts: 0, rate: null }, byCollector: [] });

    const expected = { operatorId: 'collector-7', day: DAY, attempts: 1, blocked: 0, rightPartyContacts: 1, conversations: 1, promisesOffered: 0 };
    expect(await ask<CollectorDay[]>('CollectorDays', { from: DAY, to: DAY, creditorId: 'acme' })).toEqual([expected]);
    expect(await ask<CollectorDay[]>('CollectorDays', { from: DAY, to: DAY, product: 'credit-card', timeZone: 'America/Chicago' })).toEqual([expected]);
    expect(await ask<CollectorDay[]>('CollectorDays', { from: DAY, to: DAY, product: 'telecom' })).toEqual([]);
    expect(await ask<CollectorDay[]>('CollectorDays', { from: DAY, to: DAY, creditorId: 'globex' })).toEqual([]);
    // The debtor's jurisdiction (US-IL): a country takes in its jurisdictions.
    for (const jurisdiction of ['US', 'US-IL']) expect(await ask<CollectorDay[]>('CollectorDays', { from: DAY, to: DAY, jurisdiction })).toEqual([expected]);
    for (const jurisdiction of ['CN', 'US-CA']) expect(await ask<CollectorDay[]>('CollectorDays', { from: DAY, to: DAY, jurisdiction })).toEqual([]);
    await expect(refused('CollectorDays', { from: DAY, to: DAY, jurisdiction: 'usa' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'jurisdiction' });

    const report = (params: Record<string, unknown>) => ask<ComplianceReport>('ComplianceReport', { from: DAY, to: DAY, ...params });
    expect(await report({ creditorId: 'acme', product: 'credit-card' })).toMatchObject({
      creditorId: 'acme',
      product: 'credit-card',
      contacts: { allowed: 1, blocked: 0 },
      quietHours: { checked: 1 },
      complaints: { received: 1, open: 1 },
    });
    // Nothing of Globex's nor of telecom accounts: the contact and the complaint are both left out.
    for (const params of [{ creditorId: 'globex' }, { product: 'telecom' }, { creditorId: 'acme', product: 'telecom' }]) {
      expect(await report(params)).toMatchObject({ contacts: { allowed: 0, blocked: 0 }, quietHours: { checked: 0 }, complaints: { received: 0, open: 0 } });
    }
    await expect(refused('ComplianceReport', { from: DAY, to: DAY, product: 'yacht' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'product' });
    await expect(refused('RightPartyRates', { creditorId: '' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'creditorId' });
  }, 30_000);

  it('answers the best time to call, per debtor and for the debtor of a case', async () => {
    const best = { debtorId, hour: 10, timeZone: 'America/Chicago', rightPartyContacts: 1, lastRightPartyContactAt: `${DAY}T16:00:00.000Z` };
    const unknown = randomUUID();
    expect(await ask<BestTimeToCall[]>('BestTimesToCall', { debtorIds: [unknown, debtorId] })).toEqual([
      { debtorId: unknown, hour: null, timeZone: null, rightPartyContacts: 0, lastRightPartyContactAt: null },
      best,
    ]);
    await expect(refused('BestTimesToCall', { debtorIds: [debtorId, 'nope'] })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'debtorIds[1]' });

    expect(await ask<AccountBestTimeToCall>('BestTimeToCall', { accountId })).toEqual({ accountId, ...best });
    const uncontacted = randomUUID();
    expect(await ask<AccountBestTimeToCall>('BestTimeToCall', { accountId: uncontacted })).toEqual({
      accountId: uncontacted,
      debtorId: null,
      hour: null,
      timeZone: null,
      rightPartyContacts: 0,
      lastRightPartyContactAt: null,
    });
    await expect(refused('BestTimeToCall', { accountId, debtorId })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'debtorId' });
  });
});
