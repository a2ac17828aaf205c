import { describeEventStoreConformance } from '../conformance/suite';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const url = process.env['EVENTSTOREDB_URL'];

if (url !== undefined) {
  // Every test gets its own client on the one server; the suite's unique categories and streams keep the tests
  // apart in the shared $all. Nothing is removed afterwards: ESDB only forgets events in a scavenge.
  describeEventStoreConformance({
    name: 'EventStoreDB',
    refusesIdsReusedAcrossStreams: false,
    create: async () => {
      const store = new EventStoreDbEventStore(url, { subscription: { maxRetryDelayMs: 500 } });
      return { store, teardown: () => store.close() };
    },
  });
} else {
  // No server here (see docs/testing.md): the suite is not registered, and this one test says so instead of
  // passing for it. The adapter's mapping and its behaviour without a server run in its unit tests.
  describe('EventStoreDB event store conformance', () => {
    it('is not run: EVENTSTOREDB_URL is unset, so there is no EventStoreDB server to run it against', () => {
      expect(process.env['EVENTSTOREDB_URL']).toBeUndefined();
    });
  });
}
