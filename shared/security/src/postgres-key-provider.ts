import type { KeyObject } from 'node:crypto';
import { quoteIdentifier, runMigrations, type Migration } from '@arrears/event-store';
import type { Pool } from 'pg';
import { newDataKey, SubjectErasedError, subjectIdOf, type DataKey, type KeyProvider } from './key-provider';
import { masterKeyOf, unwrapDataKey, wrapDataKey } from './master-key';

export const SUBJECT_KEY_MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'subject keys',
    // A row is a live key or a tombstone, never both nor neither: the check makes a half-done erasure impossible.
    sql: (s) => `
      create table ${s}.subject_keys (
        subject_id uuid primary key,
        wrapped_key bytea null,
        created_at timestamptz not null default now(),
        erased_at timestamptz null,
        constraint subject_keys_key_or_tombstone check ((wrapped_key is null) = (erased_at is not null))
      );`,
  },
];

export const DEFAULT_SUBJECT_KEYS_SCHEMA = 'arrears_pii';

export interface PostgresKeyProviderOptions {
  readonly pool: Pool;
  /** The key-encryption key: 32 bytes, usually `masterKeyFromEnv()`. Data keys are stored wrapped under it. */
  readonly masterKey: KeyObject | Uint8Array;
  /** The provider's own schema: its migrations are numbered independently of any other package's. */
  readonly schema?: string;
}

interface KeyRow {
  wrapped_key: Buffer | null;
}

/**
 * Data keys in PostgreSQL (`<schema>.subject_keys`), each wrapped with AES-256-GCM under the master key, so the
 * table alone (a dump, a backup, a read replica) opens nothing. Every call reads the table: an erasure made
 * through any instance is seen by all the others at their next call.
 */
export class PostgresKeyProvider implements KeyProvider {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly masterKey: KeyObject;
  private readonly table: string;

  constructor(options: PostgresKeyProviderOptions) {
    this.pool = options.pool;
    this.masterKey = masterKeyOf(options.masterKey);
    this.schema = options.schema ?? DEFAULT_SUBJECT_KEYS_SCHEMA;
    this.table = `${quoteIdentifier(this.schema)}.subject_keys`;
  }

  /** Creates the table; safe from every instance at once (the migrations hold an advisory lock). */
  migrate(): Promise<void> {
    return runMigrations(this.pool, this.schema, SUBJECT_KEY_MIGRATIONS);
  }

  async keyFor(subjectId: string): Promise<DataKey> {
    const id = subjectIdOf(subjectId);
    const found = await this.row(id);
    if (found !== undefined) return this.keyIn(id, found);
    const key = newDataKey();
    const { rowCount } = await this.pool.query(`insert into ${this.table} (subject_id, wrapped_key) values ($1, $2) on conflict (subject_id) do nothing`, [
      id,
      wrapDataKey(this.masterKey, id, key),
    ]);
    if (rowCount === 1) return key;
    // Another caller made the subject's key (or erased it) first. ON CONFLICT waited for its commit, so this
    // new statement sees its row: everyone gets that one key, whoever won.
    const winner = await this.row(id);
    if (winner === undefined) throw new Error(`subject_keys lost the row of ${id} after a conflict on it; rows are never deleted`);
    return this.keyIn(id, winner);
  }

  async existingKey(subjectId: string): Promise<DataKey | undefined> {
    const id = subjectIdOf(subjectId);
    const found = await this.row(id);
    return found?.wrapped_key == null ? undefined : unwrapDataKey(this.masterKey, id, found.wrapped_key);
  }

  async erase(subjectId: string): Promise<boolean> {
    const id = subjectIdOf(subjectId);
    // A subject with no row yet gets a tombstone, so a keyFor arriving later is refused too.
    const tombstone = await this.pool.query(
      `insert into ${this.table} (subject_id, wrapped_key, erased_at) values ($1, null, now()) on conflict (subject_id) do nothing`,
      [id],
    );
    if (tombstone.rowCount === 1) return false;
    // The row exists and stays (rows are never deleted): take its key away, key and tombstone in one statement.
    const { rowCount } = await this.pool.query(`update ${this.table} set wrapped_key = null, erased_at = now() where subject_id = $1 and erased_at is null`, [id]);
    return rowCount === 1;
  }

  async isErased(subjectId: string): Promise<boolean> {
    const found = await this.row(subjectIdOf(subjectId));
    return found !== undefined && found.wrapped_key === null;
  }

  private async row(id: string): Promise<KeyRow | undefined> {
    const { rows } = await this.pool.query<KeyRow>(`select wrapped_key from ${this.table} where subject_id = $1`, [id]);
    return rows[0];
  }

  private keyIn(id: string, row: KeyRow): DataKey {
    if (row.wrapped_key === null) throw new SubjectErasedError(id);
    return unwrapDataKey(this.masterKey, id, row.wrapped_key);
  }
}
