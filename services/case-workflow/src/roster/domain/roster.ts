import type { caseWorkflow } from '@arrears/contracts';

export type RosterEvent = caseWorkflow.RosterEvent;
export type CaseProfile = caseWorkflow.CaseProfile;
export type AssignmentReason = caseWorkflow.AssignmentReason;
export type Outcome = Extract<RosterEvent, { type: 'CaseReleased' }>['data']['outcome'];

/** A case a collector holds: the profile it was (last) scored on, and when it was given to them. */
export interface OpenCase {
  readonly caseId: string;
  readonly profile: CaseProfile;
  /** The roster's event count when it was assigned: higher is more recent. */
  readonly assignedAt: number;
}

export interface Collector {
  readonly collectorId: string;
  readonly name: string;
  readonly specialties: readonly caseWorkflow.CaseProfile['product'][];
  /** Open cases they can carry; a supervisor may give them more by name. */
  readonly capacity: number;
  readonly available: boolean;
  /** Why they are absent or available, and until when: a repeated change with the same note is nothing new. */
  readonly availabilityNote?: { readonly reason: string; readonly until?: string };
  /** In the order they were assigned, oldest first. */
  readonly open: readonly OpenCase[];
  readonly outcomes: Readonly<Record<Outcome, number>>;
}

/**
 * Where a case stands on the roster. A waiting case keeps why it needed a collector (its reason when picked up), the
 * collector it left, and its place in the queue; a case taken from a collector as stalled or by a supervisor is not
 * given back to that collector by a pick-up.
 */
export type RosterCase =
  | { readonly status: 'assigned'; readonly collectorId: string; readonly profile: CaseProfile }
  | {
      readonly status: 'waiting';
      readonly profile: CaseProfile;
      readonly reason: AssignmentReason;
      readonly previousCollectorId?: string;
      /** The roster's event count when it began to wait: lower waits longer. */
      readonly since: number;
    }
  | { readonly status: 'released' };

/** One team's roster (`roster-<teamId>`). */
export interface Roster {
  readonly collectors: Readonly<Record<string, Collector>>;
  readonly cases: Readonly<Record<string, RosterCase>>;
  /** Events folded so far: the roster's clock for "oldest first" and "most recently assigned". */
  readonly events: number;
}

export function initialState(): Roster {
  return { collectors: {}, cases: {}, events: 0 };
}

export function evolve(state: Roster, event: RosterEvent): Roster {
  const next = { ...state, events: state.events + 1 };
  switch (event.type) {
    case 'CollectorRegistered': {
      const { collectorId, name, specialties, capacity } = event.data;
      const collector: Collector = { collectorId, name, specialties, capacity, available: true, open: [], outcomes: { success: 0, failure: 0, neutral: 0 } };
      return { ...next, collectors: { ...next.collectors, [collectorId]: collector } };
    }
    case 'CollectorUpdated': {
      const { collectorId, specialties, capacity } = event.data;
      return withCollector(next, collectorId, (collector) => ({ ...collector, specialties, capacity }));
    }
    case 'CollectorAvailabilityChanged': {
      const { collectorId, available, reason, until } = event.data;
      return withCollector(next, collectorId, (collector) => ({ ...collector, available, availabilityNote: { reason, ...(until === undefined ? {} : { until }) } }));
    }
    case 'CaseAssigned': {
      const { caseId, collectorId, profile } = event.data;
      const released = takeOff(next, caseId);
      return {
        ...withCollector(released, collectorId, (collector) => ({ ...collector, open: [...collector.open, { caseId, profile, assignedAt: state.events }] })),
        cases: { ...released.cases, [caseId]: { status: 'assigned', collectorId, profile } },
      };
    }
    case 'CaseUnassigned': {
      const { caseId, reason, previousCollectorId, profile } = event.data;
      const earlier = state.cases[caseId];
      const since = earlier?.status === 'waiting' ? earlier.since : state.events;
      const released = takeOff(next, caseId);
      return { ...released, cases: { ...released.cases, [caseId]: { status: 'waiting', profile, reason, ...(previousCollectorId === undefined ? {} : { previousCollectorId }), since } } };
    }
    case 'CaseReleased': {
      const { caseId, collectorId, outcome } = event.data;
      const released = takeOff(next, caseId);
      const counted = collectorId === undefined ? released : withCollector(released, collectorId, (collector) => ({ ...collector, outcomes: { ...collector.outcomes, [outcome]: collector.outcomes[outcome] + 1 } }));
      return { ...counted, cases: { ...counted.cases, [caseId]: { status: 'released' } } };
    }
    default:
      return unreachable(event);
  }
}

/** The case off whoever holds it now (the roster's own record of the holder, not what an event claims). */
function takeOff(state: Roster, caseId: string): Roster {
  const held = state.cases[caseId];
  if (held?.status !== 'assigned') return state;
  return withCollector(state, held.collectorId, (collector) => ({ ...collector, open: collector.open.filter((open) => open.caseId !== caseId) }));
}

function withCollector(state: Roster, collectorId: string, change: (collector: Collector) => Collector): Roster {
  const collector = state.collectors[collectorId];
  return collector === undefined ? state : { ...state, collectors: { ...state.collectors, [collectorId]: change(collector) } };
}

/** Waiting cases, longest waiting first. */
export function waitingCases(state: Roster): { caseId: string; waiting: Extract<RosterCase, { status: 'waiting' }> }[] {
  return Object.entries(state.cases)
    .flatMap(([caseId, held]) => (held.status === 'waiting' ? [{ caseId, waiting: held }] : []))
    .sort((a, b) => a.waiting.since - b.waiting.since);
}

export function unreachable(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}
