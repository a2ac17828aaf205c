/** A read model of its own for one test: a fresh schema, migrated as the service migrates it, with ways to look at it. */
import type { EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { createTestSchema, databaseUrl, type TestSchema } from '@arrears/testing';
import type { PoolConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { ReadModelConnection } from '../data-source';
import { columnsContaining, feed, snapshotTables } from './table-inspection';

export interface TestReadModelOptions<Table extends string> {
  /** Starts the test schema's name (the process id and random bits follow). */
  readonly prefix: string;
  /** Connects and migrates, as the service does at start (`openPromiseReadModels`). */
  readonly open: (connection: ReadModelConnection) => Promise<DataSource>;
  /** Each table and the order its snapshot is taken in. `processed_events` is best left out: it records the clock. */
  readonly tables: Readonly<Record<Table, string>>;
  /** The consumer `processed()` asks about unless told another. */
  readonly consumer: string;
  /** Settings of the pool that inspects the schema: `{ options: '-c TimeZone=UTC' }` makes instants read the same on any server. */
  readonly pool?: PoolConfig;
}

export interface TestReadModelBase<Table extends string> {
  readonly schema: TestSchema;
  readonly dataSource: DataSource;
  /** Every row of every table exactly as stored (`to_jsonb` of each row), in key order. */
  snapshot(): Promise<Record<Table, unknown[]>>;
  /** `table.column` of every text, text[] or jsonb value of the tables that contains `needle` (case-insensitive). */
  columnsContaining(needle: string): Promise<string[]>;
  /** The ids of the events recorded by processOnce under `consumer`, sorted. */
  processed(consumer?: string): Promise<string[]>;
  /** Closes the read model's connections and drops its schema. */
  drop(): Promise<void>;
}

/** What the shared suites (`describeProjectionReplays`, `describeCaseSegments`) need of a service's test read model. */
export interface FedReadModel {
  projection(consumer?: string): { handle(event: EventEnvelope): Promise<void> };
  snapshot(): Promise<Readonly<Record<string, readonly unknown[]>>>;
  processed(consumer?: string): Promise<string[]>;
  drop(): Promise<void>;
}

/** Makes a schema of its own and opens the read models in it; a service adds its queries and projection. */
export async function openTestReadModel<Table extends string>(options: TestReadModelOptions<Table>): Promise<TestReadModelBase<Table>> {
  const schema = await createTestSchema(options.prefix, options.pool);
  let dataSource: DataSource;
  try {
    dataSource = await options.open({ url: databaseUrl(), schema: schema.name, poolSize: 5 });
  } catch (error) {
    await schema.drop();
    throw error;
  }
  const s = quoteIdentifier(schema.name);
  const tables = Object.keys(options.tables) as Table[];
  return {
    schema,
    dataSource,
    snapshot: () => snapshotTables(schema.pool, schema.name, options.tables),
    columnsContaining: (needle) => columnsContaining(schema.pool, schema.name, tables, needle),
    async processed(consumer = options.consumer) {
      const { rows } = await schema.pool.query<{ event_id: string }>(`select event_id from ${s}.processed_events where consumer = $1 order by event_id`, [consumer]);
      return rows.map((row) => row.event_id);
    },
    async drop() {
      await dataSource.destroy();
      await schema.drop();
    },
  };
}

/**
 * Fresh read models for the tests of one `describe` (call it in the `describe` body): each call of the function it
 * returns opens one with `open`, and every one opened is dropped after its test.
 */
export function freshReadModels<Args extends unknown[], Model extends { drop(): Promise<void> }>(open: (...args: Args) => Promise<Model>): (...args: Args) => Promise<Model> {
  const opened: Model[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((model) => model.drop()));
  });
  return async (...args) => {
    const model = await open(...args);
    opened.push(model);
    return model;
  };
}

/**
 * A read model opened with `open` (one of `freshReadModels`, say), fed `events` once in order by its projection under
 * `consumer` (default: the projection's own), and the rows that made.
 */
export async function fedOnce<Model extends FedReadModel>(
  open: () => Promise<Model>,
  events: readonly EventEnvelope[],
  consumer?: string,
): Promise<{ readonly model: Model; readonly rows: Awaited<ReturnType<Model['snapshot']>> }> {
  const model = await open();
  await feed(model.projection(consumer), events);
  // The rows as the service's own read model types them (`rows.cases`), not as FedReadModel does.
  return { model, rows: (await model.snapshot()) as Awaited<ReturnType<Model['snapshot']>> };
}
