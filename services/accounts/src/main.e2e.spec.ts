import { randomUUID } from 'node:crypto';
import { natsTopology } from '@arrears/contracts';
import { CommandClient, connectNats, deleteStreams, natsUrl } from '@arrears/messaging';
import { RelayProcess } from '@arrears/messaging/src/relay/testing/relay-process';
import { ServiceProcess } from '@arrears/platform/src/testing/service-process';
import { createTestDatabase, eventually, uniqueName, type TestDatabase } from '@arrears/testing';
import type { NatsConnection } from 'nats';
import { Client } from 'pg';

/**
 * The accounts service as its own process (`services/accounts/src/main.ts`) beside the relay process, on a
 * database and a NATS topology of this test: a command sent over NATS comes back as a row of the read model.
 */
describe('the accounts service process', () => {
  let database: TestDatabase;
  let nats: NatsConnection;
  let relay: RelayProcess | undefined;
  let service: ServiceProcess | undefined;
  const topology = natsTopology(uniqueName('accounts_e2e'));

  afterAll(async () => {
    service?.kill('SIGKILL');
    relay?.kill('SIGKILL');
    if (nats !== undefined) {
      await deleteStreams(await nats.jetstreamManager(), topology);
      await nats.close();
    }
    await database?.drop();
  });

  it('takes a command over NATS, stores its events, and projects them into its read model; stops cleanly on SIGTERM', async () => {
    database = await createTestDatabase('accounts_e2e');
    nats = await connectNats('accounts e2e');
    const env = { DATABASE_URL: database.url, NATS_URL: natsUrl(), ARREARS_TOPOLOGY_ROOT: topology.root, NODE_ENV: 'test', LOG_LEVEL: 'info' };
    relay = new RelayProcess([], env);
    await relay.leading;

    service = new ServiceProcess('accounts', env);
    await service.ready;

    const accountId = randomUUID();
    const client = new CommandClient({ connection: nats, topology });
    const reply = await client.send<{ events: { type: string }[] }>('accounts', {
      type: 'PlaceAccount',
      data: {
        accountId,
        creditor: { creditorId: 'acme', name: 'Acme Bank' },
        creditorReference: 'OD-77',
        product: 'overdraft',
        currency: 'EUR',
        principal: 25_000,
        fees: 0,
        interest: 1_200,
        daysPastDue: 95,
        debtor: { debtorId: randomUUID(), name: 'Ada Example', phones: [{ number: '+44 20 7946 0958', kind: 'mobile' }], emails: [], timeZone: 'Europe/London', jurisdiction: 'GB', language: 'en' },
      },
      metadata: { correlationId: randomUUID(), actorId: 'supervisor-1', actorRole: 'supervisor', now: '2026-11-29T10:00:00.000Z' },
    });
    expect(reply.events.map((event) => event.type)).toEqual(['AccountPlaced', 'AgingBucketChanged', 'RiskTierChanged']);

    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const row = await eventually(async () => {
        const { rows } = await db.query('select aging_bucket, risk_tier, masked_phone, total from accounts_read.account_summaries where account_id = $1', [accountId]);
        expect(rows[0]).toMatchObject({ aging_bucket: '90+', risk_tier: expect.any(String) });
        return rows[0] as Record<string, unknown>;
      }, { timeoutMs: 30_000 });
      expect(row).toMatchObject({ masked_phone: '•••• 0958' });
    } finally {
      await db.end();
    }

    service.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    service = undefined;
  }, 60_000);
});
