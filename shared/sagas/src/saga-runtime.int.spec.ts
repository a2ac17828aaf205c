import { randomUUID } from 'node:crypto';
import { commandSubject, ErrorCode, EventCatalog, natsTopology, sagaEffectEvents, type EventEnvelope } from '@arrears/contracts';
import { PostgresEventStore, type DomainEvent } from '@arrears/event-store';
import { CommandClient, connectNats } from '@arrears/messaging';
import { createTestSchema, paymentPosted, uniqueName, type TestSchema } from '@arrears/testing';
import { PostgresTimerStore, TimerPoller } from '@arrears/timers';
import type { NatsConnection } from 'nats';
import { SagaEffects } from './effects';
import type { SagaDefinition } from './saga';
import { SagaRuntime } from './saga-runtime';

/**
 * The runtime with the real event store, timer store and NATS, over a small saga: a payment sets a follow-up timer
 * and asks promises-to-pay to cancel a promise; the timer, when it fires, asks again — once.
 */
interface FollowUp {
  readonly issued: number;
  readonly followedUp: boolean;
}

const catalog = new EventCatalog(sagaEffectEvents('case-workflow'));
const followUps: SagaDefinition<FollowUp, DomainEvent> = {
  name: 'saga-test',
  category: 'followup',
  events: catalog,
  initialState: () => ({ issued: 0, followedUp: false }),
  evolve: (state, event) =>
    event.type === 'SagaCommandIssued' ? { issued: state.issued + 1, followedUp: state.followedUp || event.data['reason'] === 'follow-up' } : state,
  correlate: (event) => (event.type === 'PaymentPosted' ? String(event.data['accountId']) : undefined),
  react: (state, input, { sagaId, effects }) => {
    if (input.kind === 'event') {
      const fireAt = new Date(Date.parse(input.at) + 3_600_000).toISOString();
      return [effects.setTimer('follow-up', 'only', fireAt, { reference: String(input.event.data['paymentReference']) }), effects.command('promises-to-pay', 'CancelPromise', { accountId: sagaId, promiseId: randomStable(sagaId), reason: 'paid' }, 'payment')];
    }
    if (input.kind === 'timer' && !state.followedUp) return [effects.command('promises-to-pay', 'CancelPromise', { accountId: sagaId, promiseId: randomStable(sagaId), reason: 'follow-up' }, 'follow-up')];
    return [];
  },
};

function randomStable(seed: string): string {
  return `${seed.slice(0, 24)}${'0'.repeat(12)}`;
}

