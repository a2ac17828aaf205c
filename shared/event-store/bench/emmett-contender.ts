import type { NewEvent } from '@arrears/contracts';
import { STREAM_DOES_NOT_EXIST, type Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import type { Pool } from 'pg';
import { newPool, type Contender, type ContenderKind, type PoolSettings } from './contender';

type SqlExecutor = Parameters<typeof readMessagesBatch>[0];

/**
 * Emmett's PostgreSQL event store as an application would use it: `appendToStream` with
 * STREAM_DOES_NOT_EXIST (it checks the stream row like `no_stream` does), and for the global log
 * `readMessagesBatch` — the reader under Emmett's consumers, called directly so that the consumer's polling
 * pauses and per-message checkpoint writes are not counted against it. Its pool is a node-postgres pool of the
 * same size, which Emmett wraps in its driver (dumbo) and whose rows it decodes with dumbo's own parsers.
 */
export const emmett: ContenderKind = {
  id: 'emmett',
  label: 'Emmett 0.42',
  async setUp(url) {
    const { store, close } = connect({ url, max: 1 });
    try {
      await store.schema.migrate();
    } finally {
      await close();
    }
  },
  open: async (settings) => open(settings),
};

function connect(settings: PoolSettings) {
  const pool = newPool(settings, false);
  // The schema is migrated once in setUp, so the timed appends do not run Emmett's lazy migration check.
  const store = getPostgreSQLEventStore(settings.url, { connectionOptions: { pool }, schema: { autoMigration: 'None' } });
  return { pool, store, close: () => pool.end() };
}

function open(settings: PoolSettings): Contender {
  const { pool, store, close } = connect(settings);
  const execute = poolExecutor(pool);
  return {
    async append(streamId, events) {
      await store.appendToStream(streamId, events.map(toEmmettEvent), { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
    },
    async replay(pageSize, maxPages = Infinity) {
      let after = 0n;
      let read = 0;
      for (let pages = 1; ; pages++) {
        const batch = await readMessagesBatch(execute, { after, batchSize: pageSize });
        read += batch.messages.length;
        if (!batch.areMessagesLeft || pages >= maxPages) return read;
        after = batch.currentGlobalPosition; // 0.42 resumes by global position alone
      }
    },
    async countEvents() {
      return Number((await pool.query<{ n: string | bigint }>('select count(*) as n from emt_messages')).rows[0]?.n ?? 0);
    },
    close,
  };
}

/**
 * What dumbo's executor does over a node-postgres pool — take a client, run each statement as it is, hand back
 * `{ rowCount, rows }`, release — written here because dumbo is only Emmett's transitive dependency, not ours.
 */
function poolExecutor(pool: Pool): SqlExecutor {
  const run = async (sqls: readonly string[]) => {
    const results = [];
    for (const sql of sqls) {
      const { rowCount, rows } = await pool.query(sql);
      results.push({ rowCount, rows });
    }
    return results;
  };
  const one = async (sql: string) => (await run([sql]))[0];
  return { query: one, command: one, batchQuery: run, batchCommand: run } as unknown as SqlExecutor;
}

/** The same data and metadata; the event id travels as Emmett's `messageId`, the id it stores per message. */
function toEmmettEvent(event: NewEvent): Event {
  return { type: event.type, data: event.data, metadata: { ...event.metadata, messageId: event.eventId } } as Event;
}
