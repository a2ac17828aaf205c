import type { legalEscalation } from '@arrears/contracts';

export type LegalEvent = legalEscalation.LegalEvent;
export type LitigationStatus = (typeof legalEscalation.LITIGATION_STATUSES)[number];
type Data<Type extends LegalEvent['type']> = Extract<LegalEvent, { type: Type }>['data'];

/** The handoff's three durable timers, each keyed by the handoff's number. */
export type HandoffTimer = 'reminder-24' | 'reminder-36' | 'overdue';

/** What a handoff under way knows of its 48 hours. */
interface Clock {
  readonly handoff: number;
  readonly accountId: string;
  readonly requestedAt: string;
  /** The instants each timer guards: a firing before its instant is not its time. */
  readonly due: Readonly<Record<HandoffTimer, string>>;
  /** Timers whose firing was decided (a reminder sent, the overdue alert raised). */
  readonly fired: readonly HandoffTimer[];
  /** The id of the FixEvidence the saga sent: only its refusal refuses this handoff. */
  readonly fixCommandId?: string;
}

/** One handoff of the case, by where it stands. A refused or finished handoff keeps its number and nothing else it needs. */
export type Handoff =
  | (Clock & { readonly status: 'awaiting-evidence' })
  | (Clock & { readonly status: 'delivered'; readonly packageId: string })
  | (Clock & { readonly status: 'acknowledged'; readonly packageId: string; readonly litigation?: LitigationStatus })
  | { readonly status: 'refused'; readonly handoff: number }
  | { readonly status: 'over'; readonly handoff: number; readonly packageId: string; readonly outcome: 'settled' | 'withdrawn' };

/** A handoff under way: its clock runs until it is acknowledged, and it is open until settled or withdrawn. */
export type ActiveHandoff = Extract<Handoff, { status: 'awaiting-evidence' | 'delivered' | 'acknowledged' }>;

/** One case's handoffs to legal, as the saga's own stream (`legal-<accountId>`) tells them. */
export interface HandoffState {
  /** The last handoff number given, refused ones included: the next is this + 1. */
  readonly handoffs: number;
  readonly current?: Handoff;
}

export function initialState(): HandoffState {
  return { handoffs: 0 };
}

/** Whether a handoff is under way: started and neither refused nor finished (settled or withdrawn). */
export function inProgress(handoff: Handoff | undefined): handoff is ActiveHandoff {
  return handoff !== undefined && handoff.status !== 'refused' && handoff.status !== 'over';
}

export function evolve(state: HandoffState, event: LegalEvent): HandoffState {
  switch (event.type) {
    case 'HandoffStarted':
      return { handoffs: Math.max(state.handoffs, event.data.handoff), current: started(event.data) };
    case 'HandoffRefused':
      return { handoffs: Math.max(state.handoffs, event.data.handoff), current: { status: 'refused', handoff: event.data.handoff } };
    case 'SagaCommandIssued': {
      const { command, commandId, data } = event.data;
      return command === 'FixEvidence' ? change(state, Number(data['handoff']), (current) => (current.status === 'awaiting-evidence' ? { ...current, fixCommandId: commandId } : current)) : state;
    }
    case 'LegalPackageDelivered':
      return change(state, event.data.handoff, (current) => (current.status === 'awaiting-evidence' ? { ...current, status: 'delivered', packageId: event.data.packageId } : current));
    case 'HandoffReminderSent':
      return fired(state, event.data.handoff, event.data.hoursSinceRequest === 24 ? 'reminder-24' : 'reminder-36');
    case 'LegalHandoffOverdue':
      return fired(state, event.data.handoff, 'overdue');
    case 'HandoffAcknowledged':
      return change(state, event.data.handoff, (current) => (current.status === 'delivered' ? { ...current, status: 'acknowledged' } : current));
    case 'LitigationStatusReported': {
      const { status } = event.data;
      return change(state, event.data.handoff, (current) => {
        if (current.status !== 'acknowledged') return current;
        if (status === 'settled' || status === 'withdrawn') return { status: 'over', handoff: current.handoff, packageId: current.packageId, outcome: status };
        return { ...current, litigation: status };
      });
    }
    default:
      // EvidenceFixed is always followed by LegalPackageDelivered in the same decision, which moves the handoff on;
      // the saga's other effects (timers set and cleared, refusals recorded) change nothing it decides on.
      return state;
  }
}

function started(data: Data<'HandoffStarted'>): Handoff {
  const [reminder24 = data.requestedAt, reminder36 = data.requestedAt] = data.remindAt;
  return {
    status: 'awaiting-evidence',
    handoff: data.handoff,
    accountId: data.accountId,
    requestedAt: data.requestedAt,
    due: { 'reminder-24': reminder24, 'reminder-36': reminder36, overdue: data.overdueAt },
    fired: [],
  };
}

/** Applies `update` to the current handoff when the event is about it; an event of another handoff changes nothing. */
function change(state: HandoffState, handoff: number, update: (current: Handoff) => Handoff): HandoffState {
  return state.current?.handoff === handoff ? { ...state, current: update(state.current) } : state;
}

function fired(state: HandoffState, handoff: number, timer: HandoffTimer): HandoffState {
  return change(state, handoff, (current) => (inProgress(current) && !current.fired.includes(timer) ? { ...current, fired: [...current.fired, timer] } : current));
}
