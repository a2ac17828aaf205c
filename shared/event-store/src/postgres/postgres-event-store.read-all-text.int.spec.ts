import { createTestSchema, newEvent, newEvents, type TestSchema, uniqueStream } from '@arrears/testing';
import { PostgresEventStore } from './postgres-event-store';

describe('PostgreSQL event store: the global log as text', () => {
  let schema: TestSchema;
  let store: PostgresEventStore;

  beforeAll(async () => {
    schema = await createTestSchema('read_all_text');
    store = new PostgresEventStore({ pool: schema.pool, schema: schema.name });
    await store.migrate();
    await store.appendToStream(uniqueStream('account'), newEvents(5), { expectedVersion: 'no_stream' });
    await store.appendToStream(uniqueStream('promise'), [newEvent('PromiseRecorded', { b: [1, 2.5], a: { y: 'é', x: null } })], { expectedVersion: 'no_stream' });
  });

  afterAll(async () => {
    await store.close();
    await schema.drop();
  });

  it('gives readAll\'s events in readAll\'s order, data and metadata as the jsonb text PostgreSQL writes', async () => {
    const events = await store.readAll();
    const rows = await store.readAllText();
    expect(rows.map(({ data, metadata, ...fields }) => ({ ...fields, data: JSON.parse(data) as unknown, metadata: JSON.parse(metadata) as unknown }))).toEqual(events);
    expect(rows[5]?.data).toBe('{"a": {"x": null, "y": "é"}, "b": [1, 2.5]}');
  });

  it('pages as readAll does: after a position, at most maxCount', async () => {
    const events = await store.readAll();
    const page = await store.readAllText({ after: events[1]?.globalPosition, maxCount: 3 });
    expect(page.map((row) => row.globalPosition)).toEqual(events.slice(2, 5).map((event) => event.globalPosition));
  });
});
