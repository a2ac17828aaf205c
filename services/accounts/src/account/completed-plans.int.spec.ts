import { randomUUID } from 'node:crypto';
import { EventCatalog, paymentPlans } from '@arrears/contracts';
import { eventually, storedEvent } from '@arrears/testing';
import { AccountsWorld } from '../testing/accounts-world';
import { plainPlacement } from '../testing/plain-debtor';

const PLAN_EVENTS = new EventCatalog(paymentPlans.PLAN_EVENTS);

/** payment-plans' PlanCompleted, consumed from JetStream, closes the account as the plan says — once. */
describe('completed plans from payment-plans', () => {
  let world: AccountsWorld;

  beforeAll(async () => {
    world = await AccountsWorld.start('accounts_plans');
  });

  afterAll(async () => {
    await world?.close();
  });

  const planCompleted = (accountId: string, planId: string, outcome: 'paid-in-full' | 'settled', total: number) =>
    storedEvent(
      PLAN_EVENTS.encode({ type: 'PlanCompleted', data: { planId, accountId, outcome, total: { minor: total, currency: 'USD' }, paid: { minor: total, currency: 'USD' }, completedOn: '2026-12-02' } }),
      accountId,
      { occurredAt: '2026-12-02T10:00:05.000Z', actorId: 'system:payment-plans' },
    );

  it('closes a plan-paid account as paid in full, and a settlement as settled with the rest on record', async () => {
    const [paidUp, settled] = [randomUUID(), randomUUID()];
    for (const accountId of [paidUp, settled]) await world.send('PlaceAccount', plainPlacement(accountId, randomUUID()));
    // 850.00 owed; the whole-balance plan was paid through accounts, as every payment is.
    await world.send('PostPayment', { accountId: paidUp, paymentReference: 'BANK-PLAN', amount: { minor: 85_000, currency: 'USD' }, receivedOn: '2026-12-02', channel: 'bank' });
    await world.send('PostPayment', { accountId: settled, paymentReference: 'BANK-SETTLE', amount: { minor: 60_000, currency: 'USD' }, receivedOn: '2026-12-02', channel: 'bank' });
    await world.harness.store.appendToStream(`plan-${paidUp}`, [planCompleted(paidUp, randomUUID(), 'paid-in-full', 85_000)], { expectedVersion: 'no_stream' });
    await world.harness.store.appendToStream(`plan-${settled}`, [planCompleted(settled, randomUUID(), 'settled', 60_000)], { expectedVersion: 'no_stream' });

    await eventually(async () => {
      expect((await world.service.queries.detail(paidUp)).summary).toMatchObject({ status: 'closed', closeReason: 'paid-in-full' });
      expect((await world.service.queries.detail(settled)).summary).toMatchObject({ status: 'closed', closeReason: 'settled' });
    });
    const closed = (await world.harness.store.readStream(`account-${settled}`)).filter((event) => event.type === 'AccountClosed');
    expect(closed).toHaveLength(1);
    expect(closed[0]?.data).toMatchObject({ reason: 'settled', balanceAtClose: { principal: 25_000, fees: 0, interest: 0 } });
    expect(closed[0]?.metadata).toMatchObject({ actorId: 'system:accounts', actorRole: 'system' });
  });
});
