import { createHash } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { createCaseSegmentTables } from './case-segments';

/** The statements `createCaseSegmentTables` runs, as text. */
async function statementsOf(schema: string, ownPositionColumn: string): Promise<string[]> {
  const statements: string[] = [];
  const recorder = { query: async (sql: string) => void statements.push(sql) } as unknown as QueryRunner;
  await createCaseSegmentTables(recorder, schema, ownPositionColumn);
  return statements;
}

describe('createCaseSegmentTables', () => {
  // The promise read models' migration 1798761600000 and the plan read models' 1799020800000 run these statements and
  // have run in deployments: a migration is history. Should a digest differ, the SQL no longer makes what those
  // migrations made; put it back, and make the change a new function and a new migration.
  it.each([
    ['promises_read', 'promise_position', '6d4d7bbcc97d608d695792d73acd119dd0461550c02f094c14ac1612d60610df'],
    ['plans_read', 'plan_position', '0c8905d35320764560534f0a0e72135acfc18f9f58612485158a4bd223dbcc58'],
  ])('runs, for %s with %s, the SQL first released, byte for byte', async (schema, column, digest) => {
    const statements = await statementsOf(schema, column);
    expect(statements).toHaveLength(3);
    expect(createHash('sha256').update(statements.join('\n;\n')).digest('hex')).toBe(digest);
  });

  it('puts only a plain lower-case name into the SQL as the own stream’s column', async () => {
    for (const column of ['Promise_Position', 'promise-position', 'x; drop table y', '']) {
      await expect(statementsOf('promises_read', column)).rejects.toThrow('is not a plain lower-case SQL name');
    }
  });
});
