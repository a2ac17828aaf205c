import { randomUUID } from 'node:crypto';
import { globalPosition, type EventEnvelope, type NewEvent } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { createTestSchema, databaseUrl, newEvent, type TestSchema } from '@arrears/testing';
import { Pool } from 'pg';
import { CaseIndex } from './case-index';
import { caseOwnStreams, gatherCase } from './gather';
import { appendCaseHistory } from './testing/case-history';

describe('CaseIndex', () => {
  let schema: TestSchema;
  let index: CaseIndex;

  beforeAll(async () => {
    schema = await createTestSchema('evidence_index');
    const other = new Pool({ connectionString: databaseUrl(), max: 2 });
    try {
      await Promise.all([new CaseIndex({ pool: schema.pool, schema: schema.name }).migrate(), new CaseIndex({ pool: other, schema: schema.name }).migrate()]);
    } finally {
      await other.end();
    }
    index = new CaseIndex({ pool: schema.pool, schema: schema.name });
  });

  afterAll(async () => {
    await schema?.drop();
  });

  let commits = 0;
  const stored = (event: NewEvent, streamId: string, streamPosition = 0): EventEnvelope => ({ ...event, streamId, streamPosition, globalPosition: globalPosition(++commits, 1), recordedAt: '2026-12-01T10:00:00.000Z' });

  const rows = async (caseId: string) =>
    (await schema.pool.query<{ stream_id: string }>(`select stream_id from "${schema.name}".case_streams where case_id = $1 order by stream_id`, [caseId])).rows.map((row) => row.stream_id);

  it('finds a case\'s history across every service from the events fed to it: the contact and roster streams too', async () => {
    const eventSchema = await createTestSchema('ev');
    const events = new PostgresEventStore({ pool: eventSchema.pool, schema: eventSchema.name });
    await events.migrate();
    try {
      const history = await appendCaseHistory(events);
      for (const event of await events.readAll()) await index.record(event);

      const streams = await index.streamsOf(history.caseId);
      expect(streams).toEqual(expect.arrayContaining([`contact-${history.debtorId}`, `roster-${history.teamId}`, ...caseOwnStreams(history.caseId)]));
      expect((await gatherCase(events, streams, history.caseId)).map((event) => event.eventId)).toEqual(history.events.map((event) => event.eventId));
      // The other case of the debtor shares the contact and roster streams, and has no others.
      expect(await index.streamsOf(history.otherCaseId)).toEqual([...caseOwnStreams(history.otherCaseId), `contact-${history.debtorId}`, `roster-${history.teamId}`].sort());
    } finally {
      await eventSchema.drop();
    }
  });

  it('is idempotent: an event recorded again, by any number of instances at once, leaves one row', async () => {
    const caseId = randomUUID();
    const event = stored(newEvent('ContactAllowed', {}, caseId), 'contact-d1');
    const others = Array.from({ length: 4 }, () => new CaseIndex({ pool: schema.pool, schema: schema.name }));
    const created = await Promise.all([...others, index].flatMap((instance) => [instance.record(event), instance.record(event)]));
    expect(created.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(await index.record(event)).toBe(0);
    expect(await rows(caseId)).toEqual(['contact-d1']);
  });

  it('indexes an event under its data\'s case as well as its metadata\'s, and ignores an event of no case', async () => {
    const aboutCase = randomUUID();
    const causedBy = randomUUID();
    const reassigned = stored(newEvent('CaseAssigned', { caseId: aboutCase }, causedBy), 'roster-main', 3);
    expect(await index.record(reassigned)).toBe(2);
    expect(await rows(aboutCase)).toEqual(['roster-main']);
    expect(await rows(causedBy)).toEqual(['roster-main']);

    const base = newEvent('ContactPreferenceSet', {});
    const { caseId: _none, ...metadata } = base.metadata;
    const noCase = stored({ ...base, metadata, data: { caseId: 'not-a-uuid' } }, 'contact-d2');
    expect(await index.record(noCase)).toBe(0);
    expect((await schema.pool.query(`select count(*)::int as n from "${schema.name}".case_streams where stream_id = 'contact-d2'`)).rows[0]).toEqual({ n: 0 });
  });

  it('always lists the case\'s own streams, and refuses a case id that is not a UUID', async () => {
    const caseId = randomUUID();
    expect(await index.streamsOf(caseId)).toEqual(caseOwnStreams(caseId).sort());
    await expect(index.streamsOf('case-1')).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'caseId' });
  });
});