describe('the saga runtime', () => {
  let schema: TestSchema;
  let timerSchema: TestSchema;
  let store: PostgresEventStore;
  let timers: PostgresTimerStore;
  let nats: NatsConnection;
  const topology = natsTopology(uniqueName('sagas'));
  const received: string[] = [];
  let answer: 'ok' | 'refuse' = 'ok';
  let runtime: SagaRuntime<FollowUp, DomainEvent>;

  beforeAll(async () => {
    schema = await createTestSchema('sagas');
    store = new PostgresEventStore({ pool: schema.pool, schema: schema.name });
    await store.migrate();
    timerSchema = await createTestSchema('sagas_timers');
    timers = new PostgresTimerStore({ pool: timerSchema.pool, schema: timerSchema.name });
    await timers.migrate();
    nats = await connectNats('saga runtime test');
    // promises-to-pay as the runtime meets it: a NATS responder that records each command id it is sent.
    const subscription = nats.subscribe(commandSubject('promises-to-pay', 'CancelPromise', topology));
    void (async () => {
      for await (const message of subscription) {
        const command = JSON.parse(message.string()) as { commandId: string };
        received.push(command.commandId);
        message.respond(JSON.stringify(answer === 'ok' ? { ok: true, result: { events: [] } } : { ok: false, error: { code: ErrorCode.STATE_CONFLICT, message: 'Promise was already kept' } }));
      }
    })();
    const client = new CommandClient({ connection: nats, topology });
    runtime = new SagaRuntime({ definition: followUps, store, timers, send: (service, command) => client.send(service, command, { timeoutMs: 2_000 }) });
  });

  afterAll(async () => {
    await nats?.close();
    await schema?.drop();
    await timerSchema?.drop();
  });

  const history = async (accountId: string) => store.readStream(`followup-${accountId}`);
  const carryOutAll = async (events: readonly EventEnvelope[]) => {
    for (const event of events) await runtime.carryOut(event);
  };

  it('decides an input once, however often it is delivered', async () => {
    const accountId = randomUUID();
    const payment = await published(accountId);
    const first = await runtime.onEvent(payment);
    const again = await runtime.onEvent(payment);
    expect(first?.events.map((event) => event.type)).toEqual(['SagaTimerSet', 'SagaCommandIssued']);
    expect(again?.repeated).toBe(true);
    expect(await history(accountId)).toHaveLength(2);
    expect(await runtime.onEvent({ ...payment, type: 'AccountClosed' })).toBeUndefined();
  });

  it('carries out effects from the stored events: the command with its derived id, the timer set; a repeat sends the same id', async () => {
    const accountId = randomUUID();
    await runtime.onEvent(await published(accountId));
    const stored = await history(accountId);
    received.length = 0;
    await carryOutAll(stored);
    await carryOutAll(stored); // the relay redelivered everything after a crash
    const issued = stored.find((event) => event.type === 'SagaCommandIssued')!;
    expect(received).toEqual([issued.data['commandId'], issued.data['commandId']]);
    const timer = await timers.get(String(stored[0]!.data['timerId']));
    expect(timer).toMatchObject({ status: 'pending', owner: 'saga-test', key: accountId, fireAt: new Date(Date.parse(stored[0]!.occurredAt) + 3_600_000).toISOString() });
  });

  it('a timer fires into the saga once: a second firing of the same timer decides nothing new', async () => {
    const accountId = randomUUID();
    await runtime.onEvent(await published(accountId));
    await carryOutAll(await history(accountId));
    const timerId = String((await history(accountId))[0]!.data['timerId']);
    const fireAt = (await timers.get(timerId))!.fireAt;
    let now = new Date(Date.parse(fireAt) - 1);
    const fired: string[] = [];
    const poller = new TimerPoller({ store: timers, owner: 'saga-test', clock: () => now, handler: async (due) => void fired.push((await runtime.onTimer(due)).events.map((event) => event.type).join()) });
    expect(await poller.pollOnce()).toBe(0);
    now = new Date(Date.parse(fireAt));
    await poller.pollOnce();
    expect(fired).toContain('SagaCommandIssued');
    // The same timer delivered again (a poller that crashed after the append but before marking it fired).
    const again = await runtime.onTimer({ ...(await timers.get(timerId))!, attempt: 2, firedAt: now.toISOString() } as never);
    expect(again.repeated).toBe(true);
    expect((await history(accountId)).map((event) => event.type)).toEqual(['SagaTimerSet', 'SagaCommandIssued', 'SagaCommandIssued']);
  });

  it('a refused command is recorded once; an unreachable service is tried again', async () => {
    const accountId = randomUUID();
    await runtime.onEvent(await published(accountId));
    const issued = (await history(accountId)).find((event) => event.type === 'SagaCommandIssued')!;
    answer = 'refuse';
    await runtime.carryOut(issued);
    await runtime.carryOut(issued);
    answer = 'ok';
    const refused = (await history(accountId)).filter((event) => event.type === 'SagaCommandRefused');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.data).toMatchObject({ commandId: issued.data['commandId'], code: ErrorCode.STATE_CONFLICT, command: 'CancelPromise', service: 'promises-to-pay' });

    const unreachable = new SagaRuntime({ definition: followUps, store, timers, send: () => Promise.reject(Object.assign(new Error('no responders'), { code: 'UNAVAILABLE' })) });
    await expect(unreachable.carryOut(issued)).rejects.toThrow('no responders');
  });

  it('a cleared timer never fires', async () => {
    const accountId = randomUUID();
    const effects = new SagaEffects('saga-test', accountId, { kind: 'event', id: randomUUID(), at: '2026-12-01T10:00:00.000Z', event: await published(accountId) });
    const set = { ...(await published(accountId)), streamId: `followup-${accountId}`, type: 'SagaTimerSet', data: catalog.encode(effects.setTimer('reminder', 'k', '2026-12-01T11:00:00.000Z') as never).data as Record<string, unknown> };
    const cleared = { ...set, type: 'SagaTimerCleared', data: catalog.encode(effects.clearTimer('reminder', 'k') as never).data as Record<string, unknown> };
    await runtime.carryOut(set);
    await runtime.carryOut(cleared);
    expect((await timers.get(String(set.data['timerId'])))?.status).toBe('cancelled');
  });

  async function published(accountId: string): Promise<EventEnvelope> {
    const streamId = `account-${accountId}`;
    await store.appendToStream(streamId, [paymentPosted(accountId, { reference: `BANK-${accountId.slice(0, 4)}`, minor: 1_000, receivedOn: '2026-12-01', principalAfter: 0 })], { expectedVersion: 'any' });
    return (await store.readStream(streamId)).at(-1)!;
  }
});
