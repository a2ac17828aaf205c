import { z } from 'zod';
import type { CommandDefinition, EventDefinition } from './catalog';
import { CommandEnvelopeSchema, EventMetadataSchema } from './envelope';
import { CommandReplySchema, DEFAULT_TOPOLOGY, EventHeader, STREAM_CATEGORY_OWNERS, type Topology } from './messaging';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const HEADER_DESCRIPTIONS: Record<keyof typeof EventHeader, string> = {
  MSG_ID: "JetStream's de-duplication key: the event id",
  EVENT_ID: 'The event id (UUID), unique across the platform',
  TYPE: 'The event type, PascalCase, past tense',
  SCHEMA_VERSION: 'The version of the payload schema the event was written with',
  STREAM_ID: 'The aggregate stream, `<category>-<id>`',
  STREAM_POSITION: '0-based position of the event within its stream',
  GLOBAL_POSITION: '`<commit>:<prepare>`, the position in the event store global log',
  OCCURRED_AT: 'Business time (ISO-8601, UTC), from the command that caused it',
  RECORDED_AT: 'When the event store committed it (ISO-8601, UTC)',
  COMMAND_ID: 'The command that caused it',
  CORRELATION_ID: 'The conversation it belongs to',
  CAUSATION_ID: 'The message that caused it',
  CASE_ID: 'The case it belongs to, when it belongs to one',
  ACTOR_ID: 'The operator, or `system:<service>`',
  ACTOR_ROLE: "The operator's role",
  TRACEPARENT: 'W3C trace context',
  TRACESTATE: 'W3C trace state',
};

const OPTIONAL_HEADERS = new Set<string>([EventHeader.CASE_ID, EventHeader.TRACEPARENT, EventHeader.TRACESTATE]);

function eventHeadersSchema(): JsonSchema {
  const properties = Object.fromEntries(
    (Object.keys(EventHeader) as (keyof typeof EventHeader)[]).map((key) => [EventHeader[key], { type: 'string', description: HEADER_DESCRIPTIONS[key] }]),
  );
  return {
    type: 'object',
    properties,
    required: Object.values(EventHeader).filter((name) => !OPTIONAL_HEADERS.has(name)),
  };
}

function versionsNote(definition: EventDefinition): string {
  if (definition.past.length === 0) return '';
  return ` Older stored versions (${definition.past.map((step) => `v${step.version}`).join(', ')}) are upcast to v${definition.version} by \`EventCatalog.decode\`.`;
}

/**
 * The AsyncAPI 2.6 document of everything Arrears publishes on NATS, generated from the contracts so that it can
 * never disagree with them: one channel per event subject (payload: the event's current data schema; headers: the
 * envelope) and one per command subject (request: the command envelope with its data schema; reply: the result or
 * a typed error).
 */
export function asyncApiDocument(
  definitions: { readonly events: readonly EventDefinition[]; readonly commands: readonly CommandDefinition[]; readonly version: string },
  topology: Topology = DEFAULT_TOPOLOGY,
): JsonSchema {
  const channels: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const categoriesOf = (service: string) =>
    Object.entries(STREAM_CATEGORY_OWNERS)
      .filter(([, owner]) => owner === service)
      .map(([category]) => `${category}-<id>`);

  for (const definition of [...definitions.events].sort((a, b) => `${a.service}.${a.type}`.localeCompare(`${b.service}.${b.type}`))) {
    const subject = `${topology.eventPrefix}.${definition.service}.${definition.type}`;
    messages[definition.type] = {
      name: definition.type,
      title: definition.type,
      summary: definition.description,
      description: `Schema version ${definition.version}.${versionsNote(definition)} Streams: ${categoriesOf(definition.service).join(', ') || 'none'}.`,
      headers: { $ref: '#/components/schemas/EventHeaders' },
      payload: jsonSchema(definition.schema),
      'x-schema-version': definition.version,
    };
    channels[subject] = {
      description: `${definition.type} events of ${definition.service}, in the ${topology.eventsStream} JetStream stream.`,
      subscribe: { operationId: `on${definition.type}`, message: { $ref: `#/components/messages/${definition.type}` } },
    };
  }

  for (const definition of [...definitions.commands].sort((a, b) => `${a.service}.${a.type}`.localeCompare(`${b.service}.${b.type}`))) {
    const subject = `${topology.commandPrefix}.${definition.service}.${definition.type}`;
    const name = `${definition.type}Command`;
    messages[name] = {
      name,
      title: definition.type,
      summary: definition.description,
      payload: { allOf: [{ $ref: '#/components/schemas/CommandEnvelope' }, { type: 'object', properties: { data: jsonSchema(definition.schema) } }] },
      'x-schema-version': definition.version,
      'x-reply': { $ref: '#/components/schemas/CommandReply' },
    };
    channels[subject] = {
      description: `Request-reply to ${definition.service} (queue group "${definition.service}"); the reply is a CommandReply.`,
      publish: { operationId: `send${definition.type}`, message: { $ref: `#/components/messages/${name}` } },
    };
  }

  return {
    asyncapi: '2.6.0',
    id: 'urn:arrears:messaging',
    info: {
      title: 'Arrears events and commands',
      version: definitions.version,
      description: [
        `Every event stored by Arrears is published to the JetStream stream ${topology.eventsStream} on \`${topology.eventPrefix}.<service>.<EventType>\`,`,
        'with the envelope in headers and the data as the JSON body; `Nats-Msg-Id` is the event id, so a republished event is stored once.',
        `Commands are NATS request-reply on \`${topology.commandPrefix}.<service>.<Command>\`. See docs/wire-contract.md and docs/subscribing.md.`,
      ].join(' '),
    },
    servers: { local: { url: 'nats://127.0.0.1:4222', protocol: 'nats', description: 'NATS with JetStream' } },
    defaultContentType: 'application/json',
    channels,
    components: {
      messages,
      schemas: {
        EventHeaders: eventHeadersSchema(),
        EventMetadata: jsonSchema(EventMetadataSchema),
        CommandEnvelope: jsonSchema(CommandEnvelopeSchema),
        CommandReply: jsonSchema(CommandReplySchema),
      },
    },
  };
}
