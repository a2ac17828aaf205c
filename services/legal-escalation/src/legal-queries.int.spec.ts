import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { caseWorkflow, ErrorCode, EventCatalog } from '@arrears/contracts';
import { QueryClient, type QueryAsker } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountEvent, accountPlaced, createTestSchema, databaseUrl, eventually, rejection, storedEvent, uniqueName, type TestSchema } from '@arrears/testing';
import { ITEM_NAMES, signerFromEnv } from './evidence';
import type { PackageFilePart, PackageView } from './evidence/package-downloads';
import type { EscalationAgeView, EscalationView, HandoffTimes, Page, StatusCount } from './read-models';
import { startLegalService, type LegalService } from './service';

const CASES = new EventCatalog(caseWorkflow.CASE_EVENTS);
const HOUR = 3_600_000;
const LEGAL: QueryAsker = { actorId: 'legal-1', actorRole: 'legal' };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The read models and the evidence packages answered over NATS, as the gateway asks them: the service as it runs
 * (relay, handoff saga, FixEvidence, case index), one case escalated and its package delivered, one refused for a hold;
 * every query through `QueryClient`.
 */
describe('the legal-escalation queries over NATS', () => {
  let harness: RelayHarness;
  const schemas: TestSchema[] = [];
  let service: LegalService;
  let queries: QueryClient;
  const requestedAt = '2026-12-01T10:00:00.000Z';
  const now = new Date(requestedAt);
  const delivered = randomUUID();
  const refused = randomUUID();
  let packageId: string;

  const ask = <Result>(query: string, params: Record<string, unknown>, asker: QueryAsker = LEGAL) => queries.ask<Result>('legal-escalation', query, params, asker);
  const refusal = (query: string, params: Record<string, unknown>) => rejection(ask(query, params));
  const legalEvents = async (accountId: string) => (await harness.store.readStream(`legal-${accountId}`)).map((event) => event.type).filter((type) => !type.startsWith('Saga'));

  /**
   * The case saga's LegalEscalationRequested for an account placed (and, for `flag`, flagged) before: Acme's, of a
   * debtor in Illinois, or for a flagged one Globex's, of a debtor in California.
   */
  async function escalate(accountId: string, flag?: 'bankruptcy'): Promise<void> {
    const placed = accountPlaced(accountId, flag === undefined ? {} : { jurisdiction: 'US-CA', timeZone: 'America/Los_Angeles' });
    const placement = flag === undefined ? placed : { ...placed, data: { ...placed.data, creditor: { creditorId: 'globex', name: 'Globex' } } };
    const account = [placement, ...(flag === undefined ? [] : [accountEvent({ type: 'AccountFlagged', data: { accountId, flag, reason: 'chapter 7 filed' } })])];
    await harness.store.appendToStream(`account-${accountId}`, account, { expectedVersion: 'no_stream' });
    const requested = CASES.encode({ type: 'LegalEscalationRequested', data: { caseId: accountId, accountId, reasons: ['120 days past due with 2 broken promises'], requestedBy: 'system:case-workflow' } });
    await harness.store.appendToStream(`case-${accountId}`, [storedEvent(requested, accountId, { occurredAt: requestedAt, actorId: 'system:case-workflow' })], { expectedVersion: 'no_stream' });
  }

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('legalq') });
    for (const name of ['legalq_keys', 'legalq_read', 'legalq_timers', 'legalq_evidence']) schemas.push(await createTestSchema(name));
    (await harness.relay()).start();
    queries = new QueryClient({ connection: harness.nats, topology: harness.topology });
    service = await startLegalService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: schemas[0]!.name,
      readSchema: schemas[1]!.name,
      timerSchema: schemas[2]!.name,
      evidenceSchema: schemas[3]!.name,
      masterKey: randomBytes(32),
      signer: signerFromEnv({ NODE_ENV: 'test' }),
      topology: harness.topology,
      nats: harness.nats,
      clock: () => now,
      deliveryClock: () => new Date(Date.parse(requestedAt) + 2 * HOUR),
      timerPollIntervalMs: 3_600_000,
    });
    await escalate(delivered);
    await escalate(refused, 'bankruptcy');
    await eventually(async () => expect(await legalEvents(delivered)).toEqual(['HandoffStarted', 'EvidenceFixed', 'LegalPackageDelivered']), { timeoutMs: 30_000 });
    await eventually(async () => expect(await legalEvents(refused)).toEqual(['HandoffStarted', 'HandoffRefused']), { timeoutMs: 30_000 });
    packageId = String((await harness.store.readStream(`legal-${delivered}`)).find((event) => event.type === 'LegalPackageDelivered')!.data['packageId']);
    await eventually(async () => {
      expect(await service.queries.escalation(delivered)).toMatchObject({ status: 'delivered' });
      expect(await service.queries.escalation(refused)).toMatchObject({ status: 'refused' });
    });
  }, 90_000);

  afterAll(async () => {
    await service?.close();
    await harness?.cleanup();
    for (const schema of schemas) await schema.drop();
  });

  it('Escalation answers one case’s handoff: NOT_FOUND naming caseId or handoff, VALIDATION_FAILED naming the field', async () => {
    await expect(ask<EscalationView>('Escalation', { caseId: delivered })).resolves.toMatchObject({
      caseId: delivered,
      handoff: 1,
      status: 'delivered',
      requestedBy: 'system:case-workflow',
      requestedAt,
      deadlineAt: '2026-12-03T10:00:00.000Z',
      packageId,
      hoursToDelivery: 2,
    });
    await expect(ask<EscalationView>('Escalation', { caseId: refused, handoff: 1 })).resolves.toMatchObject({ status: 'refused' });
    await expect(refusal('Escalation', { caseId: randomUUID() })).resolves.toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'caseId' });
    await expect(refusal('Escalation', { caseId: delivered, handoff: 2 })).resolves.toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'handoff' });
    await expect(refusal('Escalation', { caseId: 'case-1' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'caseId' });
    await expect(refusal('Escalation', { caseId: delivered, handoff: 0 })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'handoff' });
    await expect(refusal('Escalation', { caseId: delivered, status: 'delivered' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'status' });
  });

  it('Escalations answers the handoffs with the time left to the 48-hour deadline; in flight or not; paged by a string cursor', async () => {
    const asOf = new Date(Date.parse(requestedAt) + 6 * HOUR).toISOString();
    const all = await ask<Page<EscalationAgeView, string>>('Escalations', { asOf });
    const byCase = [delivered, refused].sort();
    expect(all.rows.map((row) => [row.caseId, row.status, row.ageMs / HOUR, row.timeLeftMs === null ? null : row.timeLeftMs / HOUR])).toEqual(
      byCase.map((caseId) => (caseId === delivered ? [caseId, 'delivered', 6, 42] : [caseId, 'refused', 6, null])),
    );
    expect((await ask<Page<EscalationAgeView, string>>('Escalations', { asOf, inFlight: true })).rows.map((row) => row.caseId)).toEqual([delivered]);
    expect((await ask<Page<EscalationAgeView, string>>('Escalations', { asOf, inFlight: false })).rows.map((row) => row.caseId)).toEqual([refused]);
    const first = await ask<Page<EscalationAgeView, string>>('Escalations', { asOf, limit: 1 });
    expect(first.nextAfter).toBe(`${byCase[0]}/1`);
    const rest = await ask<Page<EscalationAgeView, string>>('Escalations', { asOf, limit: 1, after: first.nextAfter });
    expect([[...first.rows, ...rest.rows], rest.nextAfter]).toEqual([all.rows, null]);
    await expect(refusal('Escalations', {})).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'asOf' });
    await expect(refusal('Escalations', { asOf, after: `${delivered}/first` })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'after' });
    await expect(refusal('Escalations', { asOf, status: 'lost' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'status' });
  });

  it("Escalations narrows to the case's creditor or the debtor's jurisdiction, a country taking in its own", async () => {
    const asOf = new Date(Date.parse(requestedAt) + 6 * HOUR).toISOString();
    const cases = async (params: Record<string, unknown>) => (await ask<Page<EscalationAgeView, string>>('Escalations', { asOf, ...params })).rows.map((row) => row.caseId);
    // Creditor and jurisdiction come from each account's AccountPlaced, through a consumer of their own.
    await eventually(async () => expect(await cases({ jurisdiction: 'US-CA' })).toEqual([refused]), { timeoutMs: 20_000 });
    await eventually(async () => expect(await cases({ creditorId: 'acme' })).toEqual([delivered]), { timeoutMs: 20_000 });
    expect(await cases({ jurisdiction: 'US-IL', inFlight: true })).toEqual([delivered]);
    expect(await cases({ jurisdiction: 'US-CA', inFlight: true })).toEqual([]);
    expect(await cases({ jurisdiction: 'US' })).toEqual([delivered, refused].sort());
    expect(await cases({ jurisdiction: 'CN' })).toEqual([]);
    expect(await cases({ creditorId: 'globex', jurisdiction: 'US' })).toEqual([refused]);
    expect(await cases({ creditorId: 'globex', jurisdiction: 'US-IL' })).toEqual([]);
    await expect(refusal('Escalations', { asOf, jurisdiction: 'California' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'jurisdiction' });
    await expect(refusal('Escalations', { asOf, creditorId: '' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'creditorId' });
  }, 30_000);

  it('EscalationStatusCounts and HandoffTimes answer the counts and the hours', async () => {
    const counts = await ask<StatusCount[]>('EscalationStatusCounts', {});
    expect(counts.filter((count) => count.escalations > 0)).toEqual([
      { status: 'delivered', escalations: 1, overdue: 0 },
      { status: 'refused', escalations: 1, overdue: 0 },
    ]);
    await expect(refusal('EscalationStatusCounts', { overdue: 'yes' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'overdue' });

    const period = { from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' };
    await expect(ask<HandoffTimes>('HandoffTimes', period)).resolves.toEqual({
      ...period,
      requested: 2,
      refused: 1,
      delivery: { count: 1, averageHours: 2, medianHours: 2, p90Hours: 2, withinDeadline: 1 },
      acknowledgement: { count: 0, averageHours: null, medianHours: null, p90Hours: null, withinDeadline: 0 },
    });
    await expect(refusal('HandoffTimes', { from: period.to, to: period.from })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'to' });
  });

  it('EvidencePackage answers the manifest and every file with its size and SHA-256', async () => {
    const view = await ask<PackageView>('EvidencePackage', { packageId });
    expect(view).toMatchObject({ packageId, eventCount: expect.any(Number), eventsOmitted: false });
    expect(view.manifest).toMatchObject({ format: 'arrears-evidence-package/1', caseId: delivered, accountId: delivered, requestedAt, reasons: ['120 days past due with 2 broken promises'] });
    expect(view.files.map((file) => `${file.name} ${file.contentType} ${file.listed}`)).toEqual([
      ...ITEM_NAMES.map((name) => `${name} ${name === 'summary.pdf' ? 'application/pdf' : name.endsWith('.jsonl') ? 'application/x-ndjson' : 'application/json'} true`),
      'manifest.json application/json false',
      'manifest.sig text/plain false',
    ]);
    // What the gateway serves is what the package lists: the manifest's items, the manifest hashing to the package id.
    const manifest = view.manifest as { items: { name: string; sha256: string; bytes: number }[] };
    expect(view.files.filter((file) => file.listed).map(({ name, sha256: hash, bytes }) => ({ name, sha256: hash, bytes }))).toEqual(manifest.items);
    expect(view.files.find((file) => file.name === 'manifest.json')?.sha256).toBe(packageId);
    await expect(refusal('EvidencePackage', { packageId: 'f'.repeat(64) })).resolves.toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'packageId' });
    await expect(refusal('EvidencePackage', { packageId: 'not-a-hash' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'packageId' });
  });

  it('EvidencePackageFile answers each file’s exact bytes in base64, whole or in parts', async () => {
    const pdf = await ask<PackageFilePart>('EvidencePackageFile', { packageId, name: 'summary.pdf' });
    const bytes = Buffer.from(pdf.content, 'base64');
    expect(pdf).toMatchObject({ name: 'summary.pdf', contentType: 'application/pdf', encoding: 'base64', offset: 0, length: bytes.length, bytes: bytes.length, nextOffset: null });
    expect([bytes.subarray(0, 5).toString('latin1'), sha256(bytes)]).toEqual(['%PDF-', pdf.sha256]);

    // A file read in parts, each naming where the next starts, is the file.
    const parts: Buffer[] = [];
    let offset: number | null = 0;
    while (offset !== null) {
      const part: PackageFilePart = await ask<PackageFilePart>('EvidencePackageFile', { packageId, name: 'events.jsonl', offset, length: 1_000 });
      parts.push(Buffer.from(part.content, 'base64'));
      offset = part.nextOffset;
    }
    const events = Buffer.concat(parts);
    expect(parts.length).toBeGreaterThan(1);
    expect(sha256(events)).toBe((await ask<PackageFilePart>('EvidencePackageFile', { packageId, name: 'events.jsonl' })).sha256);
    const manifest = await ask<PackageFilePart>('EvidencePackageFile', { packageId, name: 'manifest.json' });
    expect(sha256(Buffer.from(manifest.content, 'base64'))).toBe(packageId);

    await expect(refusal('EvidencePackageFile', { packageId, name: 'secrets.txt' })).resolves.toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'name' });
    await expect(refusal('EvidencePackageFile', { packageId: 'f'.repeat(64), name: 'summary.pdf' })).resolves.toMatchObject({ code: ErrorCode.NOT_FOUND, field: 'packageId' });
    await expect(refusal('EvidencePackageFile', { packageId, name: 'summary.pdf', offset: bytes.length })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'offset' });
    await expect(refusal('EvidencePackageFile', { packageId, name: 'summary.pdf', length: 0 })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'length' });
    await expect(refusal('EvidencePackageFile', { packageId })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'name' });
  });
});
