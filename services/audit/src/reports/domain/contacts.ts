import type { contactAttempts, EventEnvelope } from '@arrears/contracts';
import { contactEvents, type ReportHistory } from './history';

/** One compliance decision as the reports read it: the request, the verdict, and who asked. */
export interface Decision {
  readonly eventId: string;
  readonly globalPosition: string;
  /** The decision's place in the history (0, 1, …): ties between equal instants are broken by it. */
  readonly order: number;
  readonly allowed: boolean;
  readonly contactId: string;
  readonly accountId: string;
  readonly debtorId: string;
  readonly operatorId: string;
  readonly channel: contactAttempts.Channel;
  readonly targetKind: contactAttempts.SealedTarget['kind'];
  /** The keyed hash of the target: compared, never read. */
  readonly targetKey: string;
  readonly intendedAt: string;
  readonly intendedMs: number;
  readonly rulePack: string;
  readonly jurisdiction: string;
  readonly timeZones: readonly string[];
  readonly reasons: readonly contactAttempts.ComplianceReason[];
  readonly nextAllowedAt: string | null;
  readonly actorId: string;
  readonly actorRole: string;
}

export interface Outcome {
  readonly outcome: contactAttempts.Outcome;
  readonly connected: boolean;
  readonly conversation: boolean;
}

/** A contact as it stands: its latest decision and, for an allowed one, its latest outcome. */
export interface Contact {
  readonly decision: Decision;
  readonly outcome: Outcome | null;
}

type DecisionData = Extract<contactAttempts.ContactEvent, { type: 'ContactAllowed' | 'ContactBlocked' }>['data'];

function decisionOf(envelope: EventEnvelope, request: DecisionData, allowed: boolean, order: number): Decision {
  return {
    eventId: envelope.eventId,
    globalPosition: envelope.globalPosition,
    order,
    allowed,
    contactId: request.contactId,
    accountId: request.accountId,
    debtorId: request.debtorId,
    operatorId: request.operatorId,
    channel: request.channel,
    targetKind: request.target.kind,
    targetKey: request.target.key,
    intendedAt: request.intendedAt,
    intendedMs: Date.parse(request.intendedAt),
    rulePack: request.rulePack,
    jurisdiction: request.jurisdiction,
    timeZones: request.timeZones,
    reasons: request.reasons,
    nextAllowedAt: 'nextAllowedAt' in request ? (request.nextAllowedAt ?? null) : null,
    actorId: envelope.metadata.actorId,
    actorRole: envelope.metadata.actorRole,
  };
}

/** Every ContactAllowed and ContactBlocked of the history, in its order: each decision the engine made. */
export function decisions(history: ReportHistory): Decision[] {
  const found: Decision[] = [];
  history.events.forEach((item, order) => {
    if (item.service !== 'contact-attempts') return;
    if (item.event.type === 'ContactAllowed') found.push(decisionOf(item.envelope, item.event.data, true, order));
    if (item.event.type === 'ContactBlocked') found.push(decisionOf(item.envelope, item.event.data, false, order));
  });
  return found;
}

/**
 * Each contact once, as the read models keep it: a contact decided again takes its latest decision, and an outcome
 * recorded again replaces the first. In the order of the latest decisions.
 */
export function contacts(history: ReportHistory): Contact[] {
  const latest = new Map<string, Decision>();
  for (const decision of decisions(history)) {
    latest.delete(decision.contactId);
    latest.set(decision.contactId, decision);
  }
  const outcomes = new Map<string, Outcome>();
  for (const { data } of contactEvents(history, 'AttemptOutcomeRecorded')) {
    outcomes.set(data.contactId, { outcome: data.outcome, connected: data.connected, conversation: data.conversation });
  }
  return [...latest.values()].map((decision) => ({ decision, outcome: decision.allowed ? (outcomes.get(decision.contactId) ?? null) : null }));
}

/** Orders by intended instant, then by the decision's place in the history. */
export function byIntendedTime(a: Decision, b: Decision): number {
  return a.intendedMs - b.intendedMs || a.order - b.order;
}
