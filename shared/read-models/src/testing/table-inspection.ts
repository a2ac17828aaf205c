/** Looking at what a read model stored, for its tests. */
import { quoteIdentifier } from '@arrears/event-store';
import type { Pool } from 'pg';

/** Every row of each table exactly as stored (`to_jsonb` of each row), ordered by the table's key columns. */
export async function snapshotTables<Table extends string>(pool: Pool, schema: string, tables: Readonly<Record<Table, string>>): Promise<Record<Table, unknown[]>> {
  const s = quoteIdentifier(schema);
  const entries = await Promise.all(
    (Object.keys(tables) as Table[]).map(
      async (table) => [table, (await pool.query<{ row: unknown }>(`select to_jsonb(t) as row from ${s}.${quoteIdentifier(table)} t order by ${tables[table]}`)).rows.map((r) => r.row)] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<Table, unknown[]>;
}

/** `table.column` of every text, text[] or jsonb value of the tables that contains `needle` (case-insensitive). */
export async function columnsContaining(pool: Pool, schema: string, tables: readonly string[], needle: string): Promise<string[]> {
  const { rows: columns } = await pool.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
      where table_schema = $1 and table_name = any($2) and (data_type in ('text', 'character varying', 'json', 'jsonb') or udt_name in ('_text', '_varchar'))
      order by table_name, ordinal_position`,
    [schema, [...tables]],
  );
  if (columns.length === 0) throw new Error('no text columns found: the scan would prove nothing');
  const s = quoteIdentifier(schema);
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const { rows } = await pool.query(`select 1 from ${s}.${quoteIdentifier(table)} where strpos(lower(${quoteIdentifier(column)}::text), lower($1)) > 0 limit 1`, [needle]);
    if (rows.length > 0) hits.push(`${table}.${column}`);
  }
  return hits;
}

/** Hands each event to the projection in order, as the durable consumer would. */
export async function feed<Event>(projection: { handle(event: Event): Promise<void> }, events: readonly Event[]): Promise<void> {
  for (const event of events) await projection.handle(event);
}
