import { randomBytes } from 'node:crypto';
import { Client, Pool, type PoolConfig } from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(): string {
  return process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
}

/** A name no other test run will pick: the prefix, the process id and random bits. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase();
}

export interface TestSchema {
  readonly name: string;
  readonly pool: Pool;
  /** Drops the schema with everything in it and closes the pool. */
  drop(): Promise<void>;
}

/** A schema of its own on the machine's PostgreSQL, for one test file; `drop()` removes every trace. */
export async function createTestSchema(prefix = 'test', poolConfig: PoolConfig = {}): Promise<TestSchema> {
  const name = uniqueName(prefix);
  const pool = new Pool({ connectionString: databaseUrl(), connectionTimeoutMillis: 5_000, max: 20, ...poolConfig });
  pool.on('error', () => undefined);
  await pool.query(`create schema "${name}"`);
  return {
    name,
    pool,
    async drop() {
      await pool.query(`drop schema if exists "${name}" cascade`);
      await pool.end();
    },
  };
}

/**
 * Waits until the PostgreSQL event store in `schema` shows every event written to it: the global log withholds an
 * event while any transaction on the cluster that began before it may still commit (its transaction id is at or
 * past the snapshot's xmin) — another test file's open transaction holds back this one's reads. A test that reads the
 * log right after writing it, and expects to see everything, waits here first.
 */
export async function untilLogSettled(store: { readonly pool: Pool; readonly name: string }, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await store.pool.query<{ held: number }>(`select count(*)::int as held from "${store.name}".events where transaction_id >= pg_snapshot_xmin(pg_current_snapshot())`);
    if ((rows[0]?.held ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`${rows[0]?.held} events of ${store.name} were still held back from the global log after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A whole database of its own, for work that needs one (benchmarks, migrations from nothing). */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const admin = new Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
