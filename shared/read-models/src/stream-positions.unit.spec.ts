import { createHash } from 'node:crypto';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import type { QueryRunner } from 'typeorm';
import { isNextInStream } from './stream-guards';
import { createStreamPositionsTable } from './stream-positions';

/** The statements `createStreamPositionsTable` runs, as text. */
async function statementsOf(schema: string): Promise<string[]> {
  const statements: string[] = [];
  const recorder = { query: async (sql: string) => void statements.push(sql) } as unknown as QueryRunner;
  await createStreamPositionsTable(recorder, schema);
  return statements;
}

describe('createStreamPositionsTable', () => {
  // The workflow read models' migration 1799280000000 and the legal read models' 1799539200000 ran this statement
  // (written in each migration then) and have run in deployments: a migration is history. Should a digest differ, the
  // SQL no longer makes what those migrations made; put it back, and make the change a new function and a new migration.
  it.each([
    ['workflow_read', '8155eadc8739475a2a6239eda549b29c779f974de3bbe283541b3ffa637389ad'],
    ['legal_read', '8351416863f1f7aabe71e75cf60d38024890a0d11ffc1b49ca9914a8c397b1db'],
  ])('runs, for %s, the SQL first released, byte for byte', async (schema, digest) => {
    const statements = await statementsOf(schema);
    expect(statements).toHaveLength(1);
    expect(createHash('sha256').update(statements.join('\n;\n')).digest('hex')).toBe(digest);
  });
});

describe('isNextInStream', () => {
  const at = (streamPosition: number) => ({ streamId: 'roster-main', streamPosition });

  it('skips an event at or below the position applied, and lets the next one through', () => {
    expect([isNextInStream(at(3), 3), isNextInStream(at(0), 3), isNextInStream(at(4), 3)]).toEqual([false, false, true]);
    // Before any event of the stream (-1), only its first.
    expect(isNextInStream(at(0), -1)).toBe(true);
  });

  it('refuses an event whose predecessor is not applied yet with a CONCURRENCY_CONFLICT naming both positions', () => {
    for (const [position, applied] of [
      [5, 3],
      [1, -1],
    ] as const) {
      let error: unknown;
      try {
        isNextInStream(at(position), applied);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ArrearsError);
      expect(error).toMatchObject({ code: ErrorCode.CONCURRENCY_CONFLICT, field: 'streamPosition', details: { streamId: 'roster-main', expected: applied + 1, actual: position } });
    }
  });
});
