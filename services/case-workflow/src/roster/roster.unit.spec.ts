import { randomUUID } from 'node:crypto';
import { accounts, ArrearsError, caseWorkflow, ErrorCode, EventCatalog, type Role } from '@arrears/contracts';
import { deciderSpec } from '@arrears/testing';
import fc from 'fast-check';
import type { RosterCommandBody, RosterCommandEnvelope } from './domain/commands';
import { rosterDecider } from './domain/decide';
import { DEFAULT_ROSTER_POLICY } from './domain/policy';
import { evolve, initialState, type CaseProfile, type Roster, type RosterEvent } from './domain/roster';
import { caseDifficulty } from './domain/score';

const catalog = new EventCatalog(caseWorkflow.ROSTER_EVENTS);
const NOW = '2026-12-01T09:00:00.000Z';
const decide = rosterDecider(DEFAULT_ROSTER_POLICY);

/** The role each command is normally sent with: collectors are managed by a supervisor, cases moved by the case saga. */
function usualRole(body: RosterCommandBody): Role {
  switch (body.type) {
    case 'RegisterCollector':
    case 'UpdateCollector':
    case 'SetCollectorAvailability':
      return 'supervisor';
    case 'ReassignCase':
      return body.data.reason === 'supervisor' ? 'supervisor' : 'system';
    default:
      return 'system';
  }
}

function envelope(body: RosterCommandBody, role: Role = usualRole(body)): RosterCommandEnvelope {
  const actorId = role === 'system' ? 'system:case-workflow' : `${role}-2`;
  return { ...body, commandId: randomUUID(), schemaVersion: 1, metadata: { correlationId: randomUUID(), actorId, actorRole: role, now: NOW } };
}

const given = deciderSpec({ initialState, evolve, decide, command: envelope, check: (event: RosterEvent) => catalog.encode(event) });

/** The events of these commands, each decided on the roster the ones before it made. */
function after(...steps: (RosterCommandBody | readonly [RosterCommandBody, Role])[]): RosterEvent[] {
  const events: RosterEvent[] = [];
  for (const step of steps) {
    const [body, role] = 'type' in step ? [step, undefined] : step;
    events.push(...given(...events).when(body, role).events());
  }
  return events;
}

const caseN = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [C1, C2, C3, C4] = [caseN(1), caseN(2), caseN(3), caseN(4)];

/** A small utility bill, ten days late: difficulty 2.37. */
const easy: CaseProfile = { product: 'utility', currency: 'USD', balance: 20_000, daysPastDue: 10, bucket: '1-30', tier: 'low', brokenPromises: 0 };
/** The worked example of docs/assignment.md: difficulty 57.5. */
const hard: CaseProfile = { product: 'credit-card', currency: 'USD', balance: 500_000, daysPastDue: 90, bucket: '31-90', tier: 'high', brokenPromises: 1 };

type Product = CaseProfile['product'];
const register = (collectorId: string, capacity: number, specialties: Product[] = [], name = `Collector ${collectorId}`): RosterCommandBody => ({
  type: 'RegisterCollector',
  data: { collectorId, name, specialties, capacity },
});
const update = (collectorId: string, capacity: number, specialties: Product[] = []): RosterCommandBody => ({ type: 'UpdateCollector', data: { collectorId, specialties, capacity } });
const absent = (collectorId: string, reason = 'annual leave', until?: string): RosterCommandBody => ({
  type: 'SetCollectorAvailability',
  data: { collectorId, available: false, reason, ...(until === undefined ? {} : { until }) },
});
const back = (collectorId: string): RosterCommandBody => ({ type: 'SetCollectorAvailability', data: { collectorId, available: true, reason: 'back from leave' } });
const assign = (caseId: string, profile: CaseProfile = easy): RosterCommandBody => ({ type: 'AssignCase', data: { caseId, profile } });
const stalled = (caseId: string): RosterCommandBody => ({ type: 'ReassignCase', data: { caseId, reason: 'stalled' } });
const bySupervisor = (caseId: string, toCollectorId?: string, profile?: CaseProfile): RosterCommandBody => ({
  type: 'ReassignCase',
  data: { caseId, reason: 'supervisor', ...(toCollectorId === undefined ? {} : { toCollectorId }), ...(profile === undefined ? {} : { profile }) },
});
const release = (caseId: string, outcome: 'success' | 'failure' | 'neutral' = 'success'): RosterCommandBody => ({ type: 'ReleaseCase', data: { caseId, outcome } });

