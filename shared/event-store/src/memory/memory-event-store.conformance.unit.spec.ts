import { describeEventStoreConformance } from '../conformance/suite';
import { InMemoryEventStore } from './memory-event-store';

describeEventStoreConformance({
  name: 'in-memory',
  create: async () => {
    const store = new InMemoryEventStore();
    return { store, teardown: () => store.close() };
  },
});
