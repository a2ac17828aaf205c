import { Pool } from 'pg';

/** How long a readiness probe waits for PostgreSQL before calling it down. */
export const DEPENDENCY_TIMEOUT_MS = 2_000;

export type DependencyStatus = { readonly up: true } | { readonly up: false; readonly message: string };

/**
 * PostgreSQL as readiness sees it: `select 1` on a connection of its own (a pool of one), so a probe neither waits
 * behind the service's busy pools nor takes a connection from them, and a server that does not answer is reported
 * within DEPENDENCY_TIMEOUT_MS rather than waited on (pg waits for ever by default).
 */
export class PostgresCheck {
  private readonly pool: Pool;

  constructor(databaseUrl: string, applicationName: string) {
    this.pool = new Pool({
      connectionString: databaseUrl,
      max: 1,
      connectionTimeoutMillis: DEPENDENCY_TIMEOUT_MS,
      query_timeout: DEPENDENCY_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      application_name: applicationName,
    });
    // A connection dropped while idle (a server restart) is replaced on the next probe; it must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async status(): Promise<DependencyStatus> {
    try {
      await this.pool.query('select 1');
      return { up: true };
    } catch (error) {
      return { up: false, message: describe(error) };
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(describe).join('; ');
  if (error instanceof Error) return error.message || (error as Error & { code?: string }).code || error.name;
  return String(error);
}
