import { globalPosition, parseGlobalPosition, START, type EventEnvelope, type GlobalPosition, type NewEvent } from '@arrears/contracts';
import { Pool, types, type PoolClient, type PoolConfig, type QueryConfig } from 'pg';
import { checkAppend, checkStreamId } from '../append-input';
import { pollingSubscription, type PollingSource, type PollingTuning } from '../polling-subscription';
import type { AppendOptions, AppendResult, EventStore, ReadAllOptions, ReadStreamOptions, SubscribeOptions, Subscription, SubscriptionTarget } from '../port';
import { resolveFrom, subscriptionStart } from '../stream-reading';
import { runMigrations, quoteIdentifier } from './migrations';
import { isConnectionError, isTakenEventId, mapPgError } from './pg-errors';
import { EVENT_STORE_MIGRATIONS } from './schema';

export interface PostgresEventStoreOptions {
  /** Either a pool the caller owns, or the settings for one this store creates and closes. */
  readonly pool?: Pool;
  readonly connectionString?: string;
  readonly poolConfig?: PoolConfig;
  /** Every table and function lives in this schema, so several stores (and tests) share one database. */
  readonly schema?: string;
  readonly subscription?: Partial<PollingTuning>;
}

interface EventRow {
  position: GlobalPosition;
  event_id: string;
  stream_id: string;
  stream_position: string;
  event_type: string;
  schema_version: number;
  occurred_at: string;
  recorded_at: string;
  data: Record<string, unknown>;
  metadata: EventEnvelope['metadata'];
}

/**
 * An event of the global log as the store's row holds it: the envelope's fields, with `data` and `metadata` as the
 * text PostgreSQL writes for jsonb (not parsed). `readAll` gives the same events parsed.
 */
export interface StoredEventText {
  readonly globalPosition: GlobalPosition;
  readonly eventId: string;
  readonly streamId: string;
  readonly streamPosition: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: string;
  readonly metadata: string;
}

/** Leaves jsonb (and json) as text: `readAllText`'s rows. */
const JSONB_AS_TEXT = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === JSONB_OID || oid === JSON_OID ? (value: string) => value : types.getTypeParser(oid, format ?? 'text')) as typeof types.getTypeParser,
};
const JSON_OID = 114;
const JSONB_OID = 3802;

interface AppendRow {
  next_version: string;
  transaction_id: string;
  global_position: string;
}

/**
 * Positions and times are formatted by the server: replay is bound by Node's one thread, and PostgreSQL has a
 * core to spare. `MS` truncates to milliseconds, as a JavaScript Date would.
 */
const UTC_ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const COLUMNS = `transaction_id::text || ':' || global_position as position, event_id, stream_id, stream_position, event_type,
  schema_version, to_char(occurred_at at time zone 'UTC', ${UTC_ISO}) as occurred_at,
  to_char(recorded_at at time zone 'UTC', ${UTC_ISO}) as recorded_at, data, metadata`;

/** A reader must not look at or past the oldest transaction still running: it may yet commit below them. */
const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

export class PostgresEventStore implements EventStore {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly sql: ReturnType<typeof statements>;
  private readonly tuning: PollingTuning;

  constructor(options: PostgresEventStoreOptions = {}) {
    this.schema = options.schema ?? 'arrears_events';
    this.ownsPool = options.pool === undefined;
    this.pool =
      options.pool ??
      new Pool({
        connectionString: options.connectionString ?? process.env['DATABASE_URL'],
        connectionTimeoutMillis: 5_000,
        ...options.poolConfig,
      });
    // An idle client whose server connection drops emits here; without a listener that would crash the process.
    this.pool.on('error', () => undefined);
    this.sql = statements(quoteIdentifier(this.schema), this.schema);
    this.tuning = { pageSize: 1_000, pollIntervalMs: 100, minPollIntervalMs: 2, maxRetryDelayMs: 2_000, ...options.subscription };
  }

