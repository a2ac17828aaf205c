import { CachedProbe, lazyInstruments, observeBatch } from '@arrears/observability';
import type { ConsumerInfo } from 'nats';

const SCOPE = '@arrears/messaging';

/** How an event's delivery to a handler ended, as `arrears_events_handled_total{outcome}` counts it. */
export type HandledOutcome = 'ok' | 'retried' | 'dead-lettered';

/** `arrears_dead_letters_total{service,consumer}` and `arrears_events_handled_total{service,consumer,outcome}`. */
export const consumerMetrics = lazyInstruments(SCOPE, (meter) => ({
  deadLetters: meter.createCounter('arrears.dead_letters', { description: 'Events moved to the dead-letter stream, by consumer', unit: '{event}' }),
  handled: meter.createCounter('arrears.events.handled', {
    description: 'Deliveries of events to handlers, by consumer and outcome (ok, retried, dead-lettered)',
    unit: '{delivery}',
  }),
}));

export interface ObservedConsumer {
  readonly stream: string;
  readonly durable: string;
}

/** A scrape asks JetStream about each consumer at most this often. */
export const DEFAULT_CONSUMER_INFO_MAX_AGE_MS = 5_000;

/**
 * `arrears_consumer_pending_messages{service,consumer}` (in the stream, not yet delivered to the consumer) and
 * `arrears_consumer_ack_pending_messages{service,consumer}` (delivered, not yet acknowledged), read from
 * JetStream's consumer info, cached per consumer so scrapes never hammer NATS. A consumer whose info cannot be
 * read is left unreported rather than reported as 0. Returns the function that stops observing.
 */
export function observeConsumerLag(
  info: (stream: string, durable: string) => Promise<ConsumerInfo>,
  service: string,
  consumers: readonly ObservedConsumer[],
  maxAgeMs = DEFAULT_CONSUMER_INFO_MAX_AGE_MS,
): () => void {
  const probes = consumers.map((consumer) => ({ consumer, probe: new CachedProbe(() => info(consumer.stream, consumer.durable), maxAgeMs) }));
  return observeBatch(
    SCOPE,
    (meter) => ({
      pending: meter.createObservableGauge('arrears.consumer.pending.messages', { description: 'Events in the stream not yet delivered to the durable consumer', unit: '{message}' }),
      ackPending: meter.createObservableGauge('arrears.consumer.ack_pending.messages', { description: 'Events delivered to the durable consumer and not yet acknowledged', unit: '{message}' }),
    }),
    async (result, { pending, ackPending }) => {
      await Promise.all(
        probes.map(async ({ consumer, probe }) => {
          const current = await probe.get().catch(() => undefined);
          if (current === undefined) return;
          const attributes = { service, consumer: consumer.durable };
          result.observe(pending, current.num_pending, attributes);
          result.observe(ackPending, current.num_ack_pending, attributes);
        }),
      );
    },
  );
}
