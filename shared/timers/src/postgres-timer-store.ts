import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { quoteIdentifier, runMigrations, type Migration } from '@arrears/event-store';
import type { Pool, PoolClient } from 'pg';
import { validName, validTimer, validTimerId, type DueTimer, type ScheduleTimer, type SqlExecutor, type Timer, type TimerPayload, type TimerStatus } from './timer';

export const TIMER_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'timers',
    // The checks make the statuses exclusive: a row cannot be fired and cancelled, nor fired without a time.
    sql: (s) => `
      create table ${s}.timers (
        timer_id uuid primary key,
        owner text not null check (owner <> ''),
        kind text not null check (kind <> ''),
        key text not null check (key <> ''),
        fire_at timestamptz not null,
        payload jsonb not null default '{}'::jsonb,
        status text not null default 'pending' check (status in ('pending', 'fired', 'cancelled')),
        attempts integer not null default 0 check (attempts >= 0),
        last_error text null,
        next_attempt_at timestamptz not null,
        created_at timestamptz not null default now(),
        fired_at timestamptz null,
        cancelled_at timestamptz null,
        constraint timers_fired_at check ((fired_at is not null) = (status = 'fired')),
        constraint timers_cancelled_at check ((cancelled_at is not null) = (status = 'cancelled'))
      );
      create index timers_due on ${s}.timers (owner, status, next_attempt_at);
      create index timers_pending_by_key on ${s}.timers (owner, key) where status = 'pending';`,
  },
];

export const DEFAULT_TIMERS_SCHEMA = 'arrears_timers';

/** How long a handler failure's message may be in `last_error`. */
const LAST_ERROR_LENGTH = 2_000;

export interface PostgresTimerStoreOptions {
  readonly pool: Pool;
  /** The store's own schema: its migrations are numbered independently of any other package's. */
  readonly schema?: string;
}

/** What one claim came to; `TimerPoller` turns it into a count and a log line. */
export type FireOutcome =
  | { readonly outcome: 'none' }
  | { readonly outcome: 'fired'; readonly timer: DueTimer }
  | { readonly outcome: 'failed'; readonly timer: DueTimer; readonly error: unknown; readonly nextAttemptAt: Date | null };

interface TimerRow {
  timer_id: string;
  owner: string;
  kind: string;
  key: string;
  fire_at: Date;
  payload: TimerPayload;
  status: TimerStatus;
  attempts: number;
  last_error: string | null;
  /** node-postgres reads `'infinity'` as the number Infinity. */
  next_attempt_at: Date | number;
  created_at: Date;
  fired_at: Date | null;
  cancelled_at: Date | null;
}

const COLUMNS = 'timer_id, owner, kind, key, fire_at, payload, status, attempts, last_error, next_attempt_at, created_at, fired_at, cancelled_at';

/**
 * Timers in PostgreSQL (`<schema>.timers`). `schedule` and the cancels take an optional executor so a service
 * can make them part of the transaction that records the fact they follow from. `fireNext` is the one claim a
 * `TimerPoller` makes; see docs/timers.md for what it guarantees.
 */
export class PostgresTimerStore {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly table: string;

  constructor(options: PostgresTimerStoreOptions) {
    this.pool = options.pool;
    this.schema = options.schema ?? DEFAULT_TIMERS_SCHEMA;
    this.table = `${quoteIdentifier(this.schema)}.timers`;
  }

  /** Creates the table; safe from every instance at once (the migrations hold an advisory lock). */
  migrate(): Promise<void> {
    return runMigrations(this.pool, this.schema, TIMER_MIGRATIONS);
  }

