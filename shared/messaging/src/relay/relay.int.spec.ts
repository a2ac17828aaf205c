import { EventHeader, eventSubject, messageToEvent, type TraceContext } from '@arrears/contracts';
import { newEvent, newEvents, uniqueStream } from '@arrears/event-store/src/conformance/fixtures';
import { createTestSchema, eventually, uniqueName } from '@arrears/testing';
import { SpanKind, propagation } from '@opentelemetry/api';
import { perfectDelivery } from './testing/jetstream-log';
import { RecordingTracer, W3CTraceContextTestPropagator } from './testing/recording-telemetry';
import { RelayHarness } from './testing/relay-harness';

describe('Relay: from the event store to JetStream', () => {
  let harness: RelayHarness;
  beforeEach(async () => (harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('relay') })));
  afterEach(() => harness.cleanup());

  it('publishes every event in log order: subject, Nats-Msg-Id, the envelope in headers, the data as JSON', async () => {
    const promise = uniqueStream('promise');
    await harness.store.appendToStream(promise, [newEvent('PromiseRecorded', { amount: { minor: 5_000, currency: 'EUR' } }), newEvent('PromiseKept')], {
      expectedVersion: 'no_stream',
    });
    await harness.store.appendToStream(uniqueStream(), newEvents(3, 'SomethingHappened'), { expectedVersion: 'no_stream' });
    const relay = await harness.relay();
    relay.start();

    await eventually(async () => expect(await harness.messageCount()).toBe(5));
    const events = await harness.events();
    const messages = await harness.messages();
    expect(messages.map((message) => message.eventId)).toEqual(events.map((event) => event.eventId));
    expect(messages[0]?.subject).toBe(`${harness.topology.root}.evt.promises-to-pay.PromiseRecorded`);
    events.forEach((event, n) => {
      const message = messages[n]!;
      expect(message.subject).toBe(eventSubject(event, harness.topology));
      expect(message.headers?.get(EventHeader.MSG_ID)).toBe(event.eventId);
      expect(JSON.parse(message.body)).toEqual(event.data);
      expect(messageToEvent((name) => message.headers?.get(name), message.body)).toEqual(event);
    });
  });

  it('saves its checkpoint after the acknowledgements, and a restarted relay resumes after it without publishing twice', async () => {
    const first = await harness.relay();
    first.start();
    for (let n = 0; n < 3; n += 1) await harness.store.appendToStream(uniqueStream('plan'), newEvents(10), { expectedVersion: 'no_stream' });
    await eventually(async () => expect(await harness.messageCount()).toBe(30));
    await first.stop();
    const published = await harness.events();
    expect(await harness.checkpoints.read('relay')).toBe(published.at(-1)?.globalPosition);

    for (let n = 0; n < 2; n += 1) await harness.store.appendToStream(uniqueStream('plan'), newEvents(10), { expectedVersion: 'no_stream' });
    const second = await harness.relay();
    second.start();
    await eventually(async () => expect(await harness.messageCount()).toBe(50));
    const events = await harness.events();
    await eventually(async () => expect(await harness.checkpoints.read('relay')).toBe(events.at(-1)?.globalPosition));
    expect(second.status().publishedCount).toBe(20);
    expect(await harness.report()).toEqual(perfectDelivery(events));
  });

  it('a relay resuming from an older checkpoint (a crash before the save) publishes again, and JetStream drops the repeats', async () => {
    await harness.store.appendToStream(uniqueStream('case'), newEvents(40), { expectedVersion: 'no_stream' });
    const first = await harness.relay();
    first.start();
    await eventually(async () => expect(await harness.messageCount()).toBe(40));
    await first.stop();
    const events = await harness.events();
    // As if the last save before a crash had recorded the 10th event only.
    const { term } = await harness.checkpoints.claim('relay');
    await harness.checkpoints.save('relay', term, events[9]!.globalPosition);

    const second = await harness.relay();
    second.start();
    await eventually(async () => expect(await harness.checkpoints.read('relay')).toBe(events.at(-1)?.globalPosition));
    expect(second.status().publishedCount).toBe(30);
    expect(await harness.report()).toEqual(perfectDelivery(events));
  });

  it("continues the event's trace: a producer span per event under the stored trace, whose context the message carries", async () => {
    propagation.setGlobalPropagator(new W3CTraceContextTestPropagator());
    try {
      const stored: TraceContext = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'arrears=1' };
      const traced = { ...newEvent('PromiseBroken'), metadata: { ...newEvent().metadata, trace: stored } };
      await harness.store.appendToStream(uniqueStream('promise'), [traced, newEvent('PromiseKept')], { expectedVersion: 'no_stream' });
      const tracer = new RecordingTracer();
      const relay = await harness.relay({ tracer });
      relay.start();
      await eventually(async () => expect(await harness.messageCount()).toBe(2));

      const [message, untraced] = await harness.messages();
      const span = tracer.spans.find((candidate) => candidate.attributes['messaging.message.id'] === traced.eventId)!;
      expect(span).toMatchObject({ kind: SpanKind.PRODUCER, ended: true, name: `publish ${message?.subject}` });
      expect(span.parent).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', isRemote: true });
      // The consumer's parent is the relay's span, in the same trace.
      expect(message?.headers?.get('traceparent')).toBe(`00-0af7651916cd43dd8448eb211c80319c-${span.context.spanId}-01`);
      expect(message?.headers?.get('tracestate')).toBe('arrears=1');
      expect(span.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.destination.name': message?.subject, 'messaging.nats.duplicate': false });
      // An event written outside a trace starts one at the relay.
      const root = tracer.spans.find((candidate) => candidate.attributes['messaging.message.id'] === untraced?.eventId)!;
      expect(root.parent).toBeUndefined();
      expect(untraced?.headers?.get('traceparent')).toBe(`00-${root.context.traceId}-${root.context.spanId}-01`);
    } finally {
      propagation.disable();
    }
  });
});
