import { randomUUID } from 'node:crypto';
import { compareGlobalPositions, ErrorCode } from '@arrears/contracts';
import { InMemoryEventStore } from '@arrears/event-store';
import { newEvent } from '@arrears/testing';
import { caseOwnStreams, casesOf, gatherCase } from './gather';
import { appendCaseHistory } from './testing/case-history';

describe('gathering a case', () => {
  it('returns exactly the case\'s events across every service, in global order', async () => {
    const store = new InMemoryEventStore();
    const history = await appendCaseHistory(store);
    const gathered = await gatherCase(store, history.streams, history.caseId);

    expect(gathered.map((event) => event.eventId)).toEqual(history.events.map((event) => event.eventId));
    expect(gathered.map((event) => event.globalPosition)).toEqual([...gathered.map((event) => event.globalPosition)].sort(compareGlobalPositions));
    expect(new Set(gathered.map((event) => event.streamId.split('-')[0]))).toEqual(new Set(['account', 'case', 'roster', 'contact', 'promise', 'plan', 'legal']));
  });

  it('leaves out the other cases of a debtor\'s contact stream and of a team\'s roster', async () => {
    const store = new InMemoryEventStore();
    const history = await appendCaseHistory(store);
    const ids = new Set((await gatherCase(store, history.streams, history.caseId)).map((event) => event.eventId));
    expect(history.otherEvents.length).toBeGreaterThan(0);
    for (const other of history.otherEvents) expect(ids.has(other.eventId)).toBe(false);
  });

  it('takes a roster event that moves the case even when the command that caused it was about another case', async () => {
    const store = new InMemoryEventStore();
    const caseId = randomUUID();
    const causedBy = randomUUID();
    const reassigned = newEvent('CaseAssigned', { caseId, collectorId: 'bo' }, causedBy);
    await store.appendToStream('roster-main', [reassigned, newEvent('CaseAssigned', { caseId: causedBy }, causedBy)], { expectedVersion: 'any' });
    const gathered = await gatherCase(store, ['roster-main'], caseId);
    expect(gathered.map((event) => event.eventId)).toEqual([reassigned.eventId]);
    expect(casesOf(gathered[0]!).sort()).toEqual([caseId, causedBy].sort());
  });

  it('reads the case\'s own streams whether or not they are listed, and each stream once', async () => {
    const store = new InMemoryEventStore();
    const caseId = randomUUID();
    for (const streamId of caseOwnStreams(caseId)) await store.appendToStream(streamId, [newEvent('SomethingHappened', {}, caseId)], { expectedVersion: 'any' });
    const gathered = await gatherCase(store, [`account-${caseId}`, `account-${caseId}`, 'contact-nobody'], caseId);
    expect(gathered.map((event) => event.streamId)).toEqual(caseOwnStreams(caseId));
  });

  it('pages through long streams', async () => {
    const store = new InMemoryEventStore();
    const caseId = randomUUID();
    const events = Array.from({ length: 2_500 }, (_, index) => newEvent('SomethingHappened', { index }, caseId));
    for (let start = 0; start < events.length; start += 500) await store.appendToStream(`contact-${caseId}`, events.slice(start, start + 500), { expectedVersion: 'any' });
    expect(await gatherCase(store, [`contact-${caseId}`], caseId)).toHaveLength(2_500);
  });

  it('refuses a case id that is not a UUID', async () => {
    await expect(gatherCase(new InMemoryEventStore(), [], 'case-1')).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'caseId' });
  });
});
