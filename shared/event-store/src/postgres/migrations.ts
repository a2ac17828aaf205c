import type { Pool } from 'pg';

export interface Migration {
  readonly id: number;
  readonly name: string;
  /** The SQL, given the quoted schema name to qualify every object with. */
  readonly sql: (schema: string) => string;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Applies the migrations not yet recorded in `<schema>.schema_migrations`, each in its own transaction.
 * TypeORM's runner takes no lock, and several services start at once against one database: this one holds a
 * PostgreSQL advisory lock per schema for the whole run, so concurrent starts apply each migration exactly once.
 */
export async function runMigrations(pool: Pool, schema: string, migrations: readonly Migration[]): Promise<void> {
  const s = quoteIdentifier(schema);
  const client = await pool.connect();
  const lock = `arrears:migrations:${schema}`;
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [lock]);
    await client.query(`create schema if not exists ${s}`);
    await client.query(
      `create table if not exists ${s}.schema_migrations (id integer primary key, name text not null, applied_at timestamptz not null default now())`,
    );
    const applied = await client.query<{ id: number }>(`select id from ${s}.schema_migrations`);
    const done = new Set(applied.rows.map((row) => row.id));
    for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(migration.id)) continue;
      await client.query('begin');
      try {
        await client.query(migration.sql(s));
        await client.query(`insert into ${s}.schema_migrations (id, name) values ($1, $2)`, [migration.id, migration.name]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    }
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
    client.release();
  }
}
