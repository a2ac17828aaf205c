import { randomUUID } from 'node:crypto';
import { accountPlaced, paymentPosted } from '@arrears/testing';
import { startRunningAudit, type RunningAudit } from './testing/running-audit';

/**
 * The audit service as it runs: every event the relay publishes recorded in the ledger, in order, once; the
 * command line replaying a case from it and verifying it against the event store.
 */
describe('the audit ledger fed from NATS, read by the command line', () => {
  let audit: RunningAudit;

  beforeAll(async () => {
    audit = await startRunningAudit('audit');
  });

  afterAll(async () => {
    await audit?.close();
  });

  it('records every published event once, in the store’s order, and the ledger verifies against the store', async () => {
    const cases = [randomUUID(), randomUUID(), randomUUID()];
    for (const accountId of cases) {
      await audit.record(`account-${accountId}`, [accountPlaced(accountId), paymentPosted(accountId, { reference: `P-${accountId.slice(0, 4)}`, minor: 1_000, receivedOn: '2026-11-30', principalAfter: 79_000 })]);
    }
    const { service, cli } = audit;
    const stored = await audit.harness.store.readAll();
    expect((await service.ledger.head()).seq).toBe(stored.length);
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
