import { ArrearsError, ErrorCode, type Role } from '@arrears/contracts';
import type { RosterCommandEnvelope } from './commands';
import type { RosterPolicy } from './policy';
import { evolve, unreachable, waitingCases, type AssignmentReason, type CaseProfile, type Collector, type Roster, type RosterCase, type RosterEvent } from './roster';
import { rankCandidates, scoreCollector, total, type ScoredCollector } from './score';

type Command<Type extends RosterCommandEnvelope['type']> = Extract<RosterCommandEnvelope, { type: Type }>;
type Waiting = Extract<RosterCase, { status: 'waiting' }>;

/** The contract allows at most five runners-up on a CaseAssigned. */
const MOST_ALTERNATIVES = 5;

/** Who may send what (docs/assignment.md, "Roles"). */
const MANAGERS: readonly Role[] = ['supervisor', 'admin'];
const SYSTEM: readonly Role[] = ['system'];
const REASSIGNERS: readonly Role[] = ['supervisor', 'admin', 'system'];

/**
 * The decision so far: the events decided and the roster with them applied, so that each step of a command that
 * moves several cases (an absence, a lowered capacity, the queue picked up) sees the ones before it.
 */
interface Draft {
  state: Roster;
  readonly events: RosterEvent[];
}

/** The roster's rules under one policy: `decide(command, roster)` → events, or a thrown ArrearsError. */
export function rosterDecider(policy: RosterPolicy): (command: RosterCommandEnvelope, state: Roster) => RosterEvent[] {
  return (command, state) => {
    const draft: Draft = { state, events: [] };
    decideCommand(command, draft, policy);
    // Whatever changed may have made room: a case never waits while a collector could take it.
    if (draft.events.length > 0) pickUpWaiting(draft, policy);
    return draft.events;
  };
}

function decideCommand(command: RosterCommandEnvelope, draft: Draft, policy: RosterPolicy): void {
  switch (command.type) {
    case 'RegisterCollector':
      return registerCollector(command, draft);
    case 'UpdateCollector':
      return updateCollector(command, draft, policy);
    case 'SetCollectorAvailability':
      return setAvailability(command, draft, policy);
    case 'AssignCase':
      return assignCase(command, draft, policy);
    case 'ReassignCase':
      return reassignCase(command, draft, policy);
    case 'ReleaseCase':
      return releaseCase(command, draft);
    default:
      return unreachable(command);
  }
}

function emit(draft: Draft, event: RosterEvent): void {
  draft.events.push(event);
  draft.state = evolve(draft.state, event);
}

function requireRole(command: RosterCommandEnvelope, roles: readonly Role[]): void {
  const { actorRole } = command.metadata;
  if (!roles.includes(actorRole)) {
    throw new ArrearsError(ErrorCode.FORBIDDEN, `${command.type} is sent by ${roles.join(' or ')}, not a ${actorRole}`, { field: 'metadata.actorRole' });
  }
}

