import { ArrearsError, compareGlobalPositions, ErrorCode, IdSchema, type EventEnvelope } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';

/** The streams named after the case (its id is the account id): every event in them is the case's. */
export function caseOwnStreams(caseId: string): string[] {
  return ['account', 'promise', 'plan', 'case', 'legal'].map((category) => `${category}-${caseId}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The cases an event belongs to: the case in its metadata, and the case it is about when its data names one
 * (`data.caseId`) — a roster event reassigning many cases after one command carries the command's case, if any,
 * in its metadata and the case it moves in its data.
 */
export function casesOf(event: EventEnvelope): string[] {
  const cases = new Set<string>();
  if (event.metadata.caseId !== undefined) cases.add(event.metadata.caseId.toLowerCase());
  const about = (event.data as { caseId?: unknown }).caseId;
  if (typeof about === 'string' && UUID.test(about)) cases.add(about.toLowerCase());
  return [...cases];
}

export function checkCaseId(caseId: string): string {
  if (!IdSchema.safeParse(caseId).success) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A case id is a UUID, not ${JSON.stringify(caseId)}`, { field: 'caseId' });
  return caseId.toLowerCase();
}

const PAGE = 1_000;

/** Every event of the streams as the store holds them now, unfiltered, each stream once. */
export async function readStreams(store: EventStore, streams: Iterable<string>): Promise<EventEnvelope[]> {
  const all: EventEnvelope[] = [];
  for (const streamId of new Set(streams)) {
    let from = 0;
    for (;;) {
      const page = await store.readStream(streamId, { from, maxCount: PAGE });
      all.push(...page);
      const last = page[page.length - 1];
      if (page.length < PAGE || last === undefined) break;
      from = last.streamPosition + 1;
    }
  }
  return all;
}

/** The case's events among `events`: all of its own streams, and those of other streams that belong to it. */
export function caseHistory(events: readonly EventEnvelope[], caseId: string): EventEnvelope[] {
  const id = checkCaseId(caseId);
  const own = new Set(caseOwnStreams(id));
  const seen = new Set<string>();
  const history = events.filter((event) => {
    if (seen.has(event.eventId)) return false;
    seen.add(event.eventId);
    return own.has(event.streamId) || casesOf(event).includes(id);
  });
  return history.sort((a, b) => compareGlobalPositions(a.globalPosition, b.globalPosition));
}

/**
 * One case's history across every service, in global order: each stream read whole (a missing one reads as
 * nothing), the case's own streams (`caseOwnStreams`, read whether listed or not) taken entire, and from a stream
 * that mixes cases (a debtor's contact record, a team's roster) only the events that belong to the case (`casesOf`).
 */
export async function gatherCase(store: EventStore, streams: readonly string[], caseId: string): Promise<EventEnvelope[]> {
  const id = checkCaseId(caseId);
  return caseHistory(await readStreams(store, [...caseOwnStreams(id), ...streams]), id);
}
