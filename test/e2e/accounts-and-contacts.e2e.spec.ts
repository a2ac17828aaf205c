import { randomUUID } from 'node:crypto';
import { natsTopology } from '@arrears/contracts';
import { CommandClient, connectNats, deleteStreams, natsUrl } from '@arrears/messaging';
import { RelayProcess } from '@arrears/messaging/src/relay/testing/relay-process';
import { ServiceProcess } from '@arrears/platform/src/testing/service-process';
import { createTestDatabase, uniqueName, type TestDatabase } from '@arrears/testing';
import type { NatsConnection } from 'nats';

/**
 * Two services as the processes they run as, beside the relay: accounts places a debtor's account and records a
 * hold; contact-attempts decides on contacting them from the account's own events — allowed, then blocked.
 */
describe('accounts and contact-attempts, each its own process', () => {
  let database: TestDatabase;
  let nats: NatsConnection;
  const processes: { kill(signal: NodeJS.Signals): void }[] = [];
  const topology = natsTopology(uniqueName('e2e_contacts'));

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    if (nats !== undefined) {
      await deleteStreams(await nats.jetstreamManager(), topology);
      await nats.close();
    }
    await database?.drop();
  });

  it('a contact allowed for a placed account is blocked once the account is flagged cease-communication', async () => {
    database = await createTestDatabase('e2e_contacts');
    nats = await connectNats('e2e accounts and contacts');
    const env = { DATABASE_URL: database.url, NATS_URL: natsUrl(), ARREARS_TOPOLOGY_ROOT: topology.root, NODE_ENV: 'test', ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS: '0' };
    const relay = new RelayProcess([], env);
    processes.push(relay);
    const accounts = new ServiceProcess('accounts', env);
    processes.push(accounts);
    await relay.leading;
    await accounts.ready;
    // The second service starts once the first has migrated the shared event store's schema.
    const contacts = new ServiceProcess('contact-attempts', env);
    processes.push(contacts);
    await contacts.ready;

    const client = new CommandClient({ connection: nats, topology });
    const metadata = (role: 'supervisor' | 'collector' | 'dialer') => ({ correlationId: randomUUID(), actorId: `${role}-1`, actorRole: role, now: '2026-11-30T15:00:00.000Z' });
    const accountId = randomUUID();
    await client.send('accounts', {
      type: 'PlaceAccount',
      data: {
        accountId,
        creditor: { creditorId: 'acme', name: 'Acme Bank' },
        creditorReference: 'CC-3',
        product: 'credit-card',
        currency: 'USD',
        principal: 120_000,
        fees: 0,
        interest: 0,
        daysPastDue: 60,
        debtor: { debtorId: randomUUID(), name: 'Ada Example', phones: [{ number: '+1 312 555 0142', kind: 'mobile' }], emails: [], timeZone: 'America/Chicago', jurisdiction: 'US-IL', language: 'en' },
      },
      metadata: metadata('supervisor'),
    });

    type Reply = { events: { type: string; data: { reasons?: { ruleId: string }[] } }[]; target?: { value: string } };
    const request = (intendedAt: string) =>
      client.send<Reply>('contact-attempts', {
        type: 'RequestContact',
        data: { contactId: randomUUID(), accountId, channel: 'call', target: { kind: 'phone', value: '(312) 555-0142' }, intendedAt },
        metadata: metadata('collector'),
      });
    const allowed = await request('2026-11-30T16:00:00.000Z');
    expect(allowed.events[0]?.type).toBe('ContactAllowed');

    await client.send('accounts', { type: 'FlagAccount', data: { accountId, flag: 'cease-communication', reason: 'written request' }, metadata: metadata('supervisor') });
    const blocked = await request('2026-12-09T16:00:00.000Z');
    expect(blocked.events[0]?.type).toBe('ContactBlocked');
    expect(blocked.events[0]?.data.reasons?.map((reason) => reason.ruleId)).toContain('hold.cease-communication');
  }, 60_000);
});
