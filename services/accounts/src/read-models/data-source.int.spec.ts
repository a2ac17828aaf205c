import { describeReadModelMigrations } from '@arrears/read-models/src/testing/migration-suite';
import { quoteIdentifier } from '@arrears/event-store';
import { createTestSchema, databaseUrl, rejection, type TestSchema } from '@arrears/testing';
import type { DataSource } from 'typeorm';
import { AccountQueries } from './account-queries';
import { AccountsProjection } from './accounts-projection';
import { createReadModelDataSource, openReadModels } from './data-source';
import { FakeVault, placedAccount } from './testing/account-history';
import { DEFAULT_READ_MODEL_SCHEMA } from './schema';
import { feed } from './testing/read-model';

describeReadModelMigrations({
  name: 'accounts',
  defaultSchema: DEFAULT_READ_MODEL_SCHEMA,
  create: createReadModelDataSource,
  open: openReadModels,
  migrations: ['CreateAccountReadModels1767225600000'],
  tables: ['account_activity', 'account_summaries', 'migrations', 'processed_events'],
});

describe('account read-model amounts', () => {
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
