import { randomBytes, randomUUID } from 'node:crypto';
import { CommandClient } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { accountPlaced, createTestSchema, databaseUrl, eventually, paymentPosted, uniqueName, type TestSchema } from '@arrears/testing';
import { DEFAULT_PROMISE_POLICY } from './promise/domain/policy';
import { promiseDueTimerId } from './promise/promise-timers';
import { startPromisesService, type PromisesService } from './service';

/**
 * The promises-to-pay service as it runs — commands over NATS, its events through the relay to its timer follower,
 * accounts' payments from JetStream — with the timers' clock in the test's hand.
 */
describe('promises over NATS, with durable break timers', () => {
  let harness: RelayHarness;
  const schemas: TestSchema[] = [];
  const running: PromisesService[] = [];
  let client: CommandClient;
  let now = new Date('2026-11-30T15:00:00.000Z');

  async function start(): Promise<PromisesService> {
    const service = await startPromisesService({
      databaseUrl: databaseUrl(),
      storeSchema: harness.storeSchema.name,
      keySchema: schemas[0]!.name,
      readSchema: schemas[1]!.name,
      timerSchema: schemas[2]!.name,
      masterKey: randomBytes(32),
      policy: DEFAULT_PROMISE_POLICY,
      topology: harness.topology,
      nats: harness.nats,
      clock: () => now,
      // The test fires timers itself with pollOnce, at the instants it chooses.
      timerPollIntervalMs: 3_600_000,
    });
    running.push(service);
    return service;
  }

  beforeAll(async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('promises') });
    schemas.push(await createTestSchema('promises_keys'), await createTestSchema('promises_read'), await createTestSchema('promises_timers'));
    (await harness.relay()).start();
    client = new CommandClient({ connection: harness.nats, topology: harness.topology });
  });

  afterAll(async () => {
    for (const service of running) await service.close();
    await harness?.cleanup();
    for (const schema of schemas) await schema.drop();
  });

  const send = (type: string, data: Record<string, unknown>) =>
    client.send<{ events: { type: string }[] }>('promises-to-pay', { type, data, metadata: { correlationId: randomUUID(), actorId: 'collector-7', actorRole: 'collector', now: now.toISOString() } });

  /** The account as the accounts service stored it: promises are only made on a placed, open account. */
  const placeAccount = (accountId: string) => harness.store.appendToStream(`account-${accountId}`, [accountPlaced(accountId)], { expectedVersion: 'no_stream' });

  const promiseEvents = async (accountId: string) => (await harness.store.readStream(`promise-${accountId}`)).map((event) => event.type);

  it('breaks a promise at due date plus grace exactly, once — also across a restart in between', async () => {
    let service = await start();
    const accountId = randomUUID();
    const promiseId = randomUUID();
    await placeAccount(accountId);
    expect((await send('RecordPromise', { promiseId, accountId, amount: { minor: 20_000, currency: 'USD' }, dueDate: '2026-12-05', channel: 'call' })).events.map((e) => e.type)).toEqual([
      'PromiseRecorded',
    ]);
    // The timer is scheduled from the stored event, through the relay.
    await eventually(async () => expect((await service.timers.get(promiseDueTimerId(promiseId)))?.fireAt).toBe('2026-12-09T00:00:00.000Z'));

    now = new Date('2026-12-08T23:59:59.999Z');
    expect(await service.poller.pollOnce()).toBe(0);
    expect(await promiseEvents(accountId)).toEqual(['PromiseRecorded']);

    // Restart between the due date and the end of grace: a new instance finds the timer and fires it once.
    await service.close();
    running.splice(running.indexOf(service), 1);
    service = await start();
    now = new Date('2026-12-09T00:00:00.000Z');
    expect(await service.poller.pollOnce()).toBe(1);
    expect(await service.poller.pollOnce()).toBe(0);
    expect(await promiseEvents(accountId)).toEqual(['PromiseRecorded', 'PromiseBroken']);
    expect((await service.timers.get(promiseDueTimerId(promiseId)))?.status).toBe('fired');
  });

  it('a payment posted by accounts keeps the promise, and its timer is cancelled', async () => {
    now = new Date('2026-11-30T15:00:00.000Z');
    const service = running[0] ?? (await start());
    const accountId = randomUUID();
    const promiseId = randomUUID();
    await placeAccount(accountId);
    await send('RecordPromise', { promiseId, accountId, amount: { minor: 20_000, currency: 'USD' }, dueDate: '2026-12-05', channel: 'call' });
    await eventually(async () => expect(await service.timers.get(promiseDueTimerId(promiseId))).toBeDefined());

    const event = paymentPosted(accountId, { reference: 'BANK-55', minor: 20_000, receivedOn: '2026-12-02', principalAfter: 60_000 });
    await harness.store.appendToStream(`account-${accountId}`, [event], { expectedVersion: 'any' });

    await eventually(async () => expect(await promiseEvents(accountId)).toEqual(['PromiseRecorded', 'PromiseKept']));
    await eventually(async () => expect((await service.timers.get(promiseDueTimerId(promiseId)))?.status).toBe('cancelled'));
    now = new Date('2026-12-10T00:00:00.000Z');
    await service.poller.pollOnce();
    expect(await promiseEvents(accountId)).toEqual(['PromiseRecorded', 'PromiseKept']);
  });
});
