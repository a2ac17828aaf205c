import { streamCategory, type NewEvent } from '@arrears/contracts';
import { ARREARS_SCHEMA } from './arrears-contender';
import { newPool, type Contender, type ContenderKind, type PoolSettings } from './contender';

const RAW_TABLE = 'raw_bench.events';
const ARREARS_EVENTS = `${ARREARS_SCHEMA}.events`;
const INSERT_COLUMNS = 'event_id, stream_id, stream_position, category, event_type, schema_version, occurred_at, data, metadata';
const PER_ROW = 9;

/** The columns the adapter's `readAll` selects, decoded by the same driver with the same parsers. */
const READ_COLUMNS = `transaction_id::text as commit, global_position, event_id, stream_id, stream_position, event_type,
  schema_version, occurred_at, recorded_at, data, metadata`;

/**
 * The floor the database allows. Appends are plain inserts of the same rows into a copy of the adapter's
 * `events` table (`like … including all`: same columns, defaults, identity, constraints and indexes) with no
 * stream-version row, no function and no explicit transaction: one prepared statement per event, one multi-row
 * statement per batch. Replay is a keyset-paged scan of the adapter's own table in its global order, with the
 * adapter's page size and columns but without the visibility bound or the mapping to envelopes.
 */
export const rawSql: ContenderKind = {
  id: 'raw',
  label: 'raw pg',
  async setUp(url) {
    const pool = newPool({ url, max: 1 }, true);
    try {
      await pool.query(`create schema raw_bench; create table ${RAW_TABLE} (like ${ARREARS_EVENTS} including all)`);
    } finally {
      await pool.end();
    }
  },
  open,
};

async function open(settings: PoolSettings): Promise<Contender> {
  const pool = newPool(settings, true);
  return {
    async append(streamId, events) {
      await pool.query({ name: `raw-insert-${events.length}`, text: insertSql(events.length), values: rowValues(streamId, events) });
    },
    async replay(pageSize, maxPages = Infinity) {
      let after = { commit: '0', position: '0' };
      let read = 0;
      for (let pages = 1; ; pages++) {
        const { rows } = await pool.query<{ commit: string; global_position: string }>({
          name: 'raw-scan',
          text: `select ${READ_COLUMNS} from ${ARREARS_EVENTS}
                  where (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
                  order by transaction_id, global_position limit $3`,
          values: [after.commit, after.position, pageSize],
        });
        read += rows.length;
        const last = rows.at(-1);
        if (last === undefined || rows.length < pageSize || pages >= maxPages) return read;
        after = { commit: last.commit, position: last.global_position };
      }
    },
    async countEvents() {
      return Number((await pool.query<{ n: string }>(`select count(*) as n from ${ARREARS_EVENTS}`)).rows[0]?.n ?? 0);
    },
    close: () => pool.end(),
  };
}

function insertSql(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, row) => {
    const base = row * PER_ROW;
    return `(${Array.from({ length: PER_ROW }, (_, column) => `$${base + column + 1}`).join(', ')})`;
  });
  return `insert into ${RAW_TABLE} (${INSERT_COLUMNS}) values ${tuples.join(', ')}`;
}

function rowValues(streamId: string, events: readonly NewEvent[]): unknown[] {
  const category = streamCategory(streamId);
  return events.flatMap((event, position) => [
    event.eventId,
    streamId,
    position,
    category,
    event.type,
    event.schemaVersion,
    event.occurredAt,
    event.data,
    event.metadata,
  ]);
}
