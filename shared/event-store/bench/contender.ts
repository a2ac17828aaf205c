import type { NewEvent } from '@arrears/contracts';
import { Pool, types, type CustomTypesConfig } from 'pg';

export type ContenderId = 'arrears' | 'raw' | 'emmett';

/** One store under test, holding one pool of connections for one slice of a workload or one replay pass. */
export interface Contender {
  /** Appends the events as one atomic write to a stream nobody has written yet. */
  append(streamId: string, events: readonly NewEvent[]): Promise<void>;
  /** Reads the global log from the start in pages of `pageSize` (all of it, or `maxPages`); returns the events read. */
  replay(pageSize: number, maxPages?: number): Promise<number>;
  /** Events in the log that `replay` reads. */
  countEvents(): Promise<number>;
  close(): Promise<void>;
}

export interface ContenderKind {
  readonly id: ContenderId;
  readonly label: string;
  /** Creates the contender's tables in the benchmark database; runs once, before anything is timed. */
  setUp(url: string): Promise<void>;
  open(settings: PoolSettings): Promise<Contender>;
}

export interface PoolSettings {
  readonly url: string;
  /** The same for all three contenders in every workload. */
  readonly max: number;
}

/**
 * Emmett's driver (dumbo) replaces node-postgres' global parsers for bigint and json(b) the first time it
 * creates a pool, which would change how the other two contenders decode rows too. Their pools therefore
 * carry node-postgres' own defaults, captured here before Emmett runs: each contender decodes rows the way
 * it does in production.
 */
const PG_DEFAULT_PARSERS = new Map([20, 114, 3802].map((oid) => [oid, types.getTypeParser(oid, 'text')]));

export const pgDefaultTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format ?? 'text') === 'text' && PG_DEFAULT_PARSERS.has(oid)
      ? PG_DEFAULT_PARSERS.get(oid)
      : types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

export function newPool(settings: PoolSettings, withPgDefaultTypes: boolean): Pool {
  const pool = new Pool({
    connectionString: settings.url,
    max: settings.max,
    connectionTimeoutMillis: 10_000,
    ...(withPgDefaultTypes ? { types: pgDefaultTypes } : {}),
  });
  // Dropping the database at the end (or on Ctrl-C) ends idle connections; without a listener that would crash.
  pool.on('error', () => undefined);
  return pool;
}