  /** Creates or upgrades the schema; safe to call from every instance at start. */
  async migrate(): Promise<void> {
    await runMigrations(this.pool, this.schema, EVENT_STORE_MIGRATIONS);
  }

  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return this.appendWith(this.pool, streamId, events, options);
  }

  /**
   * Appends inside a transaction the caller holds open on `client`, so the events commit (or roll back) with
   * the caller's other writes. The global log shows them only after that transaction ends.
   */
  appendWithin(client: PoolClient, streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    return this.appendWith(client, streamId, events, options);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    checkStreamId(streamId);
    const direction = options.direction ?? 'forwards';
    const from = Math.min(resolveFrom(options.from, direction), Number.MAX_SAFE_INTEGER);
    const query = direction === 'forwards' ? this.sql.readStreamForwards : this.sql.readStreamBackwards;
    return this.read({ ...query, values: [streamId, from, limit(options.maxCount)] });
  }

  async readAll(options: ReadAllOptions = {}): Promise<EventEnvelope[]> {
    const { commit, prepare } = parseGlobalPosition(options.after ?? START);
    const values = [commit.toString(), prepare.toString(), limit(options.maxCount)];
    if (options.category === undefined) return this.read({ ...this.sql.readAll, values });
    return this.read({ ...this.sql.readCategory, values: [...values, options.category] });
  }

  /**
   * `readAll` (without `category`) as stored: the same events in the same order, `data` and `metadata` as PostgreSQL's
   * jsonb text. For a reader that works on the text rather than on objects — the audit ledger's verification writes
   * the store's events as canonical JSON from it without parsing them.
   */
  async readAllText(options: Omit<ReadAllOptions, 'category'> = {}): Promise<StoredEventText[]> {
    const { commit, prepare } = parseGlobalPosition(options.after ?? START);
    const rows = await this.query<Omit<EventRow, 'data' | 'metadata'> & { data: string; metadata: string }>({
      ...this.sql.readAll,
      values: [commit.toString(), prepare.toString(), limit(options.maxCount)],
      types: JSONB_AS_TEXT,
    });
    return rows.map((row) => ({
      globalPosition: row.position,
      eventId: row.event_id,
      streamId: row.stream_id,
      streamPosition: Number(row.stream_position),
      type: row.event_type,
      schemaVersion: row.schema_version,
      occurredAt: row.occurred_at,
      recordedAt: row.recorded_at,
      data: row.data,
      metadata: row.metadata,
    }));
  }

  subscribe(target: SubscriptionTarget, options: SubscribeOptions): Subscription {
    const wait = (ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
      });
    if (target.kind === 'stream') {
      const source: PollingSource<number> = {
        fetch: (after, maxCount) => this.readStream(target.streamId, { from: after === undefined ? 'start' : after + 1, maxCount }),
        end: async () => (await this.readStream(target.streamId, { direction: 'backwards', maxCount: 1 }))[0]?.streamPosition,
        checkpointOf: (event) => event.streamPosition,
        wait,
      };
      return pollingSubscription(source, subscriptionStart(options.from, 'stream'), options, this.tuning);
    }
    const category = target.kind === 'category' ? { category: target.category } : {};
    const source: PollingSource<GlobalPosition> = {
      fetch: (after, maxCount) => this.readAll({ ...(after === undefined ? {} : { after }), maxCount, ...category }),
      end: () => this.headPosition(),
      checkpointOf: (event) => event.globalPosition,
      wait,
    };
    return pollingSubscription(source, subscriptionStart(options.from, 'global'), options, this.tuning);
  }

  async deleteStream(streamId: string, options: AppendOptions): Promise<void> {
    checkStreamId(streamId);
    const expected = String(options.expectedVersion);
    try {
      await this.pool.query({ ...this.sql.deleteStream, values: [streamId, expected] });
    } catch (error) {
      throw mapPgError(error, streamId, options.expectedVersion);
    }
  }

  async truncateStream(streamId: string, before: number): Promise<void> {
    checkStreamId(streamId);
    try {
      await this.pool.query({ ...this.sql.truncateStream, values: [streamId, before] });
    } catch (error) {
      throw mapPgError(error, streamId, 'any');
    }
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }

  /** The position of the last visible event: where an 'end' subscription starts. */
  private async headPosition(): Promise<GlobalPosition | undefined> {
    const rows = await this.query<{ commit: string; global_position: string }>(this.sql.head);
    const row = rows[0];
    return row === undefined ? undefined : globalPosition(BigInt(row.commit), BigInt(row.global_position));
  }

  private async appendWith(
    db: Pool | PoolClient,
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const batch = checkAppend(streamId, events, options.expectedVersion);
    const payload = JSON.stringify(
      batch.map((event, n) => ({
        n,
        event_id: event.eventId,
        event_type: event.type,
        schema_version: event.schemaVersion,
        occurred_at: event.occurredAt,
        data: event.data,
        metadata: event.metadata,
      })),
    );
    const values = [streamId, String(options.expectedVersion), payload];
    for (let attempt = 1; ; attempt += 1) {
      try {
        return appendResult((await db.query<AppendRow>({ ...this.sql.append, values })).rows[0]);
      } catch (error) {
        // Its transaction began before the stream's last append committed: in a new one it is ordered after it. A
        // caller's own transaction (appendWithin) must be retried by the caller.
        if (isOutOfStreamOrder(error) && db === this.pool && attempt < OUT_OF_ORDER_ATTEMPTS) continue;
        // The version check passed but an id was taken: a retry of an append that already happened, or misuse.
        if (!isTakenEventId(error) || db !== this.pool) throw mapPgError(error, streamId, options.expectedVersion);
        break;
      }
    }
    try {
      return appendResult((await this.pool.query<AppendRow>({ ...this.sql.appendedBefore, values: [streamId, payload] })).rows[0]);
    } catch (error) {
      throw mapPgError(error, streamId, options.expectedVersion);
    }
  }

  private async read(query: QueryConfig): Promise<EventEnvelope[]> {
    return (await this.query<EventRow>(query)).map(toEnvelope);
  }

  private async query<Row extends object>(query: QueryConfig): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(query)).rows;
    } catch (error) {
      throw isConnectionError(error) ? mapPgError(error, '', 'any') : error;
    }
  }
}

