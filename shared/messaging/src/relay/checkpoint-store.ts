import { ArrearsError, ErrorCode, globalPosition, parseGlobalPosition, type GlobalPosition } from '@arrears/contracts';
import { quoteIdentifier, runMigrations, type Migration } from '@arrears/event-store';
import type { Pool } from 'pg';

/** A relay's place in the global log at the start of a leadership term, and the term's fencing token. */
export interface CheckpointClaim {
  readonly term: number;
  /** The last event known to be in JetStream; undefined when the relay has never published. */
  readonly position: GlobalPosition | undefined;
}

/**
 * Where each relay (by name) is in the global log. The checkpoint is written only by the current leadership
 * term: `claim` starts a new term, and from then on a save carrying an older term is refused. A relay that
 * lost its lock without noticing therefore cannot move the checkpoint its successor relies on.
 */
export interface CheckpointStore {
  claim(name: string): Promise<CheckpointClaim>;
  /** Records that everything up to `position` is in JetStream. Fails with CONCURRENCY_CONFLICT if `term` is not the latest. */
  save(name: string, term: number, position: GlobalPosition): Promise<void>;
  read(name: string): Promise<GlobalPosition | undefined>;
}

export const RELAY_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'relay checkpoints',
    // numeric(20): both halves of a global position are unsigned 64-bit integers (xid8 in PostgreSQL).
    sql: (s) => `
      create table ${s}.relay_checkpoints (
        relay_name text primary key,
        term bigint not null,
        commit_position numeric(20, 0),
        prepare_position numeric(20, 0),
        updated_at timestamptz not null default now()
      );`,
  },
];

interface PositionRow {
  commit: string | null;
  prepare: string | null;
}

export interface PostgresCheckpointStoreOptions {
  readonly pool: Pool;
  /** The relay's own schema: its migrations are numbered independently of the event store's. */
  readonly schema?: string;
}

export const DEFAULT_RELAY_SCHEMA = 'arrears_relay';

export class PostgresCheckpointStore implements CheckpointStore {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly table: string;

  constructor(options: PostgresCheckpointStoreOptions) {
    this.pool = options.pool;
    this.schema = options.schema ?? DEFAULT_RELAY_SCHEMA;
    this.table = `${quoteIdentifier(this.schema)}.relay_checkpoints`;
  }

  /** Creates the table; safe from every instance at once (the migrations hold an advisory lock). */
  migrate(): Promise<void> {
    return runMigrations(this.pool, this.schema, RELAY_MIGRATIONS);
  }

  async claim(name: string): Promise<CheckpointClaim> {
    const { rows } = await this.pool.query<PositionRow & { term: string }>(
      `insert into ${this.table} (relay_name, term) values ($1, 1)
         on conflict (relay_name) do update set term = relay_checkpoints.term + 1, updated_at = now()
       returning term, commit_position::text as commit, prepare_position::text as prepare`,
      [name],
    );
    const row = rows[0] as PositionRow & { term: string };
    return { term: Number(row.term), position: toPosition(row) };
  }

  async save(name: string, term: number, position: GlobalPosition): Promise<void> {
    const { commit, prepare } = parseGlobalPosition(position);
    const { rowCount } = await this.pool.query(
      `update ${this.table} set commit_position = $3, prepare_position = $4, updated_at = now() where relay_name = $1 and term = $2`,
      [name, term, commit.toString(), prepare.toString()],
    );
    if (rowCount === 0) {
      throw new ArrearsError(
        ErrorCode.CONCURRENCY_CONFLICT,
        `Relay ${name} is no longer the leader (term ${term} was superseded): another instance took over, this one stops publishing`,
        { field: 'term', details: { relay: name, term } },
      );
    }
  }

  async read(name: string): Promise<GlobalPosition | undefined> {
    const { rows } = await this.pool.query<PositionRow>(
      `select commit_position::text as commit, prepare_position::text as prepare from ${this.table} where relay_name = $1`,
      [name],
    );
    return rows[0] === undefined ? undefined : toPosition(rows[0]);
  }
}

function toPosition(row: PositionRow): GlobalPosition | undefined {
  return row.commit === null || row.prepare === null ? undefined : globalPosition(BigInt(row.commit), BigInt(row.prepare));
}