  /**
   * Schedules a timer; resolves true if it is new, false if this very timer was already there, in whatever status
   * (a fired or cancelled timer is not brought back). The same id with other content is IDEMPOTENCY_CONFLICT.
   */
  async schedule(timer: ScheduleTimer, tx: SqlExecutor = this.pool): Promise<boolean> {
    const { timer: t, payloadJson } = validTimer(timer);
    const params = [t.timerId, t.owner, t.kind, t.key, t.fireAt, payloadJson];
    const inserted = await tx.query(
      `insert into ${this.table} (timer_id, owner, kind, key, fire_at, payload, next_attempt_at)
       values ($1, $2, $3, $4, $5::timestamptz, $6::jsonb, $5::timestamptz)
       on conflict (timer_id) do nothing
       returning timer_id`,
      params,
    );
    if (inserted.rows.length === 1) return true;
    // ON CONFLICT waited for the other writer's commit, so this new statement sees its row.
    const { rows } = await tx.query(
      `select owner = $2 as owner, kind = $3 as kind, key = $4 as key, fire_at = $5::timestamptz as "fireAt", payload = $6::jsonb as payload
       from ${this.table} where timer_id = $1`,
      params,
    );
    const same = rows[0] as Record<string, boolean> | undefined;
    if (same === undefined) throw new Error(`timers lost the row of ${t.timerId} after a conflict on it; rows are never deleted`);
    const differs = Object.keys(same).filter((field) => !same[field]);
    if (differs.length === 0) return false;
    throw new ArrearsError(
      ErrorCode.IDEMPOTENCY_CONFLICT,
      `Timer ${t.timerId} is already scheduled with another ${differs.join(', ')}: one id stands for one timer, so derive it (timerId(...)) from everything that makes the timer`,
      { field: 'timerId', details: { timerId: t.timerId, differs } },
    );
  }

  /**
   * Cancels a pending timer; resolves 1 if it did, 0 if the timer is fired, cancelled, unknown, or being fired at
   * this moment (it is as good as fired then; waiting for it could deadlock a handler that cancels its own timer).
   */
  async cancel(timerId: string, tx: SqlExecutor = this.pool): Promise<number> {
    return this.cancelWhere('timer_id = $1', [validTimerId(timerId)], tx);
  }

  /** Cancels the owner's pending timers about `key` (of one `kind`, if given): a stage left. Resolves how many. */
  async cancelByKey(owner: string, key: string, kind?: string, tx: SqlExecutor = this.pool): Promise<number> {
    const params = [validName('owner', owner), validName('key', key)];
    if (kind === undefined) return this.cancelWhere('owner = $1 and key = $2', params, tx);
    return this.cancelWhere('owner = $1 and key = $2 and kind = $3', [...params, validName('kind', kind)], tx);
  }

  async get(timerId: string): Promise<Timer | undefined> {
    const { rows } = await this.pool.query<TimerRow>(`select ${COLUMNS} from ${this.table} where timer_id = $1`, [validTimerId(timerId)]);
    return rows[0] === undefined ? undefined : timerOf(rows[0]);
  }

  /** The owner's pending timers (about `key`, if given), next due first. */
  async pending(owner: string, key?: string): Promise<Timer[]> {
    const byKey = key === undefined ? '' : 'and key = $2';
    const params = key === undefined ? [validName('owner', owner)] : [validName('owner', owner), validName('key', key)];
    const { rows } = await this.pool.query<TimerRow>(
      `select ${COLUMNS} from ${this.table} where owner = $1 and status = 'pending' ${byKey} order by next_attempt_at, timer_id`,
      params,
    );
    return rows.map(timerOf);
  }

  /**
   * How many of the owner's timers are due by `now` and not fired: waiting for a poller, backing off after a
   * failure, or parked. The timer backlog on `/metrics`.
   */
  async countDue(owner: string, now: Date): Promise<number> {
    const { rows } = await this.pool.query<{ due: string }>(`select count(*) as due from ${this.table} where owner = $1 and status = 'pending' and fire_at <= $2`, [
      validName('owner', owner),
      now,
    ]);
    return Number(rows[0]?.due ?? 0);
  }

