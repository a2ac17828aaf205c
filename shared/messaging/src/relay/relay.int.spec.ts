import { EventHeader, eventSubject, messageToEvent, type TraceContext } from '@arrears/contracts';
import { createTestSchema, eventually, newEvent, newEvents, uniqueName, uniqueStream } from '@arrears/testing';
import { startTestTelemetry } from '@arrears/observability';
import { SpanKind } from '@opentelemetry/api';
import { perfectDelivery } from './testing/jetstream-log';
import { RelayHarness } from './testing/relay-harness';

describe('Relay: from the event store to JetStream', () => {
  let harness: RelayHarness;
  const telemetry = startTestTelemetry('relay-test');
  beforeEach(async () => {
    await telemetry.reset();
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('relay') });
  });
  afterEach(() => harness.cleanup());
  afterAll(() => telemetry.shutdown());

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
      // The trace context a message carries is the relay's producer span (asserted below), not the stored one.
      const { trace: _producer, ...metadata } = messageToEvent((name) => message.headers?.get(name), message.body).metadata;
      expect({ ...messageToEvent((name) => message.headers?.get(name), message.body), metadata }).toEqual(event);
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
    const stored: TraceContext = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'arrears=1' };
    const traced = { ...newEvent('PromiseBroken'), metadata: { ...newEvent().metadata, trace: stored } };
    await harness.store.appendToStream(uniqueStream('promise'), [traced, newEvent('PromiseKept')], { expectedVersion: 'no_stream' });
    const relay = await harness.relay();
    relay.start();
    await eventually(async () => expect(await harness.messageCount()).toBe(2));

    const [message, untraced] = await harness.messages();
    const spans = await telemetry.finishedSpans();
    const producerOf = (eventId: string | undefined) => spans.find((candidate) => candidate.attributes['messaging.message.id'] === eventId)!;
    const span = producerOf(traced.eventId);
    expect({ kind: span.kind, name: span.name }).toEqual({ kind: SpanKind.PRODUCER, name: `publish ${message?.subject}` });
    expect(span.parentSpanContext).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', isRemote: true });
    // The consumer's parent is the relay's span, in the same trace.
    expect(message?.headers?.get('traceparent')).toBe(`00-0af7651916cd43dd8448eb211c80319c-${span.spanContext().spanId}-01`);
    expect(message?.headers?.get('tracestate')).toBe('arrears=1');
    expect(span.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.destination.name': message?.subject, 'messaging.nats.duplicate': false });
    // An event written outside a trace starts one at the relay.
    const root = producerOf(untraced?.eventId);
    expect(root.parentSpanContext).toBeUndefined();
    expect(untraced?.headers?.get('traceparent')).toBe(`00-${root.spanContext().traceId}-${root.spanContext().spanId}-01`);
  });
});
