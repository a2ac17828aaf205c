import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { createTestSchema, databaseUrl, rejection, type TestSchema } from '@arrears/testing';
import type { DataSource } from 'typeorm';
import { AccountQueries } from './account-queries';
import { AccountsProjection } from './accounts-projection';
import { createReadModelDataSource, openReadModels } from './data-source';
import { FakeVault, placedAccount } from './testing/account-history';
import { feed } from './testing/read-model';

describe('read-model data source', () => {
  let schema: TestSchema;
  const opened: DataSource[] = [];

  beforeEach(async () => {
    schema = await createTestSchema('accounts_read_ds');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((dataSource) => dataSource.destroy()));
    await schema.drop();
  });

  const open = async () => {
    const dataSource = await openReadModels({ url: databaseUrl(), schema: schema.name, poolSize: 3 });
    opened.push(dataSource);
    return dataSource;
  };

  it('migrates once when several instances start at the same moment', async () => {
    await schema.pool.query(`drop schema ${quoteIdentifier(schema.name)}`); // from nothing: the schema too
    await Promise.all(Array.from({ length: 4 }, () => open()));

    const s = quoteIdentifier(schema.name);
    expect((await schema.pool.query(`select name from ${s}.migrations`)).rows).toEqual([{ name: 'CreateAccountReadModels1767225600000' }]);
    const { rows } = await schema.pool.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = $1 order by table_name`, [schema.name]);
    expect(rows.map((row) => row.table_name)).toEqual(['account_activity', 'account_summaries', 'migrations', 'processed_events']);

    // And an instance starting later finds nothing to do.
    await open();
    expect((await schema.pool.query(`select count(*)::int as n from ${s}.migrations`)).rows).toEqual([{ n: 1 }]);
  });

  it('refuses a schema name that is not a plain PostgreSQL name', () => {
    for (const name of ['Accounts', 'accounts-read', 'a"; drop schema x; --', '']) {
      let error: unknown;
      try {
        createReadModelDataSource({ url: databaseUrl(), schema: name });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ArrearsError);
      expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'schema' });
    }
  });

  it('refuses amounts beyond 2^53 − 1 rather than rounding them', async () => {
    const dataSource = await open();
    const vault = new FakeVault();
    const projection = new AccountsProjection({ dataSource, reader: vault, consumer: 'accounts__read-models' });
    const half = 2 ** 52; // each account is safe; their sum is 2^53
    for (const placedAt of ['2026-03-01T09:00:00.000Z', '2026-03-02T09:00:00.000Z']) {
      await feed(projection, placedAccount(vault, { placedAt, balance: { principal: half, fees: 0, interest: 0 } }).events);
    }
    const queries = new AccountQueries(dataSource);
    expect((await queries.list()).rows.map((row) => row.principal)).toEqual([half, half]);
    expect(await rejection(queries.portfolioSummary())).toEqual(expect.objectContaining({ name: 'RangeError', message: expect.stringContaining('9007199254740992') }));

    // A row PostgreSQL holds but JavaScript cannot: read, it is refused too.
    const s = quoteIdentifier(schema.name);
    const [{ account_id: accountId }] = (await schema.pool.query<{ account_id: string }>(`select account_id from ${s}.account_summaries limit 1`)).rows as [{ account_id: string }];
    await schema.pool.query(`update ${s}.account_summaries set principal = 9007199254740993, total = 9007199254740993 where account_id = $1`, [accountId]);
    expect(await rejection(queries.detail(accountId))).toEqual(expect.objectContaining({ name: 'RangeError' }));
  });
});