  /**
   * Fires the owner's next due timer, if any, in one transaction: claims its row (`FOR UPDATE SKIP LOCKED`, so
   * concurrent pollers take different timers), runs `handler` while the row stays locked, and marks it fired.
   * If the handler throws, the same transaction records the failure instead and sets the next attempt to
   * `retryAt(attempts)` (null parks the timer), so no other poller takes it back before its backoff is over.
   * If the process dies, the row stays pending and its lock goes with the connection: another poller fires it.
   */
  async fireNext(owner: string, now: Date, handler: (timer: DueTimer) => Promise<void>, retryAt: (attempts: number) => Date | null): Promise<FireOutcome> {
    const client = await this.pool.connect();
    // A checked-out client has no error listener: a connection killed while the handler runs would otherwise
    // crash the process with an unhandled 'error' event. The next query on it fails, and it is not reused.
    let broken: Error | undefined;
    const onError = (error: Error) => (broken ??= error);
    client.on('error', onError);
    try {
      await client.query('begin');
      const { rows } = await client.query<TimerRow>(
        `select ${COLUMNS} from ${this.table}
         where owner = $1 and status = 'pending' and next_attempt_at <= $2
         order by next_attempt_at, timer_id
         limit 1
         for update skip locked`,
        [owner, now],
      );
      const row = rows[0];
      if (row === undefined) {
        await client.query('commit');
        return { outcome: 'none' };
      }
      const timer = dueTimerOf(row, now);
      try {
        await handler(timer);
      } catch (error) {
        const nextAttemptAt = retryAt(row.attempts + 1);
        await this.recordFailure(client, row.timer_id, error, nextAttemptAt);
        await client.query('commit');
        return { outcome: 'failed', timer, error, nextAttemptAt };
      }
      await client.query(`update ${this.table} set status = 'fired', fired_at = $2, attempts = attempts + 1 where timer_id = $1`, [row.timer_id, now]);
      await client.query('commit');
      return { outcome: 'fired', timer };
    } catch (error) {
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  private async recordFailure(client: PoolClient, id: string, error: unknown, nextAttemptAt: Date | null): Promise<void> {
    const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, LAST_ERROR_LENGTH);
    await client.query(
      `update ${this.table} set attempts = attempts + 1, last_error = $2, next_attempt_at = coalesce($3::timestamptz, 'infinity') where timer_id = $1`,
      [id, message, nextAttemptAt],
    );
  }

  private async cancelWhere(condition: string, params: readonly unknown[], tx: SqlExecutor): Promise<number> {
    // SKIP LOCKED passes over a timer whose handler is running: cancelling from inside that handler (a stage
    // left because the timer fired) would otherwise wait for the handler, which waits for the cancel.
    const { rows } = await tx.query(
      `update ${this.table} set status = 'cancelled', cancelled_at = now()
       where timer_id in (select timer_id from ${this.table} where ${condition} and status = 'pending' for update skip locked)
       returning timer_id`,
      params,
    );
    return rows.length;
  }
}

function iso(value: Date): string {
  return value.toISOString();
}

function timerOf(row: TimerRow): Timer {
  return {
    timerId: row.timer_id,
    owner: row.owner,
    kind: row.kind,
    key: row.key,
    fireAt: iso(row.fire_at),
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at instanceof Date ? iso(row.next_attempt_at) : null,
    createdAt: iso(row.created_at),
    firedAt: row.fired_at === null ? null : iso(row.fired_at),
    cancelledAt: row.cancelled_at === null ? null : iso(row.cancelled_at),
  };
}

function dueTimerOf(row: TimerRow, now: Date): DueTimer {
  return {
    timerId: row.timer_id,
    owner: row.owner,
    kind: row.kind,
    key: row.key,
    fireAt: iso(row.fire_at),
    payload: row.payload,
    attempt: row.attempts + 1,
    firedAt: iso(now),
  };
}

