import { randomBytes, randomUUID } from 'node:crypto';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountPlaced, createTestSchema, databaseUrl, eventually, paymentPosted, uniqueName, type TestSchema } from '@arrears/testing';
import { main } from './audit-cli';
import { signerFromEnv } from './ledger';
import { startAuditService, type AuditService } from './service';

/**
 * The audit service as it runs: every event the relay publishes recorded in the ledger, in order, once; the
 * command line replaying a case from it and verifying it against the event store.
 */
describe('the audit ledger fed from NATS, read by the command line', () => {
  let harness: RelayHarness;
  let ledgerSchema: TestSchema;
  let keySchema: TestSchema;
  let service: AuditService;

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('audit') });
    ledgerSchema = await createTestSchema('audit_ledger');
    keySchema = await createTestSchema('audit_keys');
    (await harness.relay()).start();
    service = await startAuditService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: keySchema.name,
      ledgerSchema: ledgerSchema.name,
      masterKey: randomBytes(32),
      signer: signerFromEnv({ NODE_ENV: 'test' }),
      checkpointEveryMs: 0,
      topology: harness.topology,
      nats: harness.nats,
    });
  });

  afterAll(async () => {
    await service?.close();
    await harness?.cleanup();
    await ledgerSchema?.drop();
    await keySchema?.drop();
  });

  const cli = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(argv, { out: { write: (text: string) => (out += text) }, err: { write: (text: string) => (err += text) } }, { DATABASE_URL: databaseUrl(), ARREARS_AUDIT_LEDGER_SCHEMA: ledgerSchema.name, ARREARS_STORE_SCHEMA: harness.storeSchema.name, NODE_ENV: 'test' });
    return { code, out, err };
  };

  it('records every published event once, in the store’s order, and the ledger verifies against the store', async () => {
    const cases = [randomUUID(), randomUUID(), randomUUID()];
    for (const accountId of cases) {
      await harness.store.appendToStream(`account-${accountId}`, [accountPlaced(accountId), paymentPosted(accountId, { reference: `P-${accountId.slice(0, 4)}`, minor: 1_000, receivedOn: '2026-11-30', principalAfter: 79_000 })], { expectedVersion: 'no_stream' });
    }
    const stored = await harness.store.readAll();
    await eventually(async () => expect((await service.ledger.head()).seq).toBe(stored.length), { timeoutMs: 20_000 });
    expect((await service.ledger.entries({ limit: 100 })).map((entry) => entry.eventId)).toEqual(stored.map((event) => event.eventId));
    expect((await service.ledger.eventsOfCase(cases[1]!)).map((event) => event.type)).toEqual(['AccountPlaced', 'PaymentPosted']);
    await service.ledger.checkpoint();

    const verified = await cli('verify', '--require-complete');
    expect(verified.err).toContain('verifying: 6/6 entries');
    expect(verified.out).toContain('VERIFIED');
    expect(verified.code).toBe(0);

    const replay = await cli('replay', cases[0]!);
    expect(replay.code).toBe(0);
    expect(replay.out.trim().split('\n')).toHaveLength(2);
    expect((await cli('replay', cases[0]!)).out).toBe(replay.out); // byte-identical
    const asOf = await cli('as-of', cases[0]!, '2100-01-01T00:00:00.000Z');
    expect(JSON.parse(asOf.out)).toMatchObject({ account: expect.objectContaining({ currency: 'USD' }) });
    expect((await cli('replay')).code).toBe(2);
  });
});
