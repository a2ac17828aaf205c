import { randomBytes, randomUUID } from 'node:crypto';
import { ErrorCode } from '@arrears/contracts';
import { CommandClient, QueryClient, type QueryAsker } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountPlaced, createTestSchema, databaseUrl, eventually, rejection, uniqueName, type TestSchema } from '@arrears/testing';
import { DEFAULT_PROMISE_POLICY } from './promise/domain/policy';
import type { OverduePromiseView, PromisePage, PromiseRates, PromiseView } from './read-models';
import { startPromisesService, type PromisesService } from './service';

const NOW = '2026-11-30T15:00:00.000Z';

/**
 * The promise read models as the gateway asks them: queries over NATS (`<root>.qry.promises-to-pay.<Query>`) answered
 * by the running service, after promises recorded over NATS were projected through the relay.
 */
describe('promise queries over NATS', () => {
  let harness: RelayHarness;
  const schemas: TestSchema[] = [];
  let service: PromisesService;
  let queries: QueryClient;
  let commands: CommandClient;
  const asker: QueryAsker = { actorId: 'supervisor-3', actorRole: 'supervisor' };
  const first = { accountId: randomUUID(), promiseId: randomUUID() };
  const second = { accountId: randomUUID(), promiseId: randomUUID() };

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('promisesq') });
    schemas.push(await createTestSchema('promisesq_keys'), await createTestSchema('promisesq_read'), await createTestSchema('promisesq_timers'));
    service = await startPromisesService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: schemas[0]!.name,
      readSchema: schemas[1]!.name,
      timerSchema: schemas[2]!.name,
      masterKey: randomBytes(32),
      policy: DEFAULT_PROMISE_POLICY,
      topology: harness.topology,
      nats: harness.nats,
      clock: () => new Date(NOW),
      // No timer fires here: the promises stay open.
      timerPollIntervalMs: 3_600_000,
    });
    (await harness.relay()).start();
    commands = new CommandClient({ connection: harness.nats, topology: harness.topology });
    queries = new QueryClient({ connection: harness.nats, topology: harness.topology });

    // Two collectors' promises, due on 5 and 2 December: the first on an Acme credit card of a debtor in Illinois, the
    // second on a Globex telecom account of a debtor in California.
    for (const [{ accountId, promiseId }, collector, dueDate] of [
      [first, 'collector-7', '2026-12-05'],
      [second, 'collector-8', '2026-12-02'],
    ] as const) {
      const placed = accountPlaced(accountId, accountId === second.accountId ? { jurisdiction: 'US-CA', timeZone: 'America/Los_Angeles' } : {});
      const placement = accountId === second.accountId ? { ...placed, data: { ...placed.data, creditor: { creditorId: 'globex', name: 'Globex' }, product: 'telecom' } } : placed;
      await harness.store.appendToStream(`account-${accountId}`, [placement], { expectedVersion: 'no_stream' });
      await commands.send('promises-to-pay', {
        type: 'RecordPromise',
        data: { promiseId, accountId, amount: { minor: 20_000, currency: 'USD' }, dueDate, channel: 'call' },
        metadata: { correlationId: randomUUID(), actorId: collector, actorRole: 'collector', now: NOW },
      });
    }
    await eventually(async () => expect(await ask<PromiseView[]>('AccountPromises', { accountId: second.accountId })).toHaveLength(1));
  });

  afterAll(async () => {
    await service?.close();
    await harness?.cleanup();
    for (const schema of schemas) await schema.drop();
  });

  const ask = <T>(query: string, params: Record<string, unknown>) => queries.ask<T>('promises-to-pay', query, params, asker);
  const refused = (query: string, params: Record<string, unknown>) => rejection(ask(query, params));

  it("answers a case's promises", async () => {
    expect(await ask<PromiseView[]>('AccountPromises', { accountId: first.accountId })).toEqual([
      expect.objectContaining({ ...first, amount: { minor: 20_000, currency: 'USD' }, outstanding: { minor: 20_000, currency: 'USD' }, dueDate: '2026-12-05', operatorId: 'collector-7', status: 'open' }),
    ]);
    expect(await ask('AccountPromises', { accountId: randomUUID() })).toEqual([]);
    await expect(refused('AccountPromises', { accountId: 'nope' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'accountId' });
  });

  it('answers the promises due on a day, for everyone or one collector', async () => {
    expect((await ask<PromisePage>('PromisesDue', { day: '2026-12-05' })).rows.map((row) => row.promiseId)).toEqual([first.promiseId]);
    expect(await ask('PromisesDue', { day: '2026-12-05', operatorId: 'collector-8' })).toEqual({ rows: [], nextAfter: null });
    expect(await ask('PromisesDue', { day: '2026-12-02', operatorId: 'collector-8' })).toEqual({ rows: [expect.objectContaining(second)], nextAfter: null });
    await expect(refused('PromisesDue', {})).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'day' });
    await expect(refused('PromisesDue', { day: '5 December' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'day' });
    await expect(refused('PromisesDue', { day: '2026-12-05', page: 2 })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'page' });
  });

  it('answers the overdue promises, the longest overdue first, and pages them', async () => {
    const page = await ask<PromisePage<OverduePromiseView>>('PromisesOverdue', { day: '2026-12-06' });
    expect(page.rows.map((row) => [row.promiseId, row.daysOverdue, row.inGrace])).toEqual([
      [second.promiseId, 4, false],
      [first.promiseId, 1, true],
    ]);
    const firstPage = await ask<PromisePage<OverduePromiseView>>('PromisesOverdue', { day: '2026-12-06', limit: 1 });
    expect([firstPage.rows.map((row) => row.promiseId), firstPage.nextAfter]).toEqual([[second.promiseId], second.promiseId]);
    const next = await ask<PromisePage<OverduePromiseView>>('PromisesOverdue', { day: '2026-12-06', limit: 1, after: firstPage.nextAfter });
    expect([next.rows.map((row) => row.promiseId), next.nextAfter]).toEqual([[first.promiseId], null]);
    await expect(refused('PromisesOverdue', { day: '2026-12-06', limit: 0 })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'limit' });
  });

  it('answers the promise rates per collector', async () => {
    const rates = await ask<PromiseRates>('PromiseRates', { from: '2026-11-30', to: '2026-11-30', groupBy: 'operator' });
    expect(rates).toMatchObject({ from: '2026-11-30', to: '2026-11-30', days: 1, groupBy: 'operator' });
    expect(rates.groups.map((group) => [group.key, group.made, group.open, group.promisesPerCollectorPerDay, group.amounts])).toEqual([
      ['collector-7', 1, 1, 1, [{ currency: 'USD', promised: 20_000, collected: 0 }]],
      ['collector-8', 1, 1, 1, [{ currency: 'USD', promised: 20_000, collected: 0 }]],
    ]);
    await expect(refused('PromiseRates', { from: '2026-11-30', to: '2026-11-30', groupBy: 'team' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'groupBy' });
    await expect(refused('PromiseRates', { from: '2026-11-30', to: '2026-11-01', groupBy: 'operator' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'to' });
  });

  it("narrows the worklists to the case's creditor or the debtor's jurisdiction, a country taking in its own", async () => {
    const due = async (params: Record<string, unknown>) => (await ask<PromisePage>('PromisesDue', params)).rows.map((row) => row.promiseId);
    const overdue = async (params: Record<string, unknown>) => (await ask<PromisePage<OverduePromiseView>>('PromisesOverdue', { day: '2026-12-06', ...params })).rows.map((row) => row.promiseId);
    // Creditor and jurisdiction come from each account's AccountPlaced, through a consumer of their own.
    await eventually(async () => expect(await overdue({ jurisdiction: 'US-CA' })).toEqual([second.promiseId]), { timeoutMs: 20_000 });
    await eventually(async () => expect(await overdue({ jurisdiction: 'US-IL' })).toEqual([first.promiseId]), { timeoutMs: 20_000 });
    expect(await overdue({ jurisdiction: 'US' })).toEqual([second.promiseId, first.promiseId]);
    expect(await overdue({ jurisdiction: 'CN' })).toEqual([]);
    expect(await overdue({ creditorId: 'acme' })).toEqual([first.promiseId]);
    expect(await overdue({ creditorId: 'globex', jurisdiction: 'US' })).toEqual([second.promiseId]);
    expect(await overdue({ creditorId: 'globex', jurisdiction: 'US-IL' })).toEqual([]);
    expect(await due({ day: '2026-12-05', creditorId: 'acme' })).toEqual([first.promiseId]);
    expect(await due({ day: '2026-12-05', creditorId: 'globex' })).toEqual([]);
    expect(await due({ day: '2026-12-02', jurisdiction: 'US-CA', operatorId: 'collector-8' })).toEqual([second.promiseId]);
    expect(await due({ day: '2026-12-02', jurisdiction: 'US-IL' })).toEqual([]);
    await expect(refused('PromisesDue', { day: '2026-12-05', jurisdiction: 'California' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'jurisdiction' });
    await expect(refused('PromisesOverdue', { day: '2026-12-06', creditorId: '' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'creditorId' });
  }, 30_000);

  it("narrows the promise rates to the case's creditor and product and the debtor's jurisdiction", async () => {
    const collectors = async (params: Record<string, unknown>) =>
      (await ask<PromiseRates>('PromiseRates', { from: '2026-11-30', to: '2026-11-30', groupBy: 'operator', ...params })).groups.map((group) => [group.key, group.made]);
    await eventually(async () => expect(await collectors({ product: 'telecom' })).toEqual([['collector-8', 1]]), { timeoutMs: 20_000 });
    await eventually(async () => expect(await collectors({ product: 'credit-card' })).toEqual([['collector-7', 1]]), { timeoutMs: 20_000 });
    expect(await collectors({ creditorId: 'globex' })).toEqual([['collector-8', 1]]);
    expect(await collectors({ creditorId: 'acme', product: 'telecom' })).toEqual([]);
    expect(await collectors({ jurisdiction: 'US-IL' })).toEqual([['collector-7', 1]]);
    expect(await collectors({ jurisdiction: 'US' })).toEqual([['collector-7', 1], ['collector-8', 1]]);
    await expect(refused('PromiseRates', { from: '2026-11-30', to: '2026-11-30', groupBy: 'operator', product: 'yacht' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'product' });
  }, 30_000);

  it('answers the promises broken on a day, for everyone or one collector, and pages them', async () => {
    // Run last: a third promise, due 1 December, broken by its timer on 5 December (3 grace days).
    const third = { accountId: randomUUID(), promiseId: randomUUID() };
    await harness.store.appendToStream(`account-${third.accountId}`, [accountPlaced(third.accountId)], { expectedVersion: 'no_stream' });
    await commands.send('promises-to-pay', {
      type: 'RecordPromise',
      data: { ...third, amount: { minor: 5_000, currency: 'USD' }, dueDate: '2026-12-01', channel: 'call' },
      metadata: { correlationId: randomUUID(), actorId: 'collector-8', actorRole: 'collector', now: NOW },
    });
    await eventually(async () => expect(await ask<PromiseView[]>('AccountPromises', { accountId: third.accountId })).toHaveLength(1));
    await service.commands.checkDue(randomUUID(), third.accountId, third.promiseId, '2026-12-05T08:00:00.000Z');

    await eventually(async () =>
      expect(await ask<PromisePage>('PromisesBroken', { day: '2026-12-05' })).toEqual({
        rows: [expect.objectContaining({ ...third, status: 'broken', brokenOn: '2026-12-05', operatorId: 'collector-8', outstanding: { minor: 5_000, currency: 'USD' } })],
        nextAfter: null,
      }),
    );
    expect(await ask('PromisesBroken', { day: '2026-12-05', operatorId: 'collector-7' })).toEqual({ rows: [], nextAfter: null });
    expect(await ask('PromisesBroken', { day: '2026-12-04' })).toEqual({ rows: [], nextAfter: null });
    const firstPage = await ask<PromisePage>('PromisesBroken', { day: '2026-12-05', operatorId: 'collector-8', limit: 1 });
    expect([firstPage.rows.map((row) => row.promiseId), firstPage.nextAfter]).toEqual([[third.promiseId], null]);
    expect(await ask('PromisesBroken', { day: '2026-12-05', after: third.promiseId })).toEqual({ rows: [], nextAfter: null });
    // Its account, placed like the first, is Acme's and in Illinois.
    await eventually(async () => expect((await ask<PromisePage>('PromisesBroken', { day: '2026-12-05', creditorId: 'acme', jurisdiction: 'US' })).rows.map((row) => row.promiseId)).toEqual([third.promiseId]));
    expect(await ask('PromisesBroken', { day: '2026-12-05', jurisdiction: 'US-CA' })).toEqual({ rows: [], nextAfter: null });
    expect(await ask('PromisesBroken', { day: '2026-12-05', creditorId: 'globex' })).toEqual({ rows: [], nextAfter: null });
    // No longer open: not on the overdue worklist.
    expect((await ask<PromisePage<OverduePromiseView>>('PromisesOverdue', { day: '2026-12-06' })).rows.map((row) => row.promiseId)).not.toContain(third.promiseId);
    await expect(refused('PromisesBroken', {})).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'day' });
    await expect(refused('PromisesBroken', { day: 'yesterday' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'day' });
    await expect(refused('PromisesBroken', { day: '2026-12-05', after: 'nope' })).resolves.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'after' });
  });
});
