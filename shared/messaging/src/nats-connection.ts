import { connect, type ConnectionOptions, type NatsConnection } from 'nats';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export function natsUrl(): string {
  return process.env['NATS_URL'] ?? DEFAULT_NATS_URL;
}

/**
 * A connection that never gives up: NATS restarts and network cuts are waited out by the client, which
 * buffers publishes and resubscribes on reconnect. `name` shows in the server's connection list.
 */
export function connectNats(name: string, options: Partial<ConnectionOptions> = {}): Promise<NatsConnection> {
  return connect({
    servers: natsUrl(),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    pingInterval: 10_000,
    ...options,
  });
}
