import { Pool } from 'pg';
import type { DueTimer } from './timer';
import { PostgresTimerStore } from './postgres-timer-store';
import { TimerPoller, type TimerLogger } from './timer-poller';

export interface ServiceTimersOptions {
  readonly databaseUrl: string;
  /** Whose timers the poller fires (`promises-to-pay`). */
  readonly owner: string;
  /** The timers' schema; default `arrears_timers`. */
  readonly schema?: string;
  readonly handler: (timer: DueTimer) => Promise<void>;
  /** The clock the poller judges due timers by (tests); default the real one. */
  readonly clock?: () => Date;
  readonly pollIntervalMs?: number;
  readonly logger?: TimerLogger;
}

export interface ServiceTimers {
  readonly store: PostgresTimerStore;
  readonly poller: TimerPoller;
  /** Stops the poller (waiting for a firing in progress), then closes the pool. */
  close(): Promise<void>;
}

/**
 * A service's durable timers as one unit: a small pool of its own, the store migrated, and the poller for the
 * service's timers — not yet started, so the service starts firing only once its handlers can take the commands.
 */
export async function openServiceTimers(options: ServiceTimersOptions): Promise<ServiceTimers> {
  const pool = new Pool({ connectionString: options.databaseUrl, connectionTimeoutMillis: 5_000, max: 4, application_name: `arrears-${options.owner} timers` });
  pool.on('error', () => undefined);
  try {
    const store = new PostgresTimerStore({ pool, ...(options.schema ? { schema: options.schema } : {}) });
    await store.migrate();
    const poller = new TimerPoller({
      store,
      owner: options.owner,
      handler: options.handler,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    return {
      store,
      poller,
      close: async () => {
        await poller.stop();
        await pool.end();
      },
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}
