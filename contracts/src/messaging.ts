import { z } from 'zod';
import { SERVICES, type ServiceName } from './catalog';
import { ArrearsError, ErrorCode, validationFailed, type ErrorBody } from './errors';
import { EventEnvelopeSchema, streamCategory, type EventEnvelope } from './envelope';

/**
 * The wire contract on NATS (docs/wire-contract.md): subject names, the headers that carry an event's envelope,
 * and the reply to a command. Internal subscribers depend on exactly this, so it changes only by adding.
 */
/**
 * Where everything lives on NATS. Production uses the root `arrears`: streams ARREARS_EVENTS and ARREARS_DLQ,
 * subjects `arrears.evt.…`, `arrears.cmd.…`, `arrears.dlq.…`. A test takes a root of its own, because two
 * JetStream streams cannot capture the same subjects.
 */
export interface Topology {
  readonly root: string;
  readonly eventsStream: string;
  readonly deadLetterStream: string;
  /** `<root>.evt`: events are `<root>.evt.<service>.<EventType>`. */
  readonly eventPrefix: string;
  /** `<root>.cmd`: commands are `<root>.cmd.<service>.<Command>`. */
  readonly commandPrefix: string;
  /** `<root>.dlq`: dead letters are `<root>.dlq.<service>.<handler>`. */
  readonly deadLetterPrefix: string;
}

export function natsTopology(root = 'arrears'): Topology {
  if (!/^[a-z][a-z0-9_]*$/.test(root)) throw new Error(`A topology root is lower-case letters, digits and _ (got "${root}")`);
  const upper = root.toUpperCase();
  return {
    root,
    eventsStream: `${upper}_EVENTS`,
    deadLetterStream: `${upper}_DLQ`,
    eventPrefix: `${root}.evt`,
    commandPrefix: `${root}.cmd`,
    deadLetterPrefix: `${root}.dlq`,
  };
}

export const DEFAULT_TOPOLOGY = natsTopology();

/** Which service owns the streams of each category, and so publishes their events under its name. */
export const STREAM_CATEGORY_OWNERS: Readonly<Record<string, ServiceName>> = {
  account: 'accounts',
  contact: 'contact-attempts',
  script: 'contact-attempts',
  promise: 'promises-to-pay',
  plan: 'payment-plans',
  legal: 'legal-escalation',
  case: 'case-workflow',
  roster: 'case-workflow',
};

const TOKEN = /^[A-Za-z0-9_-]+$/;

