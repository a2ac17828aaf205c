import { delay } from '@arrears/event-store';
import { Client } from 'pg';

/** One instance's hold on a relay's leadership. */
export interface Leadership {
  /** Aborts the moment the hold can no longer be trusted. */
  readonly lost: AbortSignal;
  /**
   * Whether the hold is still confirmed. Checked before every publish: it also notices a heartbeat that is
   * overdue (an event loop that stalled, a network that went quiet) before any error arrives, and aborts `lost`.
   */
  confirm(): boolean;
  /** Gives the leadership up (another instance may take it at once). Never throws. */
  release(): Promise<void>;
}

export interface LeaderLock {
  /** Waits until this instance holds the leadership of `name`; resolves undefined if `signal` aborts first. */
  acquire(name: string, signal: AbortSignal): Promise<Leadership | undefined>;
}

export interface PostgresLeaderLockOptions {
  readonly connectionString?: string;
  /** Keeps the locks of relays configured apart (their checkpoint schema) apart: advisory locks are per database. */
  readonly namespace: string;
  /** Shown in pg_stat_activity, so an operator (or a test) can find the lock's session. */
  readonly applicationName?: string;
  /** How often a standby tries the lock. */
  readonly retryIntervalMs?: number;
  readonly heartbeatIntervalMs?: number;
  /** A heartbeat unanswered for this long counts as a lost lock. */
  readonly heartbeatTimeoutMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Leadership as a PostgreSQL session advisory lock held on a connection of its own. The lock lives exactly as
 * long as the session: when the holder dies its connection closes and the server frees the lock, and a standby,
 * trying every `retryIntervalMs`, takes it. The holder heartbeats on the same session and gives up (aborts
 * `lost`) as soon as the session fails or a heartbeat goes unanswered for `heartbeatTimeoutMs`.
 *
 * The session asks the server to drop it after ~10 s without a sign of life from the client (TCP keepalives
 * and `tcp_user_timeout`), so in a network partition the holder has given up (after at most
 * heartbeatInterval + heartbeatTimeout, 4 s by default) before the server frees the lock for someone else.
 */
export class PostgresLeaderLock implements LeaderLock {
  private readonly retryIntervalMs: number;
  private readonly heartbeatIntervalMs: number;
  private readonly heartbeatTimeoutMs: number;

  constructor(private readonly options: PostgresLeaderLockOptions) {
    this.retryIntervalMs = options.retryIntervalMs ?? 1_000;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1_000;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 3_000;
  }

  async acquire(name: string, signal: AbortSignal): Promise<Leadership | undefined> {
    let client: Client | undefined;
    while (!signal.aborted) {
      try {
        client ??= await this.connect();
        const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1), hashtext($2)) as locked', [
          `arrears-relay:${this.options.namespace}`,
          name,
        ]);
        if (rows[0]?.locked === true) return this.hold(client, name);
      } catch (error) {
        this.options.onError?.(error);
        await endQuietly(client);
        client = undefined;
      }
      await delay(this.retryIntervalMs, signal);
    }
    await endQuietly(client);
    return undefined;
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.options.connectionString ?? process.env['DATABASE_URL'],
      application_name: this.options.applicationName ?? 'arrears-relay-lock',
      connectionTimeoutMillis: 5_000,
      query_timeout: this.heartbeatTimeoutMs,
      keepAlive: true,
    });
    // A session dying while idle is reported here; unheard, it would crash the process.
    client.on('error', () => undefined);
    await client.connect();
    // The server gives up on a silent client after ~10 s, unacknowledged data included.
    await client.query('set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 1; set tcp_keepalives_count = 5; set tcp_user_timeout = 10000');
    return client;
  }

  private hold(client: Client, name: string): Leadership {
    const lost = new AbortController();
    let confirmedAt = Date.now();
    let beating = false;
    const staleAfterMs = this.heartbeatIntervalMs + this.heartbeatTimeoutMs;
    const lose = (reason: unknown) => {
      clearInterval(heartbeat);
      if (!lost.signal.aborted) lost.abort(reason);
    };
    const heartbeat = setInterval(() => {
      if (beating) return;
      beating = true;
      client.query('select 1').then(
        () => {
          confirmedAt = Date.now();
          beating = false;
        },
        (error: unknown) => lose(error),
      );
    }, this.heartbeatIntervalMs).unref();
    client.on('error', lose);
    client.on('end', () => lose(new Error(`The lock session of relay ${name} ended`)));
    return {
      lost: lost.signal,
      confirm: () => {
        if (!lost.signal.aborted && Date.now() - confirmedAt > staleAfterMs) lose(new Error(`The lock of relay ${name} went unconfirmed for ${staleAfterMs} ms`));
        return !lost.signal.aborted;
      },
      release: async () => {
        const held = !lost.signal.aborted;
        lose(new Error(`Relay ${name} released its leadership`));
        // Ending the session frees the lock too; unlocking first just frees it without waiting for the goodbye.
        if (held) await client.query('select pg_advisory_unlock_all()').catch(() => undefined);
        await endQuietly(client);
      },
    };
  }
}

/** Closes a client without waiting on a dead network for ever. */
async function endQuietly(client: Client | undefined): Promise<void> {
  if (client === undefined) return;
  await Promise.race([client.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
}
