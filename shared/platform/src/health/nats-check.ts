import { connect, type NatsConnection } from 'nats';
import { DEPENDENCY_TIMEOUT_MS, describe, type DependencyStatus } from './postgres-check';

/**
 * NATS as readiness sees it: the connection is open and the server answers a PING (`flush`) within
 * DEPENDENCY_TIMEOUT_MS — while the client is reconnecting the PING waits, so the probe says down. With a URL the
 * check opens a connection of its own on the first probe (and again after it closed); a failed connect is a probe
 * that says down, not a connection attempt left running. Given a connection, it checks that one and leaves it open.
 */
export class NatsCheck {
  private connection: NatsConnection | undefined;
  private connecting: Promise<NatsConnection> | undefined;
  private closed = false;

  constructor(
    private readonly target: { readonly url: string; readonly name: string } | { readonly connection: NatsConnection },
  ) {
    if ('connection' in target) this.connection = target.connection;
  }

  async status(): Promise<DependencyStatus> {
    try {
      const connection = await this.open();
      if (connection.isClosed()) return { up: false, message: 'the NATS connection is closed' };
      await withTimeout(connection.flush(), DEPENDENCY_TIMEOUT_MS, `NATS did not answer within ${DEPENDENCY_TIMEOUT_MS} ms (disconnected, reconnecting)`);
      return { up: true };
    } catch (error) {
      return { up: false, message: `${'url' in this.target ? `${this.target.url}: ` : ''}${describe(error)}` };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if ('connection' in this.target) return;
    const connection = this.connection ?? (await this.connecting?.catch(() => undefined));
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  private open(): Promise<NatsConnection> {
    if (this.connection !== undefined && (!this.connection.isClosed() || 'connection' in this.target)) return Promise.resolve(this.connection);
    if (this.closed) return Promise.reject(new Error('the health check is closed'));
    const { url, name } = this.target as { url: string; name: string };
    this.connecting ??= connect({ servers: url, name, timeout: DEPENDENCY_TIMEOUT_MS, maxReconnectAttempts: -1, reconnectTimeWait: 250, pingInterval: 10_000 })
      .then(async (connection) => {
        if (this.closed) {
          await connection.close();
          throw new Error('the health check is closed');
        }
        this.connection = connection;
        return connection;
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
