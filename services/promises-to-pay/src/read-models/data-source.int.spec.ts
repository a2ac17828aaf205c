import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { createTestSchema, databaseUrl, type TestSchema } from '@arrears/testing';
import type { DataSource } from 'typeorm';
import { createPromiseReadModelDataSource, openPromiseReadModels } from './data-source';

describe('promise read-model data source', () => {
  let schema: TestSchema;
  const opened: DataSource[] = [];

  beforeEach(async () => {
    schema = await createTestSchema('promises_read_ds');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((dataSource) => dataSource.destroy()));
    await schema.drop();
  });

  const open = async () => {
    const dataSource = await openPromiseReadModels({ url: databaseUrl(), schema: schema.name, poolSize: 3 });
    opened.push(dataSource);
    return dataSource;
  };

  it('migrates once when several instances start at the same moment', async () => {
    await schema.pool.query(`drop schema ${quoteIdentifier(schema.name)}`); // from nothing: the schema too
    await Promise.all(Array.from({ length: 4 }, () => open()));

    const s = quoteIdentifier(schema.name);
    expect((await schema.pool.query(`select name from ${s}.migrations`)).rows).toEqual([{ name: 'CreatePromiseReadModels1798761600000' }]);
    const { rows } = await schema.pool.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = $1 order by table_name`, [schema.name]);
    expect(rows.map((row) => row.table_name)).toEqual(['case_segment_changes', 'case_segments', 'migrations', 'processed_events', 'promises']);

    // And an instance starting later finds nothing to do.
    await open();
    expect((await schema.pool.query(`select count(*)::int as n from ${s}.migrations`)).rows).toEqual([{ n: 1 }]);
  });

  it('defaults to the promises_read schema and refuses a name that is not a plain PostgreSQL name', () => {
    expect(createPromiseReadModelDataSource({ url: databaseUrl() }).options).toMatchObject({ schema: 'promises_read', synchronize: false });
    for (const name of ['Promises', 'promises-read', 'a"; drop schema x; --', '']) {
      let error: unknown;
      try {
        createPromiseReadModelDataSource({ url: databaseUrl(), schema: name });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ArrearsError);
      expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'schema' });
    }
  });
});
