import { randomUUID } from 'node:crypto';
import type { CommandEnvelope, legalEscalation } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import type { SagaRuntime } from '@arrears/sagas';
import { createTestSchema, untilLogSettled, type TestSchema } from '@arrears/testing';
import { CaseIndex, InMemoryPackageStore, parseManifest } from './evidence';
import { signerFromEnv } from './evidence/signer';
import { appendCaseHistory } from './evidence/testing/case-history';
import { FixEvidenceHandler } from './fix-evidence';
import type { HandoffState } from './handoff/domain/handoff-state';

/**
 * FixEvidence on PostgreSQL with a case index that has not caught up (its consumer lags): the debtor's contacts —
 * the compliance evidence — are in the package all the same, read from the stream the account's placement names.
 */
describe('FixEvidence with a case index behind the store', () => {
  let schemas: TestSchema[] = [];
  let store: PostgresEventStore;
  let index: CaseIndex;

  beforeAll(async () => {
    schemas = [await createTestSchema('fix_ev_store'), await createTestSchema('fix_ev_legal')];
    store = new PostgresEventStore({ pool: schemas[0]!.pool, schema: schemas[0]!.name });
    await store.migrate();
    index = new CaseIndex({ pool: schemas[1]!.pool, schema: schemas[1]!.name });
    await index.migrate();
  });

  afterAll(async () => {
    for (const schema of schemas) await schema.drop();
  });

  it("puts the debtor's contacts in the package though the index has not heard of them; only the roster waits for the index", async () => {
    const history = await appendCaseHistory(store);
    const packages = new InMemoryPackageStore();
    const told: CommandEnvelope[] = [];
    const saga = { onCommand: async (_caseId: string, command: CommandEnvelope) => void told.push(command) } as unknown as SagaRuntime<HandoffState, legalEscalation.LegalEvent>;
    const handler = new FixEvidenceHandler({ store, index, packages, signer: signerFromEnv({ NODE_ENV: 'test' }), saga, clock: () => new Date('2027-03-01T09:10:00.000Z') });
    const fix = { commandId: randomUUID(), type: 'FixEvidence', schemaVersion: 1, data: { accountId: history.accountId, handoff: 1, reasons: [...history.reasons], requestedAt: history.requestedAt }, metadata: { correlationId: randomUUID(), caseId: history.caseId, actorId: 'system:legal-escalation', actorRole: 'system', now: history.requestedAt } };

    const { packageId } = await handler.handle(fix as Parameters<FixEvidenceHandler['handle']>[0]);
    const eventsOf = async (id: string) => parseManifest((await packages.get(id))!.manifestBytes).events.map((event) => event.eventId);
    const packaged = new Set(await eventsOf(packageId));
    const ofStream = (prefix: string) => history.events.filter((event) => event.streamId.startsWith(prefix));
    expect(ofStream('contact-').length).toBeGreaterThan(0);
    for (const event of ofStream('contact-')) expect([event.type, packaged.has(event.eventId)]).toEqual([event.type, true]);
    // The other case's contacts on the same debtor's stream stay out.
    for (const event of history.otherEvents) expect(packaged.has(event.eventId)).toBe(false);
    // The roster is found through the index alone: once it has recorded the events, the package is the whole history.
    expect(ofStream('roster-').some((event) => packaged.has(event.eventId))).toBe(false);
    await untilLogSettled(schemas[0]!);
    for (const event of await store.readAll({})) await index.record(event);
    const whole = await handler.handle({ ...fix, commandId: randomUUID() } as Parameters<FixEvidenceHandler['handle']>[0]);
    expect(await eventsOf(whole.packageId)).toEqual(history.events.map((event) => event.eventId));
    expect(told.map((command) => command.type)).toEqual(['RecordEvidence', 'RecordEvidence']);
  });
});
