import { eventToMessage, globalPosition, type EventEnvelope, type GlobalPosition, type Topology } from '@arrears/contracts';
import type { PostgresEventStore } from '@arrears/event-store';
import { EventPublisher } from '@arrears/messaging';
import { newAccountStreamId, newPayments, percentile } from '@arrears/testing';
import { headers as natsHeaders, type JetStreamClient } from 'nats';

/** The pieces of the relay's loop, each timed alone, to say which one bounds it. */
export interface Diagnostics {
  /** The relay's own publisher (`EventPublisher`: span, headers, `Nats-Msg-Id`, wait for the ack), one at a time. */
  readonly relayPublish: PublishTiming;
  /** A bare `js.publish` of the same messages, one at a time: JetStream's round trip. */
  readonly barePublish: PublishTiming;
  /** One `readAll` of the global log that finds nothing new: what each of the relay's idle polls costs. */
  readonly emptyPollMs: { readonly p50: number; readonly p99: number };
}

export interface PublishTiming {
  readonly events: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Publishes to `topology`'s events stream under a type no consumer takes (`PublishProbe`), so nothing but the
 * stream sees these messages; the store's poll is timed after `head`, the last position appended.
 */
export async function measureDiagnostics(js: JetStreamClient, topology: Topology, store: PostgresEventStore, head: GlobalPosition, events: number): Promise<Diagnostics> {
  const publisher = new EventPublisher(js, topology);
  const control = { guard: () => undefined, signal: new AbortController().signal };
  const relayPublish = await timeSequentially(events, async (event) => {
    await publisher.publish(event, control);
  });
  const barePublish = await timeSequentially(events, async (event) => {
    const message = eventToMessage(event, topology);
    const headers = natsHeaders();
    for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
    await js.publish(message.subject, message.body, { msgID: event.eventId, headers });
  });
  const polls: number[] = [];
  for (let i = 0; i < 300; i++) {
    const start = performance.now();
    await store.readAll({ after: head, maxCount: 1_000 });
    polls.push(performance.now() - start);
  }
  return { relayPublish, barePublish, emptyPollMs: { p50: percentile(polls, 0.5), p99: percentile(polls, 0.99) } };
}

let sequence = 0;

async function timeSequentially(count: number, publish: (event: EventEnvelope) => Promise<void>): Promise<PublishTiming> {
  const events = Array.from({ length: count + 100 }, () => probeEvent());
  // The first hundred warm the code path up.
  for (const event of events.slice(0, 100)) await publish(event);
  const times: number[] = [];
  const started = performance.now();
  for (const event of events.slice(100)) {
    const start = performance.now();
    await publish(event);
    times.push(performance.now() - start);
  }
  const seconds = (performance.now() - started) / 1000;
  return { events: count, perSecond: count / seconds, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99) };
}

function probeEvent(): EventEnvelope {
  const [event] = newPayments(1) as [ReturnType<typeof newPayments>[number]];
  sequence += 1;
  return {
    ...event,
    type: 'PublishProbe',
    streamId: newAccountStreamId(),
    streamPosition: 0,
    globalPosition: globalPosition(sequence, 0),
    recordedAt: new Date().toISOString(),
  };
}
