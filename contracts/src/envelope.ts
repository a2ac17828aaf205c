import { z } from 'zod';
import { GlobalPositionSchema } from './position';

/** `dialer`: the telephony system, the one role the full number of an allowed call is released to. */
export const ROLES = ['collector', 'supervisor', 'legal', 'auditor', 'admin', 'system', 'dialer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const IdSchema = z.uuid();
/** Time is an ISO-8601 instant with an explicit offset; domain code gets it from the command, never the clock. */
export const InstantSchema = z.iso.datetime({ offset: true });

/** W3C trace context, carried so that one trace spans gateway, services, NATS and the store. */
export const TraceContextSchema = z
  .object({
    traceparent: z.string().regex(/^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/, 'must be a W3C traceparent'),
    tracestate: z.string().max(512).optional(),
  })
  .strict();
export type TraceContext = z.infer<typeof TraceContextSchema>;

const actor = {
  /** The authenticated operator (a user id) or `system:<service>` for work no person started. */
  actorId: z.string().min(1).max(200),
  actorRole: RoleSchema,
};

/**
 * What every event says about where it came from. `caseId` is what lets audit and legal gather one case's
 * history across every service; an event outside any case (a debtor-wide contact preference, say) has none.
 */
export const EventMetadataSchema = z
  .object({
    commandId: IdSchema,
    correlationId: IdSchema,
    causationId: IdSchema,
    caseId: IdSchema.optional(),
    ...actor,
    trace: TraceContextSchema.optional(),
  })
  .strict();
export type EventMetadata = z.infer<typeof EventMetadataSchema>;

export const EventTypeSchema = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a PascalCase event name in the past tense');
export const StreamIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*-[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'must be "<category>-<id>" with a lower-case category')
  .max(200);
export const SchemaVersionSchema = z.number().int().min(1);

/** An event as a writer hands it to the store: the store adds the stream, positions and recording time. */
export const NewEventSchema = z
  .object({
    eventId: IdSchema,
    type: EventTypeSchema,
    schemaVersion: SchemaVersionSchema,
    occurredAt: InstantSchema,
    data: z.record(z.string(), z.unknown()),
    metadata: EventMetadataSchema,
  })
  .strict();
export type NewEvent<Type extends string = string, Data = Record<string, unknown>> = Omit<
  z.infer<typeof NewEventSchema>,
  'type' | 'data'
> & { readonly type: Type; readonly data: Data };

/** The event envelope: a stored event exactly as every consumer, subscriber and auditor sees it. */
export const EventEnvelopeSchema = NewEventSchema.extend({
  streamId: StreamIdSchema,
  /** 0-based position within the stream. */
  streamPosition: z.number().int().min(0),
  globalPosition: GlobalPositionSchema,
  /** When the store committed it; `occurredAt` is the business time the command carried. */
  recordedAt: InstantSchema,
}).strict();
export type EventEnvelope<Type extends string = string, Data = Record<string, unknown>> = Omit<
  z.infer<typeof EventEnvelopeSchema>,
  'type' | 'data'
> & { readonly type: Type; readonly data: Data };

export const CommandMetadataSchema = z
  .object({
    correlationId: IdSchema,
    causationId: IdSchema.optional(),
    caseId: IdSchema.optional(),
    ...actor,
    /** The command's `now`: the only clock domain code ever sees. */
    now: InstantSchema,
    trace: TraceContextSchema.optional(),
  })
  .strict();
export type CommandMetadata = z.infer<typeof CommandMetadataSchema>;

export const CommandTypeSchema = z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a PascalCase command name in the imperative');

/** The command envelope: what travels over NATS request-reply to the owning service. */
export const CommandEnvelopeSchema = z
  .object({
    /** Retrying a command with the same id writes its events once. */
    commandId: IdSchema,
    type: CommandTypeSchema,
    schemaVersion: SchemaVersionSchema,
    data: z.record(z.string(), z.unknown()),
    metadata: CommandMetadataSchema,
  })
  .strict();
export type CommandEnvelope<Type extends string = string, Data = Record<string, unknown>> = Omit<
  z.infer<typeof CommandEnvelopeSchema>,
  'type' | 'data'
> & { readonly type: Type; readonly data: Data };

/** The category of `account-42` is `account`: the aggregate kind, used for category subscriptions. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}
