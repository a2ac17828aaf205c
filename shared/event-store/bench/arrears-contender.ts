import { START, type GlobalPosition } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { newPool, type Contender, type ContenderKind, type PoolSettings } from './contender';

export const ARREARS_SCHEMA = 'arrears_bench';

/** The adapter under test, through its public port only: appends with `no_stream`, replay by `readAll` pages. */
export const arrears: ContenderKind = {
  id: 'arrears',
  label: 'Arrears',
  async setUp(url) {
    const contender = await open({ url, max: 1 });
    try {
      await contender.store.migrate();
    } finally {
      await contender.close();
    }
  },
  open,
};

async function open(settings: PoolSettings): Promise<Contender & { store: PostgresEventStore }> {
  const pool = newPool(settings, true);
  const store = new PostgresEventStore({ pool, schema: ARREARS_SCHEMA });
  return {
    store,
    async append(streamId, events) {
      await store.appendToStream(streamId, events, { expectedVersion: 'no_stream' });
    },
    async replay(pageSize, maxPages = Infinity) {
      let after: GlobalPosition = START;
      let read = 0;
      for (let pages = 1; ; pages++) {
        const page = await store.readAll({ after, maxCount: pageSize });
        read += page.length;
        const last = page.at(-1);
        if (last === undefined || page.length < pageSize || pages >= maxPages) return read;
        after = last.globalPosition; // the checkpoint a subscriber would keep
      }
    },
    async countEvents() {
      return Number((await pool.query<{ n: string }>(`select count(*) as n from ${ARREARS_SCHEMA}.events`)).rows[0]?.n ?? 0);
    },
    async close() {
      await store.close();
      await pool.end();
    },
  };
}
