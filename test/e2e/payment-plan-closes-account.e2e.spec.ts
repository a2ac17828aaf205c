import { randomUUID } from 'node:crypto';
import { natsTopology, type Role } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { CommandClient, connectNats, deleteStreams, natsUrl } from '@arrears/messaging';
import { RelayProcess } from '@arrears/messaging/src/relay/testing/relay-process';
import { ServiceProcess } from '@arrears/platform/src/testing/service-process';
import { createTestDatabase, eventually, uniqueName, type TestDatabase } from '@arrears/testing';
import type { NatsConnection } from 'nats';

/**
 * accounts and payment-plans as the processes they run as, beside the relay: a plan proposed on the account's
 * balance and accepted; the payments accounts posts pay its instalments; the last completes the plan, and accounts
 * closes the account as paid in full — each service reacting only to the other's published events.
 */
describe('a payment plan paid off closes the account, across two processes', () => {
  let database: TestDatabase;
  let nats: NatsConnection;
  let store: PostgresEventStore | undefined;
  const processes: { kill(signal: NodeJS.Signals): void }[] = [];
  const topology = natsTopology(uniqueName('e2e_plans'));

  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await store?.close();
    if (nats !== undefined) {
      await deleteStreams(await nats.jetstreamManager(), topology);
      await nats.close();
    }
    await database?.drop();
  });

  it('proposal, acceptance, two payments posted by accounts → PlanCompleted → AccountClosed (paid in full)', async () => {
    database = await createTestDatabase('e2e_plans');
    nats = await connectNats('e2e payment plans');
    const env = { DATABASE_URL: database.url, NATS_URL: natsUrl(), ARREARS_TOPOLOGY_ROOT: topology.root, NODE_ENV: 'test', ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS: '0' };
    const relay = new RelayProcess([], env);
    processes.push(relay);
    const accounts = new ServiceProcess('accounts', env);
    processes.push(accounts);
    await relay.leading;
    await accounts.ready;
    // The second service starts once the first has migrated the shared event store's schema.
    const plans = new ServiceProcess('payment-plans', env);
    processes.push(plans);
    await plans.ready;

    const client = new CommandClient({ connection: nats, topology });
    const metadata = (role: Role, now: string) => ({ correlationId: randomUUID(), actorId: `${role}-1`, actorRole: role, now });
    const accountId = randomUUID();
    const planId = randomUUID();
    await client.send('accounts', {
      type: 'PlaceAccount',
      data: {
        accountId,
        creditor: { creditorId: 'acme', name: 'Acme Bank' },
        creditorReference: 'CC-9',
        product: 'credit-card',
        currency: 'USD',
        principal: 120_000,
        fees: 0,
        interest: 0,
        daysPastDue: 60,
        debtor: { debtorId: randomUUID(), name: 'Ada Example', phones: [], emails: [], timeZone: 'America/Chicago', jurisdiction: 'US-IL', language: 'en' },
      },
      metadata: metadata('supervisor', '2026-11-30T15:00:00.000Z'),
    });
    type Reply = { events: { type: string }[] };
    const proposed = await client.send<Reply>('payment-plans', {
      type: 'ProposePlan',
      data: { planId, accountId, instalments: 2, frequency: 'monthly', firstDueDate: '2026-12-15' },
      metadata: metadata('collector', '2026-11-30T15:05:00.000Z'),
    });
    expect(proposed.events.map((event) => event.type)).toEqual(['PlanProposed']);
    const accepted = await client.send<Reply>('payment-plans', {
      type: 'AcceptPlan',
      data: { planId, accountId, commitment: { documentId: 'doc-e2e-1', sha256: 'd'.repeat(64) } },
      metadata: metadata('collector', '2026-11-30T15:20:00.000Z'),
    });
    expect(accepted.events.map((event) => event.type)).toEqual(['PlanAccepted']);

    store = new PostgresEventStore({ connectionString: database.url });
    const typesOf = async (streamId: string) => (await store!.readStream(streamId)).map((event) => event.type);
    const pay = (reference: string, receivedOn: string) =>
      client.send('accounts', { type: 'PostPayment', data: { accountId, paymentReference: reference, amount: { minor: 60_000, currency: 'USD' }, receivedOn, channel: 'card' }, metadata: metadata('collector', `${receivedOn}T12:00:00.000Z`) });

    await pay('CARD-1', '2026-12-14');
    await eventually(async () => expect(await typesOf(`plan-${accountId}`)).toEqual(['PlanProposed', 'PlanAccepted', 'InstalmentPaid']), { timeoutMs: 20_000 });
    await pay('CARD-2', '2027-01-12');
    await eventually(async () => expect(await typesOf(`plan-${accountId}`)).toEqual(['PlanProposed', 'PlanAccepted', 'InstalmentPaid', 'InstalmentPaid', 'PlanCompleted']), { timeoutMs: 20_000 });
    await eventually(async () => expect((await typesOf(`account-${accountId}`)).at(-1)).toBe('AccountClosed'), { timeoutMs: 20_000 });
    const [closed] = (await store.readStream(`account-${accountId}`)).filter((event) => event.type === 'AccountClosed');
    expect(closed?.data).toMatchObject({ reason: 'paid-in-full', note: `Plan ${planId} completed`, balanceAtClose: { principal: 0, fees: 0, interest: 0 } });
  }, 90_000);
});
