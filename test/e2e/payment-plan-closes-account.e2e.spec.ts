import { randomUUID } from 'node:crypto';
import { eventually } from '@arrears/testing';
import { PlatformProcesses } from './platform-processes';

/**
 * accounts and payment-plans as the processes they run as, beside the relay: a plan proposed on the account's
 * balance and accepted; the payments accounts posts pay its instalments; the last completes the plan, and accounts
 * closes the account as paid in full — each service reacting only to the other's published events.
 */
describe('a payment plan paid off closes the account, across two processes', () => {
  let platform: PlatformProcesses | undefined;

  afterAll(async () => {
    await platform?.stop();
  });

  it('proposal, acceptance, two payments posted by accounts → PlanCompleted → AccountClosed (paid in full)', async () => {
    platform = await PlatformProcesses.create('e2e_plans');
    await platform.startRelay();
    // The second service starts once the first has migrated the shared event store's schema.
    await platform.start('accounts', { ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS: '0' });
    await platform.start('payment-plans');

    const accountId = randomUUID();
    const planId = randomUUID();
    await platform.placeAccount(accountId, 60, '2026-11-30T15:00:00.000Z');
    type Reply = { events: { type: string }[] };
    const proposed = await platform.send<Reply>('payment-plans', 'ProposePlan', { planId, accountId, instalments: 2, frequency: 'monthly', firstDueDate: '2026-12-15' }, 'collector', '2026-11-30T15:05:00.000Z');
    expect(proposed.events.map((event) => event.type)).toEqual(['PlanProposed']);
    const accepted = await platform.send<Reply>('payment-plans', 'AcceptPlan', { planId, accountId, commitment: { documentId: 'doc-e2e-1', sha256: 'd'.repeat(64) } }, 'collector', '2026-11-30T15:20:00.000Z');
    expect(accepted.events.map((event) => event.type)).toEqual(['PlanAccepted']);

    const typesOf = async (streamId: string) => (await platform!.events(streamId)).map((event) => event.type);
    const pay = (reference: string, receivedOn: string) =>
      platform!.send('accounts', 'PostPayment', { accountId, paymentReference: reference, amount: { minor: 60_000, currency: 'USD' }, receivedOn, channel: 'card' }, 'collector', `${receivedOn}T12:00:00.000Z`);

    await pay('CARD-1', '2026-12-14');
    await eventually(async () => expect(await typesOf(`plan-${accountId}`)).toEqual(['PlanProposed', 'PlanAccepted', 'InstalmentPaid']), { timeoutMs: 20_000 });
    await pay('CARD-2', '2027-01-12');
    await eventually(async () => expect(await typesOf(`plan-${accountId}`)).toEqual(['PlanProposed', 'PlanAccepted', 'InstalmentPaid', 'InstalmentPaid', 'PlanCompleted']), { timeoutMs: 20_000 });
    await eventually(async () => expect((await typesOf(`account-${accountId}`)).at(-1)).toBe('AccountClosed'), { timeoutMs: 20_000 });
    const [closed] = (await platform.events(`account-${accountId}`)).filter((event) => event.type === 'AccountClosed');
    expect(closed?.data).toMatchObject({ reason: 'paid-in-full', note: `Plan ${planId} completed`, balanceAtClose: { principal: 0, fees: 0, interest: 0 } });
  }, 90_000);
});
