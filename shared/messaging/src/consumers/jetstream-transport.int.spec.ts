import { ArrearsError, ErrorCode, type EventEnvelope, type Topology } from '@arrears/contracts';
import { eventually } from '@arrears/testing';
import { Controller, Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { connect, headers as natsHeaders, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { natsUrl } from '../nats-connection';
import { ArrearsRpcExceptionFilter, JetStreamContext } from './contexts';
import { listDeadLetters, replayDeadLetters } from './dead-letters';
import { main as dlqCli } from './dead-letters-cli';
import type { EventHandlerOptions } from './handler-options';
import { JetStreamTransport, type JetStreamTransportOptions } from './jetstream-transport';
import { createTopology, promiseBroken, promiseBrokenSubject, publishEvent, removeTopology, testTopology } from './testing/nats-fixtures';

type Handler = (event: EventEnvelope, context: JetStreamContext) => Promise<void> | void;

/**
 * A Nest microservice whose controller handles PromiseBroken with each of `handlers`, on this test's topology.
 * The decorators are applied by hand because every test declares a different set of handlers.
 */
async function startService(topology: Topology, handlers: readonly { handler: Handler; options: EventHandlerOptions }[], transportOptions: Partial<JetStreamTransportOptions> = {}) {
  const subject = promiseBrokenSubject(topology);
  @Controller()
  class PromiseHandlers {}
  handlers.forEach(({ handler, options }, index) => {
    const method = `handle${index}`;
    Object.defineProperty(PromiseHandlers.prototype, method, { value: (event: EventEnvelope, context: JetStreamContext) => handler(event, context), writable: true });
    const descriptor = Object.getOwnPropertyDescriptor(PromiseHandlers.prototype, method) as PropertyDescriptor;
    Payload()(PromiseHandlers.prototype, method, 0);
    Ctx()(PromiseHandlers.prototype, method, 1);
    EventPattern(subject, options)(PromiseHandlers.prototype, method, descriptor);
  });
  @Module({ controllers: [PromiseHandlers] })
  class PromiseModule {}
  const transport = new JetStreamTransport({ service: 'promises-to-pay', topology, consumer: { ackWaitMs: 5_000, fetchExpiresMs: 1_000 }, ...transportOptions });
  const app = await NestFactory.createMicroservice(PromiseModule as Type, { strategy: transport, logger: false });
  app.useGlobalFilters(new ArrearsRpcExceptionFilter());
  await app.listen();
  return { app, transport };
}

describe('JetStream transport: event handlers', () => {
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let topology: Topology;
  const apps: INestMicroservice[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl() });
    js = nc.jetstream();
    jsm = await nc.jetstreamManager();
  });

  beforeEach(async () => {
    topology = testTopology();
    await createTopology(jsm, topology);
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await removeTopology(jsm, topology);
  });

  afterAll(async () => {
    await nc.drain();
  });

  async function start(handlers: readonly { handler: Handler; options: EventHandlerOptions }[], transportOptions: Partial<JetStreamTransportOptions> = {}) {
    const started = await startService(topology, handlers, transportOptions);
    apps.push(started.app);
    return started;
  }

  const consumerInfo = (durable: string, stream = topology.eventsStream) => jsm.consumers.info(stream, durable);

  it('a new consumer sees the history; each event is handled once and acknowledged', async () => {
    const before = promiseBroken();
    await publishEvent(js, topology, before);
    const seen: { eventId: string; handler: string; consumer: string; deliveries: number; replay: boolean }[] = [];
    await start([
      {
        handler: (event, context) => {
          seen.push({ eventId: event.eventId, handler: context.getHandlerName(), consumer: context.getConsumerName(), deliveries: context.getDeliveryCount(), replay: context.isReplay() });
        },
        options: { name: 'notify-collector' },
      },
    ]);
    const after = promiseBroken();
    await publishEvent(js, topology, after);

    await eventually(() => expect(seen.map((entry) => entry.eventId)).toEqual([before.eventId, after.eventId]));
    expect(seen[0]).toEqual({ eventId: before.eventId, handler: 'notify-collector', consumer: 'promises-to-pay__notify-collector', deliveries: 1, replay: false });
    await eventually(async () => {
      const info = await consumerInfo('promises-to-pay__notify-collector');
      expect(info.num_ack_pending).toBe(0);
      expect(info.ack_floor.stream_seq).toBe(2);
    });
    const info = await consumerInfo('promises-to-pay__notify-collector');
    expect(info.config).toMatchObject({ filter_subject: promiseBrokenSubject(topology), durable_name: 'promises-to-pay__notify-collector', deliver_policy: 'all', ack_policy: 'explicit' });
    expect(info.delivered.stream_seq).toBe(2);
    expect(seen).toHaveLength(2);
  });

  it('a failed event is retried with growing delays until it succeeds', async () => {
    const deliveredAt: number[] = [];
    await start([
      {
        handler: () => {
          deliveredAt.push(Date.now());
          if (deliveredAt.length < 3) throw new Error('the read model is not reachable');
        },
        options: { name: 'flaky', backoffMs: [300, 900], maxDeliver: 5 },
      },
    ]);
    await publishEvent(js, topology, promiseBroken());

    await eventually(async () => expect((await consumerInfo('promises-to-pay__flaky')).ack_floor.stream_seq).toBe(1), { timeoutMs: 10_000 });
    expect(deliveredAt).toHaveLength(3);
    const [first = 0, second = 0, third = 0] = deliveredAt;
    // Lower bounds only: the delays were asked for; how much later the server redelivered is not the point.
    expect(second - first).toBeGreaterThanOrEqual(280);
    expect(third - second).toBeGreaterThanOrEqual(880);
    expect(await listDeadLetters({ js, jsm, topology, service: 'promises-to-pay' })).toEqual([]);
  });

  it('after N failed deliveries the event is dead-lettered with its error and the handler name', async () => {
    let calls = 0;
    await start([
      {
        handler: () => {
          calls += 1;
          throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'amount: expected a positive integer', { field: 'data.amount' });
        },
        options: { name: 'poisoned', maxDeliver: 3, backoffMs: [50] },
      },
    ]);
    const event = promiseBroken();
    const sequence = await publishEvent(js, topology, event);

    const [letter] = await eventually(async () => {
      const letters = await listDeadLetters({ js, jsm, topology, service: 'promises-to-pay', handler: 'poisoned' });
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter).toMatchObject({
      service: 'promises-to-pay',
      handler: 'poisoned',
      error: 'amount: expected a positive integer',
      errorCode: 'VALIDATION_FAILED',
      errorField: 'data.amount',
      originalSubject: promiseBrokenSubject(topology),
      originalStream: topology.eventsStream,
      originalSequence: sequence,
      deliveries: 3,
      eventId: event.eventId,
    });
    expect(new Date(letter?.failedAt ?? '').getTime()).not.toBeNaN();
    expect(calls).toBe(3);
    // Terminated, not left pending: the consumer has moved on.
    await eventually(async () => expect((await consumerInfo('promises-to-pay__poisoned')).num_ack_pending).toBe(0));
  });

  it('a dead letter replayed after the fix is handled once, by that handler only, and leaves the dead letters', async () => {
    let fixed = false;
    const handled: { eventId: string; replay: boolean; consumer: string }[] = [];
    const bystander: string[] = [];
    await start([
      {
        handler: (event, context) => {
          if (!fixed) throw new Error('bug: cannot handle a broken promise without a due date');
          handled.push({ eventId: event.eventId, replay: context.isReplay(), consumer: context.getConsumerName() });
        },
        options: { name: 'buggy', maxDeliver: 2, backoffMs: [20] },
      },
      { handler: (event) => void bystander.push(event.eventId), options: { name: 'bystander' } },
    ]);
    const event = promiseBroken();
    await publishEvent(js, topology, event);
    await eventually(async () => expect(await listDeadLetters({ js, jsm, topology, service: 'promises-to-pay' })).toHaveLength(1));

    fixed = true;
    // Two operators replaying at once still hand the event back once.
    const results = await Promise.all([replayDeadLetters({ js, jsm, topology, service: 'promises-to-pay', handler: 'buggy' }), replayDeadLetters({ js, jsm, topology, service: 'promises-to-pay' })]);
    expect(results.flatMap((result) => result.replayed)).toHaveLength(2);

    await eventually(() => expect(handled).toEqual([{ eventId: event.eventId, replay: true, consumer: 'promises-to-pay__buggy' }]));
    await eventually(async () => expect((await consumerInfo('promises-to-pay__buggy__replay', topology.deadLetterStream)).ack_floor.stream_seq).toBeGreaterThan(0));
    expect(await listDeadLetters({ js, jsm, topology, service: 'promises-to-pay' })).toEqual([]);
    expect((await replayDeadLetters({ js, jsm, topology, service: 'promises-to-pay' })).replayed).toEqual([]);
    expect(handled).toHaveLength(1);
    expect(bystander).toEqual([event.eventId]);
  });

  it('operators list and replay dead letters from the command line', async () => {
    let fixed = false;
    const handled: string[] = [];
    await start([
      {
        handler: (event) => {
          if (!fixed) throw new ArrearsError(ErrorCode.COMPLIANCE_BLOCKED, 'the debtor asked to cease contact');
          handled.push(event.eventId);
        },
        options: { name: 'dialer', maxDeliver: 1 },
      },
    ]);
    const event = promiseBroken();
    await publishEvent(js, topology, event);
    await eventually(async () => expect(await listDeadLetters({ js, jsm, topology, service: 'promises-to-pay' })).toHaveLength(1));
    const cli = async (...argv: string[]) => {
      const io = { out: [] as string[], err: [] as string[] };
      const code = await dlqCli(argv, { out: { write: (text: string) => io.out.push(text) }, err: { write: (text: string) => io.err.push(text) } });
      return { code, out: io.out.join(''), err: io.err.join('') };
    };

    const listed = await cli('list', '--service', 'promises-to-pay', '--root', topology.root);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`dialer ${promiseBrokenSubject(topology)} event ${event.eventId} after 1 deliveries`);
    expect(listed.out).toContain('COMPLIANCE_BLOCKED the debtor asked to cease contact');
    fixed = true;
    const replayed = await cli('replay', '--service', 'promises-to-pay', '--handler', 'dialer', '--root', topology.root);
    expect(replayed).toMatchObject({ code: 0, err: expect.stringContaining('1 dead letter(s) of promises-to-pay handler dialer sent back') });
    await eventually(() => expect(handled).toEqual([event.eventId]));
    expect((await cli('replay', '--service', 'nobody', '--root', topology.root)).code).toBe(2);
  });

  it('a message that is not an event is dead-lettered at once, without calling the handler', async () => {
    let calls = 0;
    await start([{ handler: () => void (calls += 1), options: { name: 'strict', maxDeliver: 5 } }]);
    const headers = natsHeaders();
    headers.set('Arrears-Event-Type', 'PromiseBroken');
    await js.publish(promiseBrokenSubject(topology), '{"not":"an envelope"', { headers, msgID: 'garbage-1' });

    const [letter] = await eventually(async () => {
      const letters = await listDeadLetters({ js, jsm, topology, service: 'promises-to-pay', handler: 'strict' });
      expect(letters).toHaveLength(1);
      return letters;
    });
    expect(letter).toMatchObject({ errorCode: 'VALIDATION_FAILED', deliveries: 1, handler: 'strict' });
    expect(calls).toBe(0);
  });

  it('two handlers of one event each get it, and one failing does not repeat the other', async () => {
    const calls = { audit: 0, notify: 0 };
    await start([
      { handler: () => void (calls.audit += 1), options: { name: 'audit' } },
      {
        handler: () => {
          calls.notify += 1;
          if (calls.notify === 1) throw new Error('once');
        },
        options: { name: 'notify', backoffMs: [20] },
      },
    ]);
    await publishEvent(js, topology, promiseBroken());
    await eventually(() => expect(calls).toEqual({ audit: 1, notify: 2 }));
  });

  it('close() waits for the running handler to finish and acknowledges its event', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const log: string[] = [];
    const { app } = await start([
      {
        handler: async () => {
          log.push('started');
          await gate;
          log.push('finished');
        },
        options: { name: 'slow' },
      },
    ]);
    await publishEvent(js, topology, promiseBroken());
    await eventually(() => expect(log).toEqual(['started']));

    const closing = app.close().then(() => log.push('closed'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(log).toEqual(['started']);
    release();
    await closing;
    apps.splice(apps.indexOf(app), 1);

    expect(log).toEqual(['started', 'finished', 'closed']);
    const info = await consumerInfo('promises-to-pay__slow');
    expect(info.num_ack_pending).toBe(0);
    expect(info.ack_floor.stream_seq).toBe(1);
  });

  it('close() stops waiting for a handler after the drain timeout, and the event comes back to the next instance', async () => {
    const deliveries: number[] = [];
    const handler: Handler = (_event, context) => {
      deliveries.push(context.getDeliveryCount());
      // The first delivery never finishes, as a handler stuck on a dead dependency.
      return deliveries.length === 1 ? new Promise<void>(() => undefined) : undefined;
    };
    const options: EventHandlerOptions = { name: 'stuck', ackWaitMs: 1_000 };
    const { app } = await start([{ handler, options }], { drainTimeoutMs: 300 });
    await publishEvent(js, topology, promiseBroken());
    await eventually(() => expect(deliveries).toEqual([1]));

    await app.close();
    apps.splice(apps.indexOf(app), 1);
    await start([{ handler, options }]);
    await eventually(() => expect(deliveries).toEqual([1, 2]), { timeoutMs: 10_000 });
    await eventually(async () => expect((await consumerInfo('promises-to-pay__stuck')).ack_floor.stream_seq).toBe(1));
  });

  it('a consumer deleted from under the service is recreated as declared, and the service carries on', async () => {
    const seen: string[] = [];
    await start([{ handler: (event) => void seen.push(event.eventId), options: { name: 'resilient' } }]);
    const first = promiseBroken();
    await publishEvent(js, topology, first);
    await eventually(() => expect(seen).toEqual([first.eventId]));

    await jsm.consumers.delete(topology.eventsStream, 'promises-to-pay__resilient');
    const second = promiseBroken();
    await publishEvent(js, topology, second);
    // Recreated with `deliverFrom: 'all'`, it starts over: handlers are idempotent, so that is safe.
    await eventually(() => expect(seen).toContain(second.eventId), { timeoutMs: 15_000 });
    expect((await consumerInfo('promises-to-pay__resilient')).config.filter_subject).toBe(promiseBrokenSubject(topology));
  });

  it('refuses two handlers that would share one consumer', async () => {
    await expect(
      start([
        { handler: () => undefined, options: {} },
        { handler: () => undefined, options: {} },
      ]),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'name' });
  });
});
