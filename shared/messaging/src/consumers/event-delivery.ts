import { ArrearsError, ErrorCode, messageToEvent, type EventEnvelope, type Topology } from '@arrears/contracts';
import { contextFromHeaders } from '@arrears/observability';
import type { LoggerService } from '@nestjs/common';
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { JetStreamClient, JsMsg } from 'nats';
import { consumerMetrics, type HandledOutcome } from './consumer-metrics';
import { JetStreamContext, isNestUnknownError } from './contexts';
import { describeError, publishDeadLetter } from './dead-letters';
import { backoffDelay, type HandlerSpec } from './handler-options';
import { errorMessage } from './pull-loop';
import { messagingTracer } from './tracing';

export interface DeliveryRoute {
  readonly spec: HandlerSpec;
  readonly topology: Topology;
  readonly js: JetStreamClient;
  /** True for the consumer of the handler's replayed dead letters. */
  readonly replay: boolean;
  /** Calls the Nest handler and resolves when its returned promise or observable completes. */
  readonly invoke: (event: EventEnvelope, context: JetStreamContext) => Promise<unknown>;
  readonly logger: LoggerService;
  readonly clock: () => Date;
}


/**
 * One delivery of one event to one handler, start to settlement:
 * - an event that cannot be decoded is poison: dead-lettered at once;
 * - the handler succeeds → ack, and only then (JetStream confirms the ack);
 * - it fails → nak with the backoff for this delivery count, or, at delivery N, dead-letter and term;
 * - delivery N + 1 arrives only if earlier attempts never finished (the process died mid-handler): it is
 *   dead-lettered without running the handler again.
 * While the handler runs, the ack wait is extended, so a slow handler is not redelivered under its own feet.
 */
export async function handleDelivery(msg: JsMsg, route: DeliveryRoute): Promise<void> {
  const { spec } = route;
  const deliveries = msg.info.deliveryCount;
  if (deliveries > spec.settings.maxDeliver) {
    const error = new ArrearsError(
      ErrorCode.INTERNAL,
      `Delivered ${deliveries - 1} times without an outcome: the handler never finished (did the process die?) or the dead letter could not be stored`,
    );
    return deadLetter(msg, route, error);
  }
  let event: EventEnvelope;
  try {
    event = messageToEvent((name) => msg.headers?.get(name), msg.string());
  } catch (error) {
    return deadLetter(msg, route, error);
  }
  const context = new JetStreamContext([msg, { service: spec.service, handler: spec.name, consumer: spec.durable, replay: route.replay }]);
  const parent = contextFromHeaders((name) => msg.headers?.get(name));
  const outcome = await messagingTracer().startActiveSpan(`process ${msg.subject}`, { kind: SpanKind.CONSUMER, attributes: spanAttributes(msg, route, event) }, parent, (span) =>
    runHandler(msg, route, event, context, span),
  );
  if (outcome.ok) {
    countHandled(route, 'ok');
    return acknowledge(msg, route);
  }
  if (deliveries >= spec.settings.maxDeliver) return deadLetter(msg, route, outcome.error);
  countHandled(route, 'retried');
  const delay = backoffDelay(spec.settings, deliveries);
  route.logger.warn?.(`${spec.durable}: ${event.type} ${event.eventId} failed on delivery ${deliveries} (${describeError(outcome.error).message}); retrying in ${delay} ms`, 'JetStreamTransport');
  msg.nak(delay);
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

async function runHandler(msg: JsMsg, route: DeliveryRoute, event: EventEnvelope, context: JetStreamContext, span: Span): Promise<Outcome> {
  // Twice per ack wait, so one late tick does not let JetStream redeliver a handler that is still working.
  const keepAlive = setInterval(() => extendAckWait(msg) || clearInterval(keepAlive), Math.max(route.spec.settings.ackWaitMs / 2, 500));
  // A handler stuck for ever must not keep the process alive on its own.
  keepAlive.unref();
  try {
    await route.invoke(event, context);
    return { ok: true };
  } catch (error) {
    if (isNestUnknownError(error)) {
      route.logger.warn?.(`${route.spec.durable}: the handler's error was replaced by Nest's default filter; register ArrearsRpcExceptionFilter to keep it`, 'JetStreamTransport');
    }
    span.recordException(error instanceof Error ? error : describeError(error).message);
    span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error).message });
    return { ok: false, error };
  } finally {
    clearInterval(keepAlive);
    span.end();
  }
}

/**
 * False once the connection is closed (a handler left running past the drain): nothing left to extend, and no
 * crash; JetStream redelivers the event when its ack wait runs out.
 */
function extendAckWait(msg: JsMsg): boolean {
  try {
    msg.working();
    return true;
  } catch {
    return false;
  }
}

async function acknowledge(msg: JsMsg, route: DeliveryRoute): Promise<void> {
  try {
    await msg.ackAck();
  } catch (error) {
    // The work is committed; if the ack is lost JetStream redelivers, and the handler's idempotency absorbs it.
    route.logger.warn?.(`${route.spec.durable}: ack of stream sequence ${msg.seq} not confirmed (${errorMessage(error)}); it may be redelivered`, 'JetStreamTransport');
  }
}

async function deadLetter(msg: JsMsg, route: DeliveryRoute, error: unknown): Promise<void> {
  const { spec } = route;
  try {
    await publishDeadLetter(route.js, route.topology, msg, { service: spec.service, handler: spec.name, error, failedAt: route.clock() });
  } catch (publishError) {
    // Not stored: leave the event with JetStream, it comes back and is dead-lettered on that delivery.
    route.logger.error?.(`${spec.durable}: could not dead-letter stream sequence ${msg.seq} (${errorMessage(publishError)})`, 'JetStreamTransport');
    msg.nak(backoffDelay(spec.settings, msg.info.deliveryCount));
    countHandled(route, 'retried');
    return;
  }
  consumerMetrics().deadLetters.add(1, consumerAttributes(route));
  countHandled(route, 'dead-lettered');
  route.logger.error?.(`${spec.durable}: stream sequence ${msg.seq} (${msg.subject}) dead-lettered after ${msg.info.deliveryCount} deliveries: ${describeError(error).message}`, 'JetStreamTransport');
  msg.term();
}

function consumerAttributes(route: DeliveryRoute): { service: string; consumer: string } {
  return { service: route.spec.service, consumer: route.replay ? route.spec.replayDurable : route.spec.durable };
}

function countHandled(route: DeliveryRoute, outcome: HandledOutcome): void {
  consumerMetrics().handled.add(1, { ...consumerAttributes(route), outcome });
}

function spanAttributes(msg: JsMsg, route: DeliveryRoute, event: EventEnvelope) {
  return {
    'messaging.system': 'nats',
    'messaging.operation.type': 'process',
    'messaging.destination.name': msg.subject,
    'messaging.consumer.group.name': route.spec.durable,
    'messaging.message.id': event.eventId,
    'arrears.event.type': event.type,
    'arrears.stream.id': event.streamId,
    'arrears.delivery.count': msg.info.deliveryCount,
    'arrears.replay': route.replay,
    ...(event.metadata.caseId === undefined ? {} : { 'arrears.case.id': event.metadata.caseId }),
    'arrears.correlation.id': event.metadata.correlationId,
  };
}
