import { ErrorCode, isArrearsError, type CommandEnvelope, type EventCatalog, type EventEnvelope, type EventMetadata, type NewEvent } from '@arrears/contracts';
import type { EventStore, ExpectedVersion } from '../port';
import { commandEventId } from './event-ids';

/** What `decide` returns and `evolve` folds: an event's type and data in the current schema. */
export interface DomainEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** One aggregate's rules (pure functions, as in Emmett) and the stream they are applied to. */
export interface CommandHandling<State, Event extends DomainEvent, Command extends CommandEnvelope> {
  readonly store: EventStore;
  readonly streamId: string;
  readonly initialState: () => State;
  readonly evolve: (state: State, event: Event) => State;
  /** Throws a domain ArrearsError to refuse; returns the new events; an empty list means nothing to do. */
  readonly decide: (command: Command, state: State) => readonly Event[];
  /**
   * When given, stored events are decoded (upcast to the current version) before `evolve`, and new events are
   * validated and stamped with their current schema version. Without it, data is trusted as written, version 1.
   */
  readonly events?: EventCatalog;
  /** How many times to load and decide again when another writer appended first; default 3. */
  readonly maxAttempts?: number;
}

export interface RecordedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamPosition: number;
  readonly data: Record<string, unknown>;
}

export interface CommandOutcome {
  readonly streamId: string;
  /** The events this command produced: just now, or when it was first handled (`repeated`). */
  readonly events: readonly RecordedEvent[];
  /** True when the stream already held this command's events: nothing was decided or written this time. */
  readonly repeated: boolean;
}

export const DEFAULT_DECIDE_ATTEMPTS = 3;

/**
 * The platform's load → decide → append for one aggregate. A command id already in the stream returns the
 * original outcome without deciding again, so a retried command repeats nothing even if the state has moved
 * on since. A concurrent duplicate is caught by the store: both derive the same event ids from the command id.
 */
export async function handleCommand<State, Event extends DomainEvent, Command extends CommandEnvelope>(
  handling: CommandHandling<State, Event, Command>,
  command: Command,
): Promise<CommandOutcome> {
  const attempts = handling.maxAttempts ?? DEFAULT_DECIDE_ATTEMPTS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await decideOnce(handling, command);
    } catch (error) {
      if (!isArrearsError(error, ErrorCode.CONCURRENCY_CONFLICT) || attempt >= attempts) throw error;
    }
  }
}

async function decideOnce<State, Event extends DomainEvent, Command extends CommandEnvelope>(
  handling: CommandHandling<State, Event, Command>,
  command: Command,
): Promise<CommandOutcome> {
  const { store, streamId } = handling;
  const history = await store.readStream(streamId);
  const earlier = history.filter((event) => event.metadata.commandId === command.commandId);
  if (earlier.length > 0) return { streamId, events: earlier.map(recorded), repeated: true };

  const state = history.reduce((current, stored) => handling.evolve(current, toDomainEvent<Event>(stored, handling.events)), handling.initialState());
  const decided = handling.decide(command, state);
  if (decided.length === 0) return { streamId, events: [], repeated: false };

  const last = history[history.length - 1];
  const expectedVersion: ExpectedVersion = last === undefined ? 'no_stream' : last.streamPosition;
  const events = decided.map((event, index) => newEvent(handling.events, event, command, streamId, index));
  const { nextExpectedVersion } = await store.appendToStream(streamId, events, { expectedVersion });
  const first = nextExpectedVersion - events.length + 1;
  return {
    streamId,
    events: events.map((event, index) => ({ eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, streamPosition: first + index, data: event.data })),
    repeated: false,
  };
}

function toDomainEvent<Event extends DomainEvent>(stored: EventEnvelope, catalog: EventCatalog | undefined): Event {
  if (catalog === undefined) return { type: stored.type, data: stored.data } as unknown as Event;
  return catalog.decode(stored) as unknown as Event;
}

function newEvent(catalog: EventCatalog | undefined, event: DomainEvent, command: CommandEnvelope, streamId: string, index: number): NewEvent {
  const encoded = catalog === undefined ? { type: event.type, schemaVersion: 1, data: event.data } : catalog.encode(event as never);
  return {
    eventId: commandEventId(command.commandId, streamId, index),
    type: encoded.type,
    schemaVersion: encoded.schemaVersion,
    occurredAt: command.metadata.now,
    data: encoded.data as Record<string, unknown>,
    metadata: eventMetadata(command),
  };
}

/** Every event names the command that caused it, so it can be traced, audited and recognised on a retry. */
function eventMetadata(command: CommandEnvelope): EventMetadata {
  const { metadata } = command;
  return {
    commandId: command.commandId,
    correlationId: metadata.correlationId,
    causationId: command.commandId,
    ...(metadata.caseId === undefined ? {} : { caseId: metadata.caseId }),
    actorId: metadata.actorId,
    actorRole: metadata.actorRole,
    ...(metadata.trace === undefined ? {} : { trace: metadata.trace }),
  };
}

function recorded(event: EventEnvelope): RecordedEvent {
  return { eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, streamPosition: event.streamPosition, data: event.data };
}