/** A case given to a collector in the history of a spec, by whatever score: only who holds it matters. */
const heldBy = (caseId: string, collectorId: string, profile: CaseProfile = easy): RosterEvent => ({
  type: 'CaseAssigned',
  data: { caseId, collectorId, reason: 'new-case', profile, score: 0, factors: [{ factor: 'history', points: 0, detail: 'given in the spec' }], alternatives: [] },
});
const closed = (caseId: string, collectorId: string, outcome: 'success' | 'failure' | 'neutral'): RosterEvent => ({ type: 'CaseReleased', data: { caseId, collectorId, outcome } });
const registered = (collectorId: string, capacity: number, specialties: Product[] = [], name = `Collector ${collectorId}`): RosterEvent => ({
  type: 'CollectorRegistered',
  data: { collectorId, name, specialties, capacity },
});

const types = (events: readonly RosterEvent[]) => events.map((event) => event.type);
const assignedTo = (events: readonly RosterEvent[]) => events.flatMap((event) => (event.type === 'CaseAssigned' ? [[event.data.caseId, event.data.collectorId]] : []));

describe('the score (docs/assignment.md, "Worked example")', () => {
  it('difficulty is 0–100 from balance, days past due, tier and broken promises', () => {
    expect(caseDifficulty(hard, DEFAULT_ROSTER_POLICY.difficulty)).toEqual({ points: 57.5, parts: { balance: 17.5, daysPastDue: 15, tier: 20, brokenPromises: 5 } });
    expect(caseDifficulty(easy, DEFAULT_ROSTER_POLICY.difficulty).points).toBe(2.37);
    const hardest: CaseProfile = { ...hard, balance: 5_000_000, daysPastDue: 400, brokenPromises: 7 };
    expect(caseDifficulty(hardest, DEFAULT_ROSTER_POLICY.difficulty).points).toBe(100);
    // Minor units are read in the case's currency: 1,500,000 yen is as large a balance as 10,000.00 dollars.
    expect(caseDifficulty({ ...hard, currency: 'JPY', balance: 750_000 }, DEFAULT_ROSTER_POLICY.difficulty).parts.balance).toBe(17.5);
  });

  it('a proven credit-card specialist with room takes a hard credit-card case: every factor with its points and why', () => {
    // Alice: 10 cases closed (8 successes, 2 failures), 4 open of 10. Bob: new, 5 places free. Carol: absent.
    const aliceHistory = Array.from({ length: 10 }, (_, n) => [heldBy(caseN(100 + n), 'alice'), closed(caseN(100 + n), 'alice', n < 8 ? 'success' : 'failure')]).flat();
    given(
      registered('alice', 10, ['credit-card', 'mortgage'], 'Alice Moreno'),
      registered('bob', 5, ['auto-loan'], 'Bob Lee'),
      registered('carol', 8, ['credit-card'], 'Carol Diaz'),
      ...aliceHistory,
      ...[200, 201, 202, 203].map((n) => heldBy(caseN(n), 'alice')),
      { type: 'CollectorAvailabilityChanged', data: { collectorId: 'carol', available: false, reason: 'sick leave' } },
    )
      .when(assign(C1, hard))
      .then([
        {
          type: 'CaseAssigned',
          data: {
            caseId: C1,
            collectorId: 'alice',
            reason: 'new-case',
            profile: hard,
            score: 69.5,
            factors: [
              { factor: 'specialty', points: 30, detail: 'credit-card is one of their 2 specialties' },
              { factor: 'spare-capacity', points: 15, detail: '6 of 10 places free (4 open)' },
              { factor: 'success-rate', points: 18.75, detail: '8 successes, 2 failures: (8+1)/(10+2) = 75%' },
              { factor: 'difficulty', points: 5.75, detail: 'difficulty 57.5/100 (balance 17.5, days past due 15, tier 20, broken promises 5) against a 75% success rate' },
            ],
            // Bob: 0 specialty + 25 spare capacity + 12.5 success rate (no history: 1/2) + 0 difficulty (an even record).
            alternatives: [{ collectorId: 'bob', score: 37.5 }],
          },
        },
      ]);
  });

  it('on a hard case a poor record costs points; on an easy one skill hardly counts', () => {
    const poor = [registered('dan', 10), ...[0, 1, 2].flatMap((n) => [heldBy(caseN(300 + n), 'dan'), closed(caseN(300 + n), 'dan', 'failure')])];
    // (0+1)/(3+2) = 20 %: success rate 5; difficulty 20 × 0.575 × (2 × 0.2 − 1) = −6.9.
    const [onHard] = given(...poor).when(assign(C1, hard)).events();
    expect(onHard?.type === 'CaseAssigned' && onHard.data.factors.slice(2).map((factor) => factor.points)).toEqual([5, -6.9]);
    expect(onHard?.type === 'CaseAssigned' && onHard.data.score).toBe(23.1);
    const [onEasy] = given(...poor).when(assign(C1, easy)).events();
    expect(onEasy?.type === 'CaseAssigned' && onEasy.data.factors[3]?.points).toBe(-0.28);
  });

  it('neutral outcomes (returned, sold) say nothing about skill', () => {
    const [event] = given(registered('eve', 4), heldBy(C2, 'eve'), closed(C2, 'eve', 'neutral')).when(assign(C1)).events();
    expect(event?.type === 'CaseAssigned' && event.data.factors[2]).toEqual({ factor: 'success-rate', points: 12.5, detail: '0 successes, 0 failures: (0+1)/(0+2) = 50% (1 neutral, not counted)' });
  });

  it('ties go to fewer open cases, then to the lower collector id', () => {
    // Same score (same share free, no history, no specialty): Eli with 2 open of 4 before Dana with 5 open of 10.
    const loads = [registered('dana', 10), registered('eli', 4), ...[1, 2, 3, 4, 5].map((n) => heldBy(caseN(400 + n), 'dana')), heldBy(caseN(410), 'eli'), heldBy(caseN(411), 'eli')];
    const [byLoad] = given(...loads).when(assign(C1)).events();
    expect(byLoad?.data).toMatchObject({ collectorId: 'eli', score: 25, alternatives: [{ collectorId: 'dana', score: 25 }] });
    // Everything equal: by id, not by who registered first.
    const [byId] = given(registered('ben', 4), registered('amy', 4)).when(assign(C1)).events();
    expect(byId?.data).toMatchObject({ collectorId: 'amy', alternatives: [{ collectorId: 'ben' }] });
  });

  it('names at most five runners-up, best first', () => {
    const team = [registered('a', 1, ['utility']), ...['b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id, n) => registered(id, 1 + n))];
    const [event] = given(...team).when(assign(C1)).events();
    expect(event?.type === 'CaseAssigned' && event.data.alternatives.map((alternative) => alternative.collectorId)).toEqual(['b', 'c', 'd', 'e', 'f']);
  });
});

describe('RegisterCollector', () => {
  it('adds a collector, available; the same details again change nothing; other details are a conflict', () => {
    given().when(register('ana', 5, ['mortgage'], 'Ana Ruiz')).then([registered('ana', 5, ['mortgage'], 'Ana Ruiz')]);
    const history = after(register('ana', 5, ['mortgage', 'auto-loan'], 'Ana Ruiz'));
    given(...history).when(register('ana', 5, ['auto-loan', 'mortgage'], 'Ana Ruiz')).then([]);
    given(...history).when(register('ana', 6, ['mortgage', 'auto-loan'], 'Ana Ruiz')).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.collectorId');
    given(...history).when(register('ana', 5, ['mortgage', 'auto-loan'], 'Ana Ruiz-Ortega')).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.collectorId');
  });

  it('is for a supervisor or an admin', () => {
    given().when(register('ana', 5), 'admin').then([registered('ana', 5)]);
    for (const role of ['collector', 'system', 'auditor'] as const) given().when(register('ana', 5), role).thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
  });
});

describe('AssignCase', () => {
  it('only available collectors with room are candidates; with none the case waits, with why', () => {
    given().when(assign(C1)).then([{ type: 'CaseUnassigned', data: { caseId: C1, reason: 'new-case', why: 'No collector is on the team: the case waits for one to be registered', profile: easy } }]);
    const team = after(register('zoe', 1), register('yan', 0), register('xia', 3), absent('xia'));
    const first = given(...team).when(assign(C1)).events();
    expect(assignedTo(first)).toEqual([[C1, 'zoe']]);
    given(...team, ...first)
      .when(assign(C2))
      .then([{ type: 'CaseUnassigned', data: { caseId: C2, reason: 'new-case', why: 'No collector has room: 3 on the team, 1 absent, 2 at capacity; the case waits, oldest first', profile: easy } }]);
  });

  it('a case already assigned, waiting or released changes nothing', () => {
    const assigned = after(register('ana', 2), assign(C1));
    given(...assigned).when(assign(C1, hard)).then([]);
    const waiting = after(assign(C1));
    given(...waiting).when(assign(C1)).then([]);
    given(...assigned, ...after(register('ana', 2), assign(C1), release(C1)).slice(2)).when(assign(C1)).then([]);
  });

  it('is sent by the system (the case saga) only', () => {
    for (const role of ['supervisor', 'admin', 'collector'] as const) given(...after(register('ana', 2))).when(assign(C1), role).thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
  });
});

describe('ReleaseCase', () => {
  it("takes the case off the collector's load and counts the outcome in their success rate", () => {
    const history = after(register('ana', 2), assign(C1));
    given(...history).when(release(C1, 'success')).then([{ type: 'CaseReleased', data: { caseId: C1, collectorId: 'ana', outcome: 'success' } }]);
    const [next] = given(...history, ...after(register('ana', 2), assign(C1), release(C1)).slice(2)).when(assign(C2)).events();
    expect(next?.type === 'CaseAssigned' && next.data.factors.slice(1, 3)).toEqual([
      { factor: 'spare-capacity', points: 25, detail: '2 of 2 places free (0 open)' },
      { factor: 'success-rate', points: 16.67, detail: '1 success, 0 failures: (1+1)/(1+2) = 66.67%' },
    ]);
  });

  it('a waiting case leaves the queue, counting for no one; an unknown or released case changes nothing', () => {
    const waiting = after(assign(C1));
    given(...waiting).when(release(C1, 'neutral')).then([{ type: 'CaseReleased', data: { caseId: C1, outcome: 'neutral' } }]);
    given().when(release(C1)).then([]);
    given(...waiting, { type: 'CaseReleased', data: { caseId: C1, outcome: 'neutral' } }).when(release(C1, 'failure')).then([]);
  });

  it('is sent by the system only', () => {
    given(...after(register('ana', 2), assign(C1))).when(release(C1), 'supervisor').thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
  });
});

describe('waiting cases are picked up, oldest first, whenever room appears', () => {
  const queue = () => after(assign(C1), assign(C2, hard), assign(C3));

  it('when a collector is registered', () => {
    const events = given(...queue()).when(register('ana', 2)).events();
    expect(types(events)).toEqual(['CollectorRegistered', 'CaseAssigned', 'CaseAssigned']);
    expect(assignedTo(events)).toEqual([
      [C1, 'ana'],
      [C2, 'ana'],
    ]);
    // Picked up as the new cases they are, scored on the profile they waited with.
    expect(events[2]?.data).toMatchObject({ reason: 'new-case', profile: hard });
  });

  it('when a case is released, and when capacity is raised', () => {
    const history = after(assign(C1), assign(C2), assign(C3), register('ana', 2));
    expect(assignedTo(given(...history).when(release(C1)).events())).toEqual([[C3, 'ana']]);
    const raised = given(...history).when(update('ana', 4)).events();
    expect(types(raised)).toEqual(['CollectorUpdated', 'CaseAssigned']);
    expect(assignedTo(raised)).toEqual([[C3, 'ana']]);
  });

  it('a case that begins to wait joins the end of the queue; the room it leaves goes to the longest waiting', () => {
    const history = after(register('ana', 1), assign(C1), assign(C2), assign(C3));
    // C2 and C3 wait. A supervisor takes C1 from Ana with nobody else to take it: it waits, and Ana takes C2.
    const taken = given(...history).when(bySupervisor(C1)).events();
    expect(types(taken)).toEqual(['CaseUnassigned', 'CaseAssigned']);
    expect(assignedTo(taken)).toEqual([[C2, 'ana']]);
    // C3 has waited longer than C1.
    expect(assignedTo(given(...history, ...taken).when(register('bo', 2)).events())).toEqual([
      [C3, 'bo'],
      [C1, 'bo'],
    ]);
  });
});

describe('SetCollectorAvailability', () => {
  it("absent: the collector's open cases are reassigned, oldest first, to whoever has room, the rest wait", () => {
    const history = after(register('ana', 3), assign(C1), assign(C2), register('bo', 1));
    const events = given(...history).when(absent('ana', 'parental leave', '2027-03-01')).events();
    expect(types(events)).toEqual(['CollectorAvailabilityChanged', 'CaseAssigned', 'CaseUnassigned']);
    expect(events[0]?.data).toEqual({ collectorId: 'ana', available: false, reason: 'parental leave', until: '2027-03-01' });
    expect(events[1]?.data).toMatchObject({ caseId: C1, collectorId: 'bo', previousCollectorId: 'ana', reason: 'absence', alternatives: [] });
    expect(events[2]?.data).toMatchObject({ caseId: C2, previousCollectorId: 'ana', reason: 'absence', why: 'No collector has room besides ana: 1 on the team, 0 absent, 1 at capacity; the case waits, oldest first' });
  });

  it('available again: the waiting cases are picked up', () => {
    const history = after(register('ana', 3), assign(C1), assign(C2), absent('ana'));
    const events = given(...history).when(back('ana')).events();
    expect(types(events)).toEqual(['CollectorAvailabilityChanged', 'CaseAssigned', 'CaseAssigned']);
    expect(events[1]?.data).toMatchObject({ caseId: C1, collectorId: 'ana', previousCollectorId: 'ana', reason: 'absence' });
  });

  it('the same availability again changes nothing (an absence with a new return date is recorded); an unknown collector is not found', () => {
    const history = after(register('ana', 3), absent('ana', 'annual leave', '2026-12-20'));
    given(...history).when(absent('ana', 'annual leave', '2026-12-20')).then([]);
    given(...history).when(absent('ana', 'annual leave', '2027-01-04')).then([{ type: 'CollectorAvailabilityChanged', data: { collectorId: 'ana', available: false, reason: 'annual leave', until: '2027-01-04' } }]);
    given(...after(register('ana', 3))).when(back('ana')).then([]);
    given().when(absent('nobody')).thenRefuses(ErrorCode.NOT_FOUND, 'data.collectorId');
    given(...history).when(back('ana'), 'collector').thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
  });
});

describe('UpdateCollector', () => {
  it('capacity lowered below the load: the most recently assigned excess cases are reassigned for overload', () => {
    const history = after(register('ana', 3), assign(C1), assign(C2), assign(C3), register('bo', 1));
    const events = given(...history).when(update('ana', 1, ['mortgage'])).events();
    expect(types(events)).toEqual(['CollectorUpdated', 'CaseAssigned', 'CaseUnassigned']);
    expect(events[0]?.data).toEqual({ collectorId: 'ana', specialties: ['mortgage'], capacity: 1 });
    expect(events[1]?.data).toMatchObject({ caseId: C2, collectorId: 'bo', previousCollectorId: 'ana', reason: 'overload' });
    expect(events[2]?.data).toMatchObject({ caseId: C3, previousCollectorId: 'ana', reason: 'overload' });
  });

  it('lowered but not below the load, or specialties only: no case moves; the same details change nothing', () => {
    const history = after(register('ana', 3), assign(C1));
    given(...history).when(update('ana', 1)).then([{ type: 'CollectorUpdated', data: { collectorId: 'ana', specialties: [], capacity: 1 } }]);
    given(...history).when(update('ana', 3)).then([]);
  });

  it('refuses an unknown collector, and anyone but a supervisor or admin', () => {
    given().when(update('nobody', 3)).thenRefuses(ErrorCode.NOT_FOUND, 'data.collectorId');
    given(...after(register('ana', 3))).when(update('ana', 4), 'system').thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
  });
});

describe('ReassignCase', () => {
  it('stalled: to the best other collector, never back to the one it stalled with', () => {
    const history = after(register('ana', 5), assign(C1), register('bo', 1), register('cy', 1));
    const [event] = given(...history).when(stalled(C1)).events();
    expect(event?.data).toMatchObject({ caseId: C1, collectorId: 'bo', previousCollectorId: 'ana', reason: 'stalled', alternatives: [{ collectorId: 'cy' }] });
  });

  it('stalled with nobody else to take it: the case waits, and room at the collector it stalled with does not bring it back', () => {
    const history = after(register('ana', 5), assign(C1), assign(C2));
    const unassigned = given(...history).when(stalled(C1)).events();
    expect(unassigned).toEqual([
      { type: 'CaseUnassigned', data: { caseId: C1, reason: 'stalled', why: 'No collector is on the team besides ana: the case waits for one to be registered', previousCollectorId: 'ana', profile: easy } },
    ]);
    given(...history, ...unassigned).when(release(C2)).then([{ type: 'CaseReleased', data: { caseId: C2, collectorId: 'ana', outcome: 'success' } }]);
    const fresh = given(...history, ...unassigned).when(register('bo', 1)).events();
    expect(fresh[1]?.data).toMatchObject({ caseId: C1, collectorId: 'bo', previousCollectorId: 'ana', reason: 'stalled' });
    // Asking again while it waits with nobody to take it changes nothing.
    given(...history, ...unassigned).when(stalled(C1)).then([]);
  });

  it("by a supervisor to a named collector: available, and over capacity if need be, with the score on record", () => {
    const history = after(register('ana', 5), assign(C1), register('bo', 1), assign(C2));
    expect(assignedTo(history)).toEqual([
      [C1, 'ana'],
      [C2, 'bo'],
    ]);
    const [event] = given(...history).when(bySupervisor(C1, 'bo')).events();
    expect(event).toEqual({
      type: 'CaseAssigned',
      data: {
        caseId: C1,
        collectorId: 'bo',
        previousCollectorId: 'ana',
        reason: 'supervisor',
        profile: easy,
        score: 12.5,
        factors: [
          { factor: 'specialty', points: 0, detail: 'utility is not among their specialties' },
          { factor: 'spare-capacity', points: 0, detail: '0 of 1 places free (1 open)' },
          { factor: 'success-rate', points: 12.5, detail: '0 successes, 0 failures: (0+1)/(0+2) = 50%' },
          { factor: 'difficulty', points: 0, detail: 'difficulty 2.37/100 (balance 0.7, days past due 1.67, tier 0, broken promises 0) against a 50% success rate' },
          { factor: 'supervisor-choice', points: 0, detail: 'given by name by supervisor-2, over capacity: 2 open of 1' },
        ],
        alternatives: [],
      },
    });
    given(...history).when(bySupervisor(C1, 'ana')).then([]);
    given(...history).when(bySupervisor(C1, 'nobody')).thenRefuses(ErrorCode.NOT_FOUND, 'data.toCollectorId');
    given(...history, ...after(register('ana', 5), absent('ana')).slice(1)).when(bySupervisor(C2, 'ana')).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.toCollectorId');
  });

  it('by a supervisor without a name: like stalled; a waiting case can be given to someone by name; a new profile replaces the stored one', () => {
    const history = after(register('ana', 5), assign(C1), register('bo', 2));
    const [moved] = given(...history).when(bySupervisor(C1, undefined, hard)).events();
    expect(moved?.data).toMatchObject({ collectorId: 'bo', previousCollectorId: 'ana', reason: 'supervisor', profile: hard });
    // The new profile is the case's from now on.
    const [again] = given(...history, moved!).when(stalled(C1)).events();
    expect(again?.data).toMatchObject({ collectorId: 'ana', previousCollectorId: 'bo', profile: hard });

    const queued = after(register('ana', 0), assign(C3));
    const [fromQueue] = given(...queued).when(bySupervisor(C3, 'ana')).events();
    expect(fromQueue?.data).toMatchObject({ caseId: C3, collectorId: 'ana', reason: 'supervisor' });
    expect(fromQueue?.type === 'CaseAssigned' && fromQueue.data.previousCollectorId).toBeUndefined();
  });

  it('refusals: unknown or released case, the system for anything but a stall, a stall naming a collector, a collector', () => {
    const history = after(register('ana', 5), assign(C1), register('bo', 2));
    given(...history).when(stalled(C4)).thenRefuses(ErrorCode.NOT_FOUND, 'data.caseId');
    given(...history, { type: 'CaseReleased', data: { caseId: C1, collectorId: 'ana', outcome: 'success' } }).when(stalled(C1)).thenRefuses(ErrorCode.STATE_CONFLICT, 'data.caseId');
    given(...history).when(bySupervisor(C1, 'bo'), 'system').thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
    given(...history).when(bySupervisor(C1), 'system').thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
    given(...history).when({ type: 'ReassignCase', data: { caseId: C1, reason: 'stalled', toCollectorId: 'bo' } }).thenRefuses(ErrorCode.VALIDATION_FAILED, 'data.toCollectorId');
    given(...history).when(stalled(C1), 'collector').thenRefuses(ErrorCode.FORBIDDEN, 'metadata.actorRole');
    // A supervisor and an admin may report a stall too.
    expect(assignedTo(given(...history).when(stalled(C1), 'admin').events())).toEqual([[C1, 'bo']]);
  });
});

describe('property: over any sequence of commands', () => {
  const COLLECTORS = ['c1', 'c2', 'c3', 'c4'];
  const CASES = [1, 2, 3, 4, 5, 6].map(caseN);
  const collectorId = fc.constantFrom(...COLLECTORS);
  const caseId = fc.constantFrom(...CASES);
  const profile: fc.Arbitrary<CaseProfile> = fc.record({
    product: fc.constantFrom(...accounts.PRODUCTS),
    currency: fc.constantFrom('USD', 'EUR', 'JPY'),
    balance: fc.integer({ min: 0, max: 3_000_000 }),
    daysPastDue: fc.integer({ min: 0, max: 400 }),
    bucket: fc.constantFrom(...accounts.AGING_BUCKETS),
    tier: fc.constantFrom(...accounts.RISK_TIERS),
    brokenPromises: fc.integer({ min: 0, max: 6 }),
  });
  const specialties = fc.subarray([...accounts.PRODUCTS], { maxLength: 3 });
  const capacity = fc.integer({ min: 0, max: 4 });
  const outcome = fc.constantFrom('success' as const, 'failure' as const, 'neutral' as const);
  const role = fc.constantFrom<Role>('system', 'supervisor', 'admin', 'collector');
  const registration = fc.record({ type: fc.constant('RegisterCollector' as const), data: fc.record({ collectorId, name: fc.constant('A collector'), specialties, capacity }) });
  const body: fc.Arbitrary<RosterCommandBody> = fc.oneof(
    registration,
    fc.record({ type: fc.constant('UpdateCollector' as const), data: fc.record({ collectorId, specialties, capacity }) }),
    { arbitrary: fc.record({ type: fc.constant('SetCollectorAvailability' as const), data: fc.record({ collectorId, available: fc.boolean(), reason: fc.constantFrom('leave', 'back') }) }), weight: 2 },
    { arbitrary: fc.record({ type: fc.constant('AssignCase' as const), data: fc.record({ caseId, profile }) }), weight: 3 },
    { arbitrary: fc.record({ type: fc.constant('ReassignCase' as const), data: fc.record({ caseId, reason: fc.constant('stalled' as const) }) }), weight: 2 },
    fc.record({ type: fc.constant('ReassignCase' as const), data: fc.record({ caseId, reason: fc.constant('supervisor' as const), toCollectorId: collectorId, profile }, { requiredKeys: ['caseId', 'reason'] }) }),
    { arbitrary: fc.record({ type: fc.constant('ReleaseCase' as const), data: fc.record({ caseId, outcome }) }), weight: 2 },
  );
  // Mostly the usual sender; now and then another role, which must be refused without effect.
  const step = fc.tuple(body, fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: role, weight: 1 }));

  /** Who holds each case, read from the collectors' loads: a case in two loads is a broken roster. */
  function holders(state: Roster): Map<string, string[]> {
    const held = new Map<string, string[]>();
    for (const collector of Object.values(state.collectors)) for (const open of collector.open) held.set(open.caseId, [...(held.get(open.caseId) ?? []), collector.collectorId]);
    return held;
  }

  it('no assignment by score puts a collector beyond capacity or on an absent one, every case is held by at most one collector, and no case waits while someone could take it', () => {
    fc.assert(
      // A team registered first (so that most later commands find someone), then anything at all.
      fc.property(fc.array(registration, { minLength: 1, maxLength: 4 }), fc.array(step, { minLength: 1, maxLength: 80, size: 'large' }), (team, steps) => {
        let state = initialState();
        for (const [command, as] of [...team.map((registering) => [registering, undefined] as const), ...steps]) {
          let events: RosterEvent[];
          try {
            events = decide(envelope(command, as), state);
          } catch (error) {
            if (error instanceof ArrearsError) continue;
            throw error;
          }
          const byName = command.type === 'ReassignCase' && command.data.toCollectorId !== undefined;
          for (const event of events) {
            catalog.encode(event);
            state = evolve(state, event);
            if (event.type === 'CaseAssigned' && !byName) {
              const collector = state.collectors[event.data.collectorId];
              expect(collector?.available).toBe(true);
              expect(collector!.open.length).toBeLessThanOrEqual(collector!.capacity);
            }
          }
          const held = holders(state);
          for (const [id, by] of held) {
            expect(by).toHaveLength(1);
            expect(state.cases[id]).toMatchObject({ status: 'assigned', collectorId: by[0] });
          }
          for (const [id, where] of Object.entries(state.cases)) {
            if (where.status === 'assigned') expect(held.get(id)).toEqual([where.collectorId]);
            if (where.status !== 'waiting') continue;
            const avoid = where.reason === 'stalled' || where.reason === 'supervisor' ? where.previousCollectorId : undefined;
            const room = Object.values(state.collectors).filter((collector) => collector.available && collector.open.length < collector.capacity && collector.collectorId !== avoid);
            expect(room).toEqual([]);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
