import {
  accounts,
  caseWorkflow,
  contactAttempts,
  legalEscalation,
  paymentPlans,
  PlatformEventCatalog,
  promisesToPay,
  type EventEnvelope,
} from '@arrears/contracts';

/** Every event the platform publishes, by its data's current shape. */
export type KnownEvent =
  | accounts.AccountEvent
  | contactAttempts.ContactEvent
  | contactAttempts.ScriptEvent
  | promisesToPay.PromiseEvent
  | paymentPlans.PlanEvent
  | caseWorkflow.CaseEvent
  | caseWorkflow.RosterEvent
  | legalEscalation.LegalEvent;

export interface DecodedEvent {
  /** The event as stored: what `events.jsonl` holds and the views point back to by `eventId`. */
  readonly envelope: EventEnvelope;
  /** Its data upcast to the current version and checked by the published schema. */
  readonly event: KnownEvent;
}

export interface UndecodedEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly type: string;
  readonly reason: string;
}

export interface DecodedHistory {
  readonly events: readonly DecodedEvent[];
  /** Events the catalog does not know or whose data its schema refuses: in `events.jsonl`, in no view. */
  readonly undecoded: readonly UndecodedEvent[];
}

/** Every service's catalog; an event is read through the one of its stream's owner. */
const CATALOG = new PlatformEventCatalog();

export function decodeHistory(events: readonly EventEnvelope[]): DecodedHistory {
  const decoded: DecodedEvent[] = [];
  const undecoded: UndecodedEvent[] = [];
  for (const envelope of events) {
    try {
      decoded.push({ envelope, event: CATALOG.decode(envelope) as KnownEvent });
    } catch (error) {
      const { eventId, streamId, streamPosition, type } = envelope;
      undecoded.push({ eventId, streamId, streamPosition, type, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { events: decoded, undecoded };
}

/** What every view shows in place of a personal field: the package never holds a key, so it never opens one. */
export const ENCRYPTED = '[encrypted personal data]';

/** Where a view's entry came from: enough to find the event in `events.jsonl`. */
export interface Source {
  readonly eventId: string;
  readonly occurredAt: string;
}

export function sourceOf(decoded: DecodedEvent): Source {
  return { eventId: decoded.envelope.eventId, occurredAt: decoded.envelope.occurredAt };
}
