import type { accounts, EventEnvelope, legalEscalation } from '@arrears/contracts';
import { unreachable } from './decode';

/** One handoff of the case to the legal department. */
export interface HandoffView {
  readonly status: 'started' | 'refused' | 'evidence-fixed' | 'delivered' | 'acknowledged';
  readonly reasons: readonly string[];
  readonly requestedBy: string | null;
  readonly requestedAt: string | null;
  readonly overdueAt: string | null;
  readonly refusal: { readonly reason: string; readonly holds: readonly accounts.Flag[] } | null;
  readonly packageId: string | null;
  readonly delivered: boolean;
  readonly acknowledged: boolean;
  readonly acknowledgedBy: string | null;
  readonly reminders: number;
  readonly overdue: boolean;
  readonly litigation: { readonly status: string; readonly on: string; readonly hearingDate: string | null } | null;
}

export interface LegalView {
  /** The case saga's word: whether it asked for legal escalation, or found a hold that stops it. */
  readonly escalation: 'none' | 'requested' | 'held';
  readonly escalationReasons: readonly string[];
  readonly heldFor: readonly accounts.Flag[];
  /** By handoff number (a case may go to legal again after a withdrawn action). */
  readonly handoffs: Readonly<Record<string, HandoffView>>;
}

export function initialLegal(): LegalView {
  return { escalation: 'none', escalationReasons: [], heldFor: [], handoffs: {} };
}

const UNSEEN: HandoffView = {
  status: 'started',
  reasons: [],
  requestedBy: null,
  requestedAt: null,
  overdueAt: null,
  refusal: null,
  packageId: null,
  delivered: false,
  acknowledged: false,
  acknowledgedBy: null,
  reminders: 0,
  overdue: false,
  litigation: null,
};

/** The status follows from what happened, whatever order the events of a handoff were replayed in. */
function statusOf(handoff: HandoffView): HandoffView['status'] {
  if (handoff.refusal !== null) return 'refused';
  if (handoff.acknowledged) return 'acknowledged';
  if (handoff.delivered) return 'delivered';
  if (handoff.packageId !== null) return 'evidence-fixed';
  return 'started';
}

function withHandoff(view: LegalView, number: number, change: (handoff: HandoffView) => HandoffView): LegalView {
  const changed = change(view.handoffs[String(number)] ?? UNSEEN);
  return { ...view, handoffs: { ...view.handoffs, [String(number)]: { ...changed, status: statusOf(changed) } } };
}

export function evolveLegal(view: LegalView, event: legalEscalation.LegalEvent, _envelope: EventEnvelope): LegalView {
  switch (event.type) {
    case 'HandoffStarted': {
      const { reasons, requestedBy, requestedAt, overdueAt } = event.data;
      return withHandoff(view, event.data.handoff, (handoff) => ({ ...handoff, reasons, requestedBy, requestedAt, overdueAt }));
    }
    case 'HandoffRefused':
      return withHandoff(view, event.data.handoff, (handoff) => ({ ...handoff, refusal: { reason: event.data.reason, holds: event.data.holds } }));
    case 'EvidenceFixed':
      return withHandoff(view, event.data.handoff, (handoff) => ({ ...handoff, packageId: event.data.packageId }));
    case 'LegalPackageDelivered':
      return withHandoff(view, event.data.handoff, (handoff) => ({ ...handoff, packageId: event.data.packageId, delivered: true }));
    case 'HandoffReminderSent':
      return withHandoff(view, event.data.handoff, (handoff) => ({ ...handoff, reminders: handoff.reminders + 1 }));
    case 'LegalHandoffOverdue':
      return withHandoff(view, event.data.handoff, (handoff) => ({ ...handoff, overdue: true }));
    case 'HandoffAcknowledged':
      return withHandoff(view, event.data.handoff, (handoff) => ({ ...handoff, packageId: event.data.packageId, acknowledged: true, acknowledgedBy: event.data.acknowledgedBy }));
    case 'LitigationStatusReported': {
      const { status, on, hearingDate } = event.data;
      return withHandoff(view, event.data.handoff, (handoff) => ({ ...handoff, litigation: { status, on, hearingDate: hearingDate ?? handoff.litigation?.hearingDate ?? null } }));
    }
    case 'SagaCommandIssued':
    case 'SagaCommandRefused':
    case 'SagaTimerSet':
    case 'SagaTimerCleared':
      return view; // the saga's effects: in the timeline, not in the state
    default:
      return unreachable(event);
  }
}

/** What the case saga (case-workflow) decided about escalation. */
export function escalationRequested(view: LegalView, reasons: readonly string[]): LegalView {
  return { ...view, escalation: 'requested', escalationReasons: reasons, heldFor: [] };
}

export function escalationHeld(view: LegalView, reasons: readonly string[], holds: readonly accounts.Flag[]): LegalView {
  return { ...view, escalation: 'held', escalationReasons: reasons, heldFor: holds };
}
