import { randomUUID } from 'node:crypto';
import { createTestSchema, rejection, type TestSchema } from '@arrears/testing';
import { ensureProcessedEventsTable, pgTransactions, processOnce, type SqlExecutor, type TransactionRunner } from './process-once';

describe('processOnce', () => {
  let schema: TestSchema;

  beforeEach(async () => {
    schema = await createTestSchema('process_once');
    // Several instances starting at once all create the table; none fails.
    await Promise.all(Array.from({ length: 4 }, () => ensureProcessedEventsTable(schema.pool, { schema: schema.name })));
    await schema.pool.query(`create table "${schema.name}".totals (case_id uuid primary key, total integer not null)`);
  });

  afterEach(async () => {
    await schema.drop();
  });

  /** A deliberately non-idempotent effect: adding twice shows as twice the amount. */
  const addToTotal = (caseId: string, amount: number) => async (tx: SqlExecutor) => {
    // Slow enough that concurrent duplicates are all inside their transactions at once.
    await tx.query('select pg_sleep(0.05)');
    await tx.query(`insert into "${schema.name}".totals (case_id, total) values ($1, $2) on conflict (case_id) do update set total = totals.total + excluded.total`, [caseId, amount]);
  };

  const total = async (caseId: string) => (await schema.pool.query<{ total: number }>(`select total from "${schema.name}".totals where case_id = $1`, [caseId])).rows[0]?.total;

  it('applies concurrent duplicate deliveries of one event once', async () => {
    const event = { eventId: randomUUID() };
    const caseId = randomUUID();
    const applied = await Promise.all(Array.from({ length: 8 }, () => processOnce(schema.pool, 'case-totals', event, addToTotal(caseId, 100), { schema: schema.name })));

    expect(applied.filter(Boolean)).toHaveLength(1);
    expect(await total(caseId)).toBe(100);
  });

  it('keeps consumers apart: each applies the event once', async () => {
    const event = { eventId: randomUUID() };
    const caseId = randomUUID();
    for (const consumer of ['case-totals', 'case-totals', 'dashboard', 'dashboard']) {
      await processOnce(schema.pool, consumer, event, addToTotal(caseId, 1), { schema: schema.name });
    }
    expect(await total(caseId)).toBe(2);
  });

  it('a failed effect leaves no record, so the redelivery applies it', async () => {
    const event = { eventId: randomUUID() };
    const caseId = randomUUID();
    const failure = await rejection(
      processOnce(schema.pool, 'case-totals', event, async (tx) => {
        await addToTotal(caseId, 100)(tx);
        throw new Error('crashed after writing');
      }, { schema: schema.name }),
    );
    expect(failure).toEqual(new Error('crashed after writing'));
    expect(await total(caseId)).toBeUndefined();

    expect(await processOnce(schema.pool, 'case-totals', event, addToTotal(caseId, 100), { schema: schema.name })).toBe(true);
    expect(await total(caseId)).toBe(100);
  });

  it('runs on any transaction runner that offers query(sql, params), as a TypeORM manager would', async () => {
    const statements: string[] = [];
    const pg = pgTransactions(schema.pool);
    const recording: TransactionRunner = {
      transaction: (work) =>
        pg.transaction((tx) =>
          work({
            query: (sql, params) => {
              statements.push(sql.split(' ')[0] ?? '');
              return tx.query(sql, params);
            },
          }),
        ),
    };
    const event = { eventId: randomUUID() };
    const caseId = randomUUID();
    expect(await processOnce(recording, 'case-totals', event, addToTotal(caseId, 5), { schema: schema.name })).toBe(true);
    expect(await processOnce(recording, 'case-totals', event, addToTotal(caseId, 5), { schema: schema.name })).toBe(false);
    expect(await total(caseId)).toBe(5);
    expect(statements).toEqual(['insert', 'select', 'insert', 'insert']);
  });
});