/** How often an append refused as out of its stream's order (SQLSTATE 40001) is tried in a new transaction. */
const OUT_OF_ORDER_ATTEMPTS = 10;

function isOutOfStreamOrder(error: unknown): boolean {
  return (error as { code?: unknown }).code === '40001';
}

function appendResult(row: AppendRow | undefined): AppendResult {
  if (row === undefined) throw new Error('append_to_stream returned no row');
  return {
    nextExpectedVersion: Number(row.next_version),
    position: globalPosition(BigInt(row.transaction_id), BigInt(row.global_position)),
  };
}

function limit(maxCount: number | undefined): number {
  return maxCount === undefined ? 2_147_483_647 : Math.max(0, Math.min(maxCount, 2_147_483_647));
}

function toEnvelope(row: EventRow): EventEnvelope {
  return {
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamPosition: Number(row.stream_position),
    globalPosition: row.position,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    data: row.data,
    metadata: row.metadata,
  };
}

/** Named statements: each connection parses and plans them once. */
function statements(s: string, schema: string) {
  const named = (name: string, text: string) => ({ name: `arrears:${schema}:${name}`, text });
  return {
    append: named('append', `select * from ${s}.append_to_stream($1, $2, $3::jsonb)`),
    appendedBefore: named('appended-before', `select * from ${s}.appended_before($1, $2::jsonb)`),
    readStreamForwards: named(
      'read-stream-forwards',
      `select ${COLUMNS} from ${s}.events where stream_id = $1 and stream_position >= $2 order by stream_position limit $3`,
    ),
    readStreamBackwards: named(
      'read-stream-backwards',
      `select ${COLUMNS} from ${s}.events where stream_id = $1 and stream_position <= $2 order by stream_position desc limit $3`,
    ),
    readAll: named(
      'read-all',
      `select ${COLUMNS} from ${s}.events
        where (transaction_id, global_position) > ($1::text::xid8, $2::bigint) and ${VISIBLE}
        order by transaction_id, global_position limit $3`,
    ),
    readCategory: named(
      'read-category',
      `select ${COLUMNS} from ${s}.events
        where category = $4 and (transaction_id, global_position) > ($1::text::xid8, $2::bigint) and ${VISIBLE}
        order by transaction_id, global_position limit $3`,
    ),
    head: named(
      'head',
      `select transaction_id::text as commit, global_position from ${s}.events where ${VISIBLE}
        order by transaction_id desc, global_position desc limit 1`,
    ),
    deleteStream: named('delete-stream', `select ${s}.delete_stream($1, $2)`),
    truncateStream: named('truncate-stream', `delete from ${s}.events where stream_id = $1 and stream_position < $2`),
  };
}
