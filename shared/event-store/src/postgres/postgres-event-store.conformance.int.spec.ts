import { createTestSchema } from '@arrears/testing';
import { describeEventStoreConformance } from '../conformance/suite';
import { PostgresEventStore } from './postgres-event-store';

describeEventStoreConformance({
  name: 'PostgreSQL',
  propertyRuns: 15,
  create: async () => {
    const schema = await createTestSchema('conformance');
    const store = new PostgresEventStore({ pool: schema.pool, schema: schema.name, subscription: { pollIntervalMs: 20 } });
    await store.migrate();
    return {
      store,
      teardown: async () => {
        await store.close();
        await schema.drop();
      },
    };
  },
});
