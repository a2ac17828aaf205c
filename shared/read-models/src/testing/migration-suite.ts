/**
 * What every service's read-model data source must do, as one suite each service runs with its own values (like the
 * event store's conformance suite): migrate once when instances start together, default to its schema, refuse a
 * schema name that is not a plain PostgreSQL name.
 */
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { createTestSchema, databaseUrl, type TestSchema } from '@arrears/testing';
import type { DataSource } from 'typeorm';
import type { ReadModelConnection } from '../data-source';

export interface ReadModelMigrationCase {
  /** e.g. `accounts`: names the suite and the test schemas. */
  readonly name: string;
  readonly defaultSchema: string;
  readonly create: (connection: ReadModelConnection) => DataSource;
  readonly open: (connection: ReadModelConnection) => Promise<DataSource>;
  /** The migrations' names in the order they ran. */
  readonly migrations: readonly string[];
  /** Every table the migrations make (the `migrations` and `processed_events` tables included), sorted. */
  readonly tables: readonly string[];
}

export function describeReadModelMigrations(subject: ReadModelMigrationCase): void {
  describe(`${subject.name} read-model data source`, () => {
    let schema: TestSchema;
    const opened: DataSource[] = [];

    beforeEach(async () => {
      schema = await createTestSchema(`${subject.name.replace(/-/g, '_')}_read_ds`);
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((dataSource) => dataSource.destroy()));
      await schema.drop();
    });

    const open = async () => {
      const dataSource = await subject.open({ url: databaseUrl(), schema: schema.name, poolSize: 3 });
      opened.push(dataSource);
      return dataSource;
    };

    it('migrates once when several instances start at the same moment', async () => {
      await schema.pool.query(`drop schema ${quoteIdentifier(schema.name)}`); // from nothing: the schema too
      await Promise.all(Array.from({ length: 4 }, () => open()));

      const s = quoteIdentifier(schema.name);
      expect((await schema.pool.query(`select name from ${s}.migrations order by id`)).rows).toEqual(subject.migrations.map((name) => ({ name })));
      const { rows } = await schema.pool.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = $1 order by table_name`, [schema.name]);
      expect(rows.map((row) => row.table_name)).toEqual([...subject.tables]);

      // And an instance starting later finds nothing to do.
      await open();
      expect((await schema.pool.query(`select count(*)::int as n from ${s}.migrations`)).rows).toEqual([{ n: subject.migrations.length }]);
    });

    it(`defaults to the ${subject.defaultSchema} schema and refuses a name that is not a plain PostgreSQL name`, () => {
      expect(subject.create({ url: databaseUrl() }).options).toMatchObject({ schema: subject.defaultSchema, synchronize: false });
      for (const name of ['Accounts', 'accounts-read', 'a"; drop schema x; --', '']) {
        let error: unknown;
        try {
          subject.create({ url: databaseUrl(), schema: name });
        } catch (thrown) {
          error = thrown;
        }
        expect(error).toBeInstanceOf(ArrearsError);
        expect(error).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'schema' });
      }
    });
  });
}