function token(value: string, what: string): string {
  if (!TOKEN.test(value)) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${what} "${value}" cannot be a NATS subject token`, { field: what });
  return value;
}

/** `arrears.evt.<service>.<EventType>`; a stream of a category no service owns publishes under its category. */
export function eventSubject(event: Pick<EventEnvelope, 'streamId' | 'type'>, topology: Topology = DEFAULT_TOPOLOGY): string {
  const category = streamCategory(event.streamId);
  return `${topology.eventPrefix}.${token(STREAM_CATEGORY_OWNERS[category] ?? category, 'service')}.${token(event.type, 'type')}`;
}

/** `arrears.cmd.<service>.<Command>`. */
export function commandSubject(service: ServiceName, command: string, topology: Topology = DEFAULT_TOPOLOGY): string {
  return `${topology.commandPrefix}.${token(service, 'service')}.${token(command, 'type')}`;
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICES as readonly string[]).includes(value);
}

/** The headers an event travels with; the message body is the event's `data` as JSON. */
export const EventHeader = {
  /** JetStream's de-duplication key: the event id, so a republished event is stored once. */
  MSG_ID: 'Nats-Msg-Id',
  EVENT_ID: 'Arrears-Event-Id',
  TYPE: 'Arrears-Event-Type',
  SCHEMA_VERSION: 'Arrears-Schema-Version',
  STREAM_ID: 'Arrears-Stream-Id',
  STREAM_POSITION: 'Arrears-Stream-Position',
  GLOBAL_POSITION: 'Arrears-Global-Position',
  OCCURRED_AT: 'Arrears-Occurred-At',
  RECORDED_AT: 'Arrears-Recorded-At',
  COMMAND_ID: 'Arrears-Command-Id',
  CORRELATION_ID: 'Arrears-Correlation-Id',
  CAUSATION_ID: 'Arrears-Causation-Id',
  CASE_ID: 'Arrears-Case-Id',
  ACTOR_ID: 'Arrears-Actor-Id',
  ACTOR_ROLE: 'Arrears-Actor-Role',
  /** W3C trace context of the work that produced the event (the relay replaces it with its own producer span). */
  TRACEPARENT: 'traceparent',
  TRACESTATE: 'tracestate',
} as const;

export interface EventMessage {
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** An envelope as a NATS message: the metadata in headers, the data as the JSON body. */
export function eventToMessage(event: EventEnvelope, topology: Topology = DEFAULT_TOPOLOGY): EventMessage {
  const { metadata } = event;
  const headers: Record<string, string> = {
    [EventHeader.MSG_ID]: event.eventId,
    [EventHeader.EVENT_ID]: event.eventId,
    [EventHeader.TYPE]: event.type,
    [EventHeader.SCHEMA_VERSION]: String(event.schemaVersion),
    [EventHeader.STREAM_ID]: event.streamId,
    [EventHeader.STREAM_POSITION]: String(event.streamPosition),
    [EventHeader.GLOBAL_POSITION]: event.globalPosition,
    [EventHeader.OCCURRED_AT]: event.occurredAt,
    [EventHeader.RECORDED_AT]: event.recordedAt,
    [EventHeader.COMMAND_ID]: metadata.commandId,
    [EventHeader.CORRELATION_ID]: metadata.correlationId,
    [EventHeader.CAUSATION_ID]: metadata.causationId,
    [EventHeader.ACTOR_ID]: metadata.actorId,
    [EventHeader.ACTOR_ROLE]: metadata.actorRole,
  };
  if (metadata.caseId !== undefined) headers[EventHeader.CASE_ID] = metadata.caseId;
  if (metadata.trace !== undefined) {
    headers[EventHeader.TRACEPARENT] = metadata.trace.traceparent;
    if (metadata.trace.tracestate !== undefined) headers[EventHeader.TRACESTATE] = metadata.trace.tracestate;
  }
  return { subject: eventSubject(event, topology), headers, body: JSON.stringify(event.data) };
}

/**
 * Rebuilds and validates the envelope from a message. `trace` is the context the message carries, which after
 * the relay is the relay's producer span: a consumer's span continues the trace from there.
 */
export function messageToEvent(header: (name: string) => string | undefined, body: string): EventEnvelope {
  const optional = (name: string) => header(name) || undefined;
  const traceparent = optional(EventHeader.TRACEPARENT);
  const tracestate = optional(EventHeader.TRACESTATE);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'The message body is not JSON', { field: 'data' });
  }
  const candidate = {
    eventId: header(EventHeader.EVENT_ID),
    type: header(EventHeader.TYPE),
    schemaVersion: Number(header(EventHeader.SCHEMA_VERSION)),
    streamId: header(EventHeader.STREAM_ID),
    streamPosition: Number(header(EventHeader.STREAM_POSITION)),
    globalPosition: header(EventHeader.GLOBAL_POSITION),
    occurredAt: header(EventHeader.OCCURRED_AT),
    recordedAt: header(EventHeader.RECORDED_AT),
    data,
    metadata: {
      commandId: header(EventHeader.COMMAND_ID),
      correlationId: header(EventHeader.CORRELATION_ID),
      causationId: header(EventHeader.CAUSATION_ID),
      ...(optional(EventHeader.CASE_ID) === undefined ? {} : { caseId: optional(EventHeader.CASE_ID) }),
      actorId: header(EventHeader.ACTOR_ID),
      actorRole: header(EventHeader.ACTOR_ROLE),
      ...(traceparent === undefined ? {} : { trace: { traceparent, ...(tracestate === undefined ? {} : { tracestate }) } }),
    },
  };
  const parsed = EventEnvelopeSchema.safeParse(candidate);
  if (!parsed.success) throw validationFailed(parsed.error);
  return parsed.data as EventEnvelope;
}

/**
 * Headers a dead letter carries on top of the original event's headers (docs/wire-contract.md lists them). The
 * body is the original body, byte for byte, so a replay hands the handler exactly what it failed on.
 */
export const DeadLetterHeader = {
  ERROR: 'Arrears-Dlq-Error',
  /** The ArrearsError code, when the handler threw one. */
  ERROR_CODE: 'Arrears-Dlq-Error-Code',
  ERROR_FIELD: 'Arrears-Dlq-Error-Field',
  SERVICE: 'Arrears-Dlq-Service',
  HANDLER: 'Arrears-Dlq-Handler',
  /** Where the event was: its subject, stream and sequence there. */
  SUBJECT: 'Arrears-Dlq-Subject',
  STREAM: 'Arrears-Dlq-Stream',
  SEQUENCE: 'Arrears-Dlq-Sequence',
  DELIVERIES: 'Arrears-Dlq-Deliveries',
  FAILED_AT: 'Arrears-Dlq-Failed-At',
  /** On a replayed copy: the dead letter's sequence in the dead-letter stream. */
  REPLAY_OF: 'Arrears-Replay-Of',
} as const;

/** `<root>.dlq.<service>.<handler>`: one subject per handler, so each handler's dead letters are listed on their own. */
export function deadLetterSubject(topology: Topology, service: string, handler: string): string {
  return `${topology.deadLetterPrefix}.${service}.${handler}`;
}

/** `<root>.dlq.replay.<service>.<handler>`: replayed dead letters, consumed durably by that handler alone. */
export function replaySubject(topology: Topology, service: string, handler: string): string {
  return `${topology.deadLetterPrefix}.replay.${service}.${handler}`;
}

const ErrorBodySchema = z
  .object({
    code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    field: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** The reply to every command: the handler's result, or a typed error. */
export const CommandReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.unknown() }).strict(),
  z.object({ ok: z.literal(false), error: ErrorBodySchema }).strict(),
]);
export type CommandReply<Result = unknown> = { readonly ok: true; readonly result: Result } | { readonly ok: false; readonly error: ErrorBody };
