import { eventToMessage, type EventEnvelope, type Topology } from '@arrears/contracts';
import { backoffMs, delay } from '@arrears/event-store';
import { contextFromTrace, injectTraceHeaders } from '@arrears/observability';
import { SpanKind, SpanStatusCode, context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { headers as natsHeaders, type JetStreamClient, type MsgHdrs, type PubAck } from 'nats';

export interface PublishTuning {
  /** How long to wait for JetStream's acknowledgement of one attempt. */
  readonly publishTimeoutMs: number;
  readonly maxRetryDelayMs: number;
}

export const DEFAULT_PUBLISH_TUNING: PublishTuning = { publishTimeoutMs: 5_000, maxRetryDelayMs: 2_000 };

export interface PublishControl {
  /** Runs before every attempt; throws to leave the event unpublished (stopping, or leadership lost). */
  readonly guard: () => void;
  /** Cuts a backoff short; the next `guard` call then decides. */
  readonly signal: AbortSignal;
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Puts events on JetStream one at a time: `Nats-Msg-Id` = event id, the envelope's metadata as headers, the data
 * as the JSON body, and a producer span whose context replaces the message's `traceparent`, so a consumer's span
 * continues the trace of the command that wrote the event through the relay.
 */
export class EventPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
    private readonly tuning: PublishTuning = DEFAULT_PUBLISH_TUNING,
    private readonly tracer: Tracer = trace.getTracer('arrears-relay'),
  ) {}

  /**
   * Resolves with JetStream's acknowledgement (`duplicate` when the stream already had this event id), retrying
   * a timeout or a lost connection with backoff for as long as `control.guard` allows. Never resolves without
   * an acknowledgement, so a caller that moves its checkpoint on resolution never passes an unstored event.
   */
  async publish(event: EventEnvelope, control: PublishControl): Promise<PubAck> {
    // An event that cannot be put on the wire throws here, and the relay holds at it rather than skip it.
    const message = eventToMessage(event, this.topology);
    const parent = contextFromTrace(event.metadata.trace, context.active());
    const span = this.tracer.startSpan(
      `publish ${message.subject}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.name': 'publish',
          'messaging.operation.type': 'send',
          'messaging.destination.name': message.subject,
          'messaging.message.id': event.eventId,
          'arrears.event.type': event.type,
          'arrears.stream.id': event.streamId,
          'arrears.global_position': event.globalPosition,
        },
      },
      parent,
    );
    const headers = toNatsHeaders(injectTraceHeaders({ ...message.headers }, trace.setSpan(parent, span)));
    try {
      const ack = await this.attemptUntilAcknowledged(message.subject, message.body, event.eventId, headers, control, span);
      span.setAttributes({ 'messaging.nats.stream': ack.stream, 'messaging.nats.stream_sequence': ack.seq, 'messaging.nats.duplicate': ack.duplicate });
      return ack;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  }

  private async attemptUntilAcknowledged(
    subject: string,
    body: string,
    msgID: string,
    headers: MsgHdrs,
    control: PublishControl,
    span: Span,
  ): Promise<PubAck> {
    for (let attempt = 1; ; attempt += 1) {
      control.guard();
      try {
        return await this.js.publish(subject, body, { msgID, headers, timeout: this.tuning.publishTimeoutMs });
      } catch (error) {
        // Whether the message was stored is unknown; publishing it again is safe, JetStream drops it by its id.
        span.addEvent('retry', { attempt, 'exception.message': error instanceof Error ? error.message : String(error) });
        control.onRetry?.(error, attempt);
        await delay(backoffMs(attempt, this.tuning.maxRetryDelayMs), control.signal);
      }
    }
  }
}

function toNatsHeaders(record: Readonly<Record<string, string>>): MsgHdrs {
  const headers = natsHeaders();
  for (const [name, value] of Object.entries(record)) headers.set(name, value);
  return headers;
}
