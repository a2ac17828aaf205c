import type { EventEnvelope } from '@arrears/contracts';
import fc from 'fast-check';
import { applyEvent, caseStateAt, decodeEvent, foldEvents, initialSnapshot, type AsOfBasis, type CaseSnapshot } from './index';
import { realisticCase } from './testing/realistic-case';
import { randomHistory } from './testing/random-history';
import { knownAt, observe, referenceState } from './testing/reference';

/*
 * As of any instant, the replay's state is what a plainly written reference makes of the events counted by then
 * (testing/reference.ts: its own filter, its own sort, its own reducer), and the same as the replay's own reducer
 * applied one event at a time to that explicit list; and later instants only ever add to what is known. fast-check
 * prints the seed and path of a failure; replay it with `{ seed, path }` in the assert's parameters.
 */

const OFFSETS = [0, 0, 330, -480, 60]; // minutes: `at` may come with any offset and still names one instant

function instantText(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  if (offsetMinutes === 0) return `${local}Z`;
  const minutes = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Instants worth asking about: exactly at an event's time or a millisecond either side (where bugs live), or anywhere around the history. */
function instantIn(events: readonly EventEnvelope[]): fc.Arbitrary<string> {
  const times = events.flatMap((event) => [Date.parse(event.recordedAt), Date.parse(event.occurredAt)]);
  const first = Math.min(...times) - 86_400_000;
  const last = Math.max(...times) + 86_400_000;
  const edge = fc.record({ time: fc.constantFrom(...times), nudge: fc.constantFrom(-1, 0, 1) }).map(({ time, nudge }) => time + nudge);
  return fc.tuple(fc.oneof(edge, fc.integer({ min: first, max: last })), fc.constantFrom(...OFFSETS)).map(([ms, offset]) => instantText(ms, offset));
}

const basis = fc.constantFrom<AsOfBasis>('recorded', 'occurred');

/** The input as a caller may hand it in: any order, some events twice. */
const handedIn = (events: readonly EventEnvelope[]) =>
  fc.tuple(fc.shuffledSubarray([...events], { minLength: events.length, maxLength: events.length }), fc.subarray([...events], { maxLength: 5 })).map(([all, again]) => [...all, ...again]);

/** The replay's own reducer, one event at a time, over the reference's explicit list. */
function foldedByHand(prefix: readonly EventEnvelope[], at: string, asOf: AsOfBasis): CaseSnapshot {
  let snapshot = initialSnapshot();
  for (const event of prefix) snapshot = applyEvent(snapshot, decodeEvent(event));
  return { ...snapshot, asOf: { at, basis: asOf } };
}

function checkAgainstReference(events: readonly EventEnvelope[], input: readonly EventEnvelope[], at: string, asOf: AsOfBasis): void {
  const state = caseStateAt(input, at, { basis: asOf });
  const prefix = knownAt(events, at, asOf);
  expect(observe(state)).toEqual(referenceState(prefix));
  expect(state).toEqual(foldedByHand(prefix, at, asOf));
}

/** What only ever grows as more events are known: counts of things that happened, and the entities seen. */
function cumulative(snapshot: CaseSnapshot): Record<string, number> {
  const { account, contact, workflow } = snapshot;
  const prefixed = (prefix: string, counts: Readonly<Record<string, number>>) => Object.fromEntries(Object.entries(counts).map(([key, value]) => [`${prefix}${key}`, value]));
  return {
    events: snapshot.replayed.events,
    unread: snapshot.replayed.unread,
    payments: account.payments.count,
    paid: account.payments.total,
    brokenPromises: account.brokenPromises,
    allowed: contact.attempts.allowed,
    blocked: contact.attempts.blocked,
    conversations: contact.attempts.conversations,
    complaints: contact.complaints.open + contact.complaints.resolved,
    prohibitedLanguage: contact.prohibitedLanguage,
    dialTargetsReleased: contact.dialTargetsReleased,
    deadlinesMissed: workflow.deadlinesMissed,
    sagaIssued: workflow.sagaCommands.issued,
    sagaRefused: workflow.sagaCommands.refused,
    ...prefixed('rule:', contact.attempts.blockedByRule),
    ...prefixed('outcome:', contact.attempts.outcomes),
    ...Object.fromEntries(Object.keys(snapshot.promises).map((id) => [`promise:${id}`, 1])),
    ...Object.fromEntries(Object.keys(snapshot.plans).map((id) => [`plan:${id}`, 1])),
    ...Object.fromEntries(Object.keys(snapshot.legal.handoffs).map((n) => [`handoff:${n}`, 1])),
    ...Object.fromEntries(Object.keys(contact.complaints.items).map((id) => [`complaint:${id}`, 1])),
  };
}

function checkGrows(earlier: CaseSnapshot, later: CaseSnapshot): void {
  const before = cumulative(earlier);
  const after = cumulative(later);
  for (const [key, value] of Object.entries(before)) {
    if ((after[key] ?? 0) < value) throw new Error(`${key} went from ${value} to ${after[key] ?? 0} between ${earlier.asOf.at} and ${later.asOf.at}`);
  }
}

const ordered = (a: string, b: string): [string, string] => (Date.parse(a) <= Date.parse(b) ? [a, b] : [b, a]);

describe('the state of a case as of any instant', () => {
  const { events } = realisticCase();

  it('is the reference fold of the events known by then, for the realistic case, on either basis, whatever order the events come in', () => {
    fc.assert(
      fc.property(
        instantIn(events).chain((at) => fc.tuple(fc.constant(at), basis, handedIn(events))),
        ([at, asOf, input]) => checkAgainstReference(events, input, at, asOf),
      ),
      { numRuns: 150 },
    );
  });

  it('is the reference fold for random histories, recording times in order or not, on either basis', () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((jitter) => randomHistory({ jitter })).chain((history) => fc.tuple(fc.constant(history), instantIn(history), basis, handedIn(history))),
        ([history, at, asOf, input]) => checkAgainstReference(history, input, at, asOf),
      ),
      { numRuns: 150 },
    );
  });

  it('is monotone in the prefix: with recording times in log order, a later instant continues the earlier state with the events in between', () => {
    fc.assert(
      fc.property(
        randomHistory({ jitter: false }).chain((history) => fc.tuple(fc.constant(history), instantIn(history), instantIn(history))),
        ([history, one, other]) => {
          const [t1, t2] = ordered(one, other);
          const known1 = knownAt(history, t1, 'recorded');
          const known2 = knownAt(history, t2, 'recorded');
          expect(known2.slice(0, known1.length)).toEqual(known1); // what was known at t1 is a prefix of what is known at t2
          const earlier = caseStateAt(history, t1);
          const later = caseStateAt(history, t2);
          const continued = foldEvents(known2.slice(known1.length).map(decodeEvent), earlier);
          expect(later).toEqual({ ...continued, asOf: { at: t2, basis: 'recorded' } });
          checkGrows(earlier, later);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('only grows with time on either basis, even when recording times or business times are out of log order', () => {
    fc.assert(
      fc.property(
        randomHistory({ jitter: true }).chain((history) => fc.tuple(fc.constant(history), instantIn(history), instantIn(history), basis)),
        ([history, one, other, asOf]) => {
          const [t1, t2] = ordered(one, other);
          const earlier = caseStateAt(history, t1, { basis: asOf });
          const later = caseStateAt(history, t2, { basis: asOf });
          const ids = (at: string) => new Set(knownAt(history, at, asOf).map((event) => event.eventId));
          const known2 = ids(t2);
          expect([...ids(t1)].every((id) => known2.has(id))).toBe(true);
          checkGrows(earlier, later);
        },
      ),
      { numRuns: 150 },
    );
  });
});
