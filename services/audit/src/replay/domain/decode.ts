import {
  ArrearsError,
  compareGlobalPositions,
  ErrorCode,
  EventEnvelopeSchema,
  PlatformEventCatalog,
  streamCategory,
  STREAM_CATEGORY_OWNERS,
  validationFailed,
  type accounts,
  type caseWorkflow,
  type contactAttempts,
  type EventEnvelope,
  type legalEscalation,
  type paymentPlans,
  type promisesToPay,
  type ServiceName,
} from '@arrears/contracts';
import { canonicalJson } from './canonical-json';

/**
 * An event in its current shape, with the service that owns its stream: an event type is unique within a service,
 * not across the platform (both saga-running services publish `SagaCommandIssued`), so a reader switches on the
 * service first and on the type second.
 */
export type DecodedEvent =
  | { readonly service: 'accounts'; readonly event: accounts.AccountEvent }
  | { readonly service: 'contact-attempts'; readonly event: contactAttempts.ContactEvent | contactAttempts.ScriptEvent }
  | { readonly service: 'promises-to-pay'; readonly event: promisesToPay.PromiseEvent }
  | { readonly service: 'payment-plans'; readonly event: paymentPlans.PlanEvent }
  | { readonly service: 'case-workflow'; readonly event: caseWorkflow.CaseEvent | caseWorkflow.RosterEvent }
  | { readonly service: 'legal-escalation'; readonly event: legalEscalation.LegalEvent };

/** What every saga-running service keeps beside its decisions (`sagaEffectEvents`), the same in each. */
export type SagaEffect = Extract<caseWorkflow.CaseEvent, { type: 'SagaCommandIssued' | 'SagaCommandRefused' | 'SagaTimerSet' | 'SagaTimerCleared' }>;

/** The end of an exhaustive switch: a case nobody handles fails to compile. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled event ${JSON.stringify(value)}`);
}

/** One event of a case's history as the replay reads it: the envelope as stored, and its data decoded when it can be. */
export interface ReplayEvent {
  readonly envelope: EventEnvelope;
  /** The owner of the stream's category (`STREAM_CATEGORY_OWNERS`); null for a category no service owns. */
  readonly service: ServiceName | null;
  /** Null when the owner's catalog does not know the type or refuses the data: such an event is listed, never applied. */
  readonly decoded: DecodedEvent | null;
  /** Why it could not be decoded; null when it was. */
  readonly problem: string | null;
}

const CATALOG = new PlatformEventCatalog();

/**
 * A case's events ready to replay: each checked as an envelope, each once (an event handed in twice, say from two
 * gatherings, is one event; one id with two different contents is refused, never silently picked), in the global
 * log's order, decoded through its stream owner's catalog (upcast to the current schema). Ties in position, which a
 * store never produces, fall back to the event id so that the order never depends on the input's.
 */
export function caseEvents(events: readonly EventEnvelope[]): ReplayEvent[] {
  const byId = new Map<string, { readonly envelope: EventEnvelope; readonly text: string }>();
  events.forEach((event, index) => {
    const parsed = EventEnvelopeSchema.safeParse(event);
    if (!parsed.success) throw validationFailed(parsed.error, `events[${index}]`);
    const text = canonicalJson(event);
    const known = byId.get(event.eventId);
    if (known !== undefined && known.text !== text) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Event ${event.eventId} is given twice with different contents`, { field: `events[${index}]` });
    }
    byId.set(event.eventId, { envelope: event, text });
  });
  return [...byId.values()]
    .map(({ envelope }) => envelope)
    .sort((a, b) => compareGlobalPositions(a.globalPosition, b.globalPosition) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0))
    .map(decodeEvent);
}

/** One stored event read through its stream owner's catalog; never throws for an event the platform cannot read. */
export function decodeEvent(envelope: EventEnvelope): ReplayEvent {
  const service = STREAM_CATEGORY_OWNERS[streamCategory(envelope.streamId)] ?? null;
  if (service === null) return { envelope, service, decoded: null, problem: `no service owns streams of category "${streamCategory(envelope.streamId)}"` };
  if (!CATALOG.has(envelope)) return { envelope, service, decoded: null, problem: `${service} publishes no event ${envelope.type}` };
  try {
    return { envelope, service, decoded: { service, event: CATALOG.decode(envelope) } as DecodedEvent, problem: null };
  } catch (error) {
    return { envelope, service, decoded: null, problem: `${envelope.type} v${envelope.schemaVersion} could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}
