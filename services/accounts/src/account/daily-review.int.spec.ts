import { randomUUID } from 'node:crypto';
import { eventually } from '@arrears/testing';
import { AccountsWorld } from '../testing/accounts-world';
import { plainPlacement } from '../testing/plain-debtor';
import { DailyReview } from './daily-review';

/** Placed on 2026-11-29; reviewed as of 2026-12-05, when 29 days past due have become 35. */
describe('the daily review', () => {
  let world: AccountsWorld;

  beforeAll(async () => {
    world = await AccountsWorld.start('accounts_review');
  });

  afterAll(async () => {
    await world?.close();
  });

  const placeAt = async (daysPastDue: number) => {
    const accountId = randomUUID();
    await world.send('PlaceAccount', { ...plainPlacement(accountId, randomUUID()), daysPastDue });
    await eventually(async () => expect((await world.service.queries.detail(accountId)).summary.riskTier).not.toBeNull());
    return accountId;
  };

  it('reviews the accounts the calendar moved, once a day however many instances run it: bucket changes published, ended breathing spaces lifted', async () => {
    const crossing = await placeAt(29);
    const staying = await placeAt(5);
    const breathing = await placeAt(5);
    await world.send('FlagAccount', { accountId: breathing, flag: 'breathing-space', reason: 'debt advice', endsOn: '2026-12-01' });
    await eventually(async () => expect((await world.service.queries.detail(breathing)).summary.activeFlags).toContain('breathing-space'));
    const closed = await placeAt(29);
    await world.send('CloseAccount', { accountId: closed, reason: 'written-off' });
    await eventually(async () => expect((await world.service.queries.detail(closed)).summary.status).toBe('closed'));

    const clock = () => new Date('2026-12-05T06:00:00.000Z');
    const options = { intervalMs: 0, recentPaymentDays: 30, clock };
    const instances = [new DailyReview(world.service.commands, world.service.queries, options), new DailyReview(world.service.commands, world.service.queries, options)];
    const runs = await Promise.all(instances.map((review) => review.runOnce()));

    // Both instances were told to review the same account (the read model had not moved yet): one decision stands.
    for (const run of runs) expect(run).toMatchObject({ day: '2026-12-05', failed: 0 });
    expect(runs.map((run) => run.reviewed)).toEqual([2, 2]);
    const history = await world.harness.store.readStream(`account-${crossing}`);
    expect(history.filter((event) => event.type === 'AgingBucketChanged').map((event) => event.data)).toEqual([
      expect.objectContaining({ from: null, to: '1-30' }),
      { accountId: crossing, from: '1-30', to: '31-90', daysPastDue: 35, asOf: '2026-12-05' },
    ]);
    expect(history.at(-1)?.metadata).toMatchObject({ actorId: 'system:accounts', actorRole: 'system', caseId: crossing });

    await eventually(async () => expect((await world.service.queries.detail(crossing)).summary.agingBucket).toBe('31-90'));
    expect((await world.service.queries.detail(staying)).summary.agingBucket).toBe('1-30');
    // The breathing space ended on 2026-12-01: the review lifted it, once.
    await eventually(async () => expect((await world.service.queries.detail(breathing)).summary.activeFlags).not.toContain('breathing-space'));
    const cleared = (await world.harness.store.readStream(`account-${breathing}`)).filter((event) => event.type === 'FlagCleared');
    expect(cleared.map((event) => event.data)).toEqual([{ accountId: breathing, flag: 'breathing-space', reason: 'breathing space ended on 2026-12-01' }]);
    // Once the read model has caught up nothing is due any more that day.
    expect(await instances[0]!.runOnce()).toMatchObject({ reviewed: 0, changed: 0 });
    expect((await world.harness.store.readStream(`account-${crossing}`)).length).toBe(history.length);
  });
});
