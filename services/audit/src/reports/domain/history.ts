import {
  compareGlobalPositions,
  PlatformEventCatalog,
  streamCategory,
  STREAM_CATEGORY_OWNERS,
  type accounts,
  type caseWorkflow,
  type contactAttempts,
  type EventEnvelope,
  type legalEscalation,
  type paymentPlans,
  type promisesToPay,
} from '@arrears/contracts';

/**
 * An event in its current shape with the service that owns its stream: event types are unique within a service,
 * not across the platform (every saga-running service publishes `SagaCommandIssued`), so readers switch on the
 * service first.
 */
export type ReportEvent = { readonly envelope: EventEnvelope } & (
  | { readonly service: 'accounts'; readonly event: accounts.AccountEvent }
  | { readonly service: 'contact-attempts'; readonly event: contactAttempts.ContactEvent | contactAttempts.ScriptEvent }
  | { readonly service: 'promises-to-pay'; readonly event: promisesToPay.PromiseEvent }
  | { readonly service: 'payment-plans'; readonly event: paymentPlans.PlanEvent }
  | { readonly service: 'case-workflow'; readonly event: caseWorkflow.CaseEvent | caseWorkflow.RosterEvent }
  | { readonly service: 'legal-escalation'; readonly event: legalEscalation.LegalEvent }
);

/** An event the reports could not read, and why: a report over a history with any says how many. */
export interface UnreadableEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly type: string;
  readonly globalPosition: string;
  readonly problem: string;
}

/** A history decoded once, for any number of reports. */
export interface ReportHistory {
  readonly kind: 'report-history';
  /** In the global log's order, each event once. */
  readonly events: readonly ReportEvent[];
  readonly unreadable: readonly UnreadableEvent[];
}

const CATALOG = new PlatformEventCatalog();

/**
 * Decodes a history for the reports: each event once (the first of an id given twice), ordered by global position
 * (then event id, so the input's order never matters), each read through its stream owner's catalog (upcast to the
 * current schema). An event no service owns, of a type its owner does not publish, or whose data its contract refuses
 * is kept apart as unreadable rather than failing the whole report.
 */
export function decodeHistory(events: readonly EventEnvelope[]): ReportHistory {
  const byId = new Map<string, EventEnvelope>();
  for (const event of events) if (!byId.has(event.eventId)) byId.set(event.eventId, event);
  const ordered = [...byId.values()].sort(
    (a, b) => compareGlobalPositions(a.globalPosition, b.globalPosition) || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
  );
  const decoded: ReportEvent[] = [];
  const unreadable: UnreadableEvent[] = [];
  for (const envelope of ordered) {
    const skip = (problem: string) =>
      unreadable.push({ eventId: envelope.eventId, streamId: envelope.streamId, type: envelope.type, globalPosition: envelope.globalPosition, problem });
    const service = STREAM_CATEGORY_OWNERS[streamCategory(envelope.streamId)];
    if (service === undefined) {
      skip(`no service owns streams of category "${streamCategory(envelope.streamId)}"`);
      continue;
    }
    if (!CATALOG.has(envelope)) {
      skip(`${service} publishes no event ${envelope.type}`);
      continue;
    }
    try {
      decoded.push({ envelope, service, event: CATALOG.decode(envelope) } as ReportEvent);
    } catch (error) {
      skip(`${envelope.type} v${envelope.schemaVersion} could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { kind: 'report-history', events: decoded, unreadable };
}

/** Every report takes the envelopes, or a history decoded once by `decodeHistory` to run several reports. */
export type ReportInput = readonly EventEnvelope[] | ReportHistory;

export function historyOf(input: ReportInput): ReportHistory {
  return 'kind' in input && input.kind === 'report-history' ? input : decodeHistory(input as readonly EventEnvelope[]);
}

type ContactAttemptsEvent = contactAttempts.ContactEvent | contactAttempts.ScriptEvent;

/** A contact-attempts event of one type: its envelope and its data. */
export interface ContactItem<T extends ContactAttemptsEvent['type']> {
  readonly envelope: EventEnvelope;
  readonly data: Extract<ContactAttemptsEvent, { type: T }>['data'];
}

/** The contact-attempts events of a history, narrowed to one type. */
export function contactEvents<T extends ContactAttemptsEvent['type']>(history: ReportHistory, type: T): ContactItem<T>[] {
  const found: ContactItem<T>[] = [];
  for (const item of history.events) {
    if (item.service === 'contact-attempts' && item.event.type === type) found.push({ envelope: item.envelope, data: item.event.data as ContactItem<T>['data'] });
  }
  return found;
}