function registerCollector(command: Command<'RegisterCollector'>, draft: Draft): void {
  requireRole(command, MANAGERS);
  const { collectorId, name, specialties, capacity } = command.data;
  const existing = draft.state.collectors[collectorId];
  if (existing !== undefined) {
    if (existing.name === name && sameSpecialties(existing.specialties, specialties) && existing.capacity === capacity) return;
    throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Collector ${collectorId} is already registered with other details: change them with UpdateCollector`, {
      field: 'data.collectorId',
      details: { name: existing.name, specialties: existing.specialties, capacity: existing.capacity },
    });
  }
  emit(draft, { type: 'CollectorRegistered', data: { collectorId, name, specialties, capacity } });
}

function updateCollector(command: Command<'UpdateCollector'>, draft: Draft, policy: RosterPolicy): void {
  requireRole(command, MANAGERS);
  const { collectorId, specialties, capacity } = command.data;
  const collector = knownCollector(draft.state, collectorId, 'data.collectorId');
  if (sameSpecialties(collector.specialties, specialties) && collector.capacity === capacity) return;
  emit(draft, { type: 'CollectorUpdated', data: { collectorId, specialties, capacity } });
  // The most recently assigned go: the older cases are the ones the collector has worked on longest.
  const excess = collector.open.slice(Math.min(capacity, collector.open.length));
  for (const open of excess) place(draft, policy, open.caseId, open.profile, 'overload', { previousCollectorId: collectorId, excluded: [collectorId] });
}

function setAvailability(command: Command<'SetCollectorAvailability'>, draft: Draft, policy: RosterPolicy): void {
  requireRole(command, MANAGERS);
  const { collectorId, available, reason, until } = command.data;
  const collector = knownCollector(draft.state, collectorId, 'data.collectorId');
  const note = collector.availabilityNote;
  // Available again when available: nothing. Absent again: nothing, unless the reason or the expected return changed.
  if (collector.available === available && (available || (note?.reason === reason && note.until === until))) return;
  emit(draft, { type: 'CollectorAvailabilityChanged', data: { collectorId, available, reason, ...(until === undefined ? {} : { until }) } });
  if (available) return;
  for (const open of collector.open) place(draft, policy, open.caseId, open.profile, 'absence', { previousCollectorId: collectorId, excluded: [collectorId] });
}

function assignCase(command: Command<'AssignCase'>, draft: Draft, policy: RosterPolicy): void {
  requireRole(command, SYSTEM);
  const { caseId, profile } = command.data;
  // Assigned or waiting: already in hand. Released: the case closed, and a late AssignCase does not revive it.
  if (draft.state.cases[caseId] !== undefined) return;
  place(draft, policy, caseId, profile, 'new-case', { excluded: [] });
}

function reassignCase(command: Command<'ReassignCase'>, draft: Draft, policy: RosterPolicy): void {
  requireRole(command, REASSIGNERS);
  const { caseId, reason, toCollectorId } = command.data;
  if (command.metadata.actorRole === 'system' && reason !== 'stalled') {
    throw new ArrearsError(ErrorCode.FORBIDDEN, 'The system reassigns only a stalled case; a supervisor or admin reassigns for other reasons', { field: 'metadata.actorRole' });
  }
  if (reason === 'stalled' && toCollectorId !== undefined) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, "A stalled case goes to the best other collector by score; to name the collector, reassign with reason 'supervisor'", {
      field: 'data.toCollectorId',
    });
  }
  const held = draft.state.cases[caseId];
  if (held === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `Case ${caseId} is not on this roster`, { field: 'data.caseId' });
  if (held.status === 'released') throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Case ${caseId} was released (closed): there is nobody to give it to`, { field: 'data.caseId' });
  const profile = command.data.profile ?? held.profile;
  const current = held.status === 'assigned' ? held.collectorId : undefined;
  const previousCollectorId = current ?? (held.status === 'waiting' ? held.previousCollectorId : undefined);

  if (toCollectorId !== undefined) {
    const target = knownCollector(draft.state, toCollectorId, 'data.toCollectorId');
    if (!target.available) throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Collector ${toCollectorId} is absent: a case goes to someone who can work it`, { field: 'data.toCollectorId' });
    if (toCollectorId === current) return;
    giveByName(draft, policy, { caseId, profile, target, previousCollectorId, actorId: command.metadata.actorId, excluded: [toCollectorId, ...(current === undefined ? [] : [current])] });
    return;
  }
  if (held.status === 'assigned') {
    place(draft, policy, caseId, profile, reason, { previousCollectorId: held.collectorId, excluded: [held.collectorId] });
    return;
  }
  // A waiting case: given to someone only if anyone has room; otherwise it stays where it is, in the queue.
  if (rankCandidates(draft.state, profile, policy, avoided(held)).length > 0) place(draft, policy, caseId, profile, reason, { previousCollectorId, excluded: avoided(held) });
}

function releaseCase(command: Command<'ReleaseCase'>, draft: Draft): void {
  requireRole(command, SYSTEM);
  const { caseId, outcome } = command.data;
  const held = draft.state.cases[caseId];
  if (held === undefined || held.status === 'released') return;
  emit(draft, { type: 'CaseReleased', data: { caseId, ...(held.status === 'assigned' ? { collectorId: held.collectorId } : {}), outcome } });
}

/**
 * The case to the best-scoring available collector with room (`excluded` aside), with every factor and the
 * runners-up; or, when there is none, to the waiting queue with why.
 */
function place(
  draft: Draft,
  policy: RosterPolicy,
  caseId: string,
  profile: CaseProfile,
  reason: AssignmentReason,
  options: { readonly previousCollectorId?: string; readonly excluded: readonly string[] },
): void {
  const { previousCollectorId, excluded } = options;
  const previous = previousCollectorId === undefined ? {} : { previousCollectorId };
  const [best, ...runnersUp] = rankCandidates(draft.state, profile, policy, excluded);
  if (best === undefined) {
    emit(draft, { type: 'CaseUnassigned', data: { caseId, reason, why: whyNobody(draft.state, excluded), ...previous, profile } });
    return;
  }
  emit(draft, {
    type: 'CaseAssigned',
    data: { caseId, collectorId: best.collectorId, ...previous, reason, profile, score: best.score, factors: [...best.factors], alternatives: alternatives(runnersUp, policy) },
  });
}

/** A supervisor's choice by name: scored like any other (so the record shows what the score thought), capacity aside. */
function giveByName(
  draft: Draft,
  policy: RosterPolicy,
  choice: { caseId: string; profile: CaseProfile; target: Collector; previousCollectorId: string | undefined; actorId: string; excluded: readonly string[] },
): void {
  const { caseId, profile, target, previousCollectorId, actorId, excluded } = choice;
  const scored = scoreCollector(target, profile, policy);
  const load = target.open.length + 1;
  const over = load > target.capacity ? `, over capacity: ${load} open of ${target.capacity}` : '';
  const factors = [...scored.factors, { factor: 'supervisor-choice', points: 0, detail: `given by name by ${actorId}${over}`.slice(0, 300) }];
  emit(draft, {
    type: 'CaseAssigned',
    data: {
      caseId,
      collectorId: target.collectorId,
      ...(previousCollectorId === undefined ? {} : { previousCollectorId }),
      reason: 'supervisor',
      profile,
      score: total(factors),
      factors,
      alternatives: alternatives(rankCandidates(draft.state, profile, policy, excluded), policy),
    },
  });
}

/** Waiting cases, longest waiting first, each to the best collector who now has room. */
function pickUpWaiting(draft: Draft, policy: RosterPolicy): void {
  for (const { caseId, waiting } of waitingCases(draft.state)) {
    const excluded = avoided(waiting);
    if (rankCandidates(draft.state, waiting.profile, policy, excluded).length === 0) continue;
    place(draft, policy, caseId, waiting.profile, waiting.reason, { ...(waiting.previousCollectorId === undefined ? {} : { previousCollectorId: waiting.previousCollectorId }), excluded });
  }
}

/** A case taken from a collector as stalled or by a supervisor is not handed back to them by the queue. */
function avoided(waiting: Waiting): string[] {
  const takenAway = waiting.reason === 'stalled' || waiting.reason === 'supervisor';
  return takenAway && waiting.previousCollectorId !== undefined ? [waiting.previousCollectorId] : [];
}

function alternatives(runnersUp: readonly ScoredCollector[], policy: RosterPolicy): { collectorId: string; score: number }[] {
  return runnersUp.slice(0, Math.min(policy.alternatives, MOST_ALTERNATIVES)).map(({ collectorId, score }) => ({ collectorId, score }));
}

function whyNobody(state: Roster, excluded: readonly string[]): string {
  const collectors = Object.values(state.collectors).filter((collector) => !excluded.includes(collector.collectorId));
  const left = excluded.length > 0 ? ` besides ${excluded.join(', ')}` : '';
  if (collectors.length === 0) return `No collector is on the team${left}: the case waits for one to be registered`.slice(0, 500);
  const absent = collectors.filter((collector) => !collector.available).length;
  const full = collectors.length - absent;
  return `No collector has room${left}: ${collectors.length} on the team, ${absent} absent, ${full} at capacity; the case waits, oldest first`.slice(0, 500);
}

function knownCollector(state: Roster, collectorId: string, field: string): Collector {
  const collector = state.collectors[collectorId];
  if (collector === undefined) throw new ArrearsError(ErrorCode.NOT_FOUND, `No collector ${collectorId} on this team`, { field });
  return collector;
}

function sameSpecialties(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((value, index) => value === right[index]);
}
