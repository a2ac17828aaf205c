import type { EventEnvelope } from '@arrears/contracts';
import { caseEvents, type ReplayEvent } from './decode';
import { checkedInstant, compareInstants } from './instants';
import { foldEvents, type AsOfBasis, type CaseSnapshot } from './snapshot';

export interface AsOfOptions {
  /** `recorded` (default): what the platform knew at `at`; `occurred`: what had happened by `at` in business time. */
  readonly basis?: AsOfBasis;
}

/** The instant an event counts from, on a basis. */
export function eventInstant(event: EventEnvelope, basis: AsOfBasis): string {
  return basis === 'recorded' ? event.recordedAt : event.occurredAt;
}

/** The events of a case that count as of `at`, in global order. */
export function eventsAsOf(events: readonly ReplayEvent[], at: string, basis: AsOfBasis): ReplayEvent[] {
  return events.filter((event) => compareInstants(eventInstant(event.envelope, basis), at) <= 0);
}

/**
 * The state of a case as of any instant: every event of the case whose `recordedAt` (or, with `basis: 'occurred'`,
 * `occurredAt`) is at or before `at`, folded in global order. The events stay in the platform's order on either
 * basis — a decision was taken on what came before it in the log — so a backdated event changes the state from its
 * business time on, applied where the log has it. `at` is compared as an instant, whatever its offset.
 */
export function caseStateAt(events: readonly EventEnvelope[], at: string, options: AsOfOptions = {}): CaseSnapshot {
  const basis = options.basis ?? 'recorded';
  checkedInstant(at, 'at');
  const snapshot = foldEvents(eventsAsOf(caseEvents(events), at, basis));
  return { ...snapshot, asOf: { at, basis } };
}
