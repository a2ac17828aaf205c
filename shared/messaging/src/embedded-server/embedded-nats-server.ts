import { mkdirSync } from 'node:fs';
import { CoreServer, DEFAULT_MAX_PAYLOAD } from './core-server';
import { JetStream } from './jetstream';
import { DEFAULT_SYNC_POLICY, type SyncPolicy } from './stream-log';

export { DEFAULT_SYNC_POLICY, type SyncPolicy } from './stream-log';

export interface EmbeddedNatsServerOptions {
  /** 0 (the default) takes a free port. */
  readonly port?: number;
  /** Default 127.0.0.1: the server has no authentication, so it stays on the loopback unless told otherwise. */
  readonly host?: string;
  /** Where file streams and durable consumers are kept; without it everything lives in memory. */
  readonly storeDir?: string;
  /** When stream files are flushed to the disk (nats-server's `sync_interval`); default every two minutes, as nats-server. */
  readonly sync?: SyncPolicy;
  readonly maxPayload?: number;
}

export interface EmbeddedNatsServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, closes every connection, saves consumer state and closes the stream files. */
  close(): Promise<void>;
}

/**
 * A NATS server with JetStream, in this process, for machines without nats-server: the core protocol and the part
 * of JetStream this platform uses (limits streams, pull consumers, de-duplication, acks, redelivery), speaking the
 * same wire protocol, so services connect to it through NATS_URL unchanged. See README.md beside this file.
 */
export async function startEmbeddedNatsServer(options: EmbeddedNatsServerOptions = {}): Promise<EmbeddedNatsServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.storeDir !== undefined) mkdirSync(options.storeDir, { recursive: true });
  const core = new CoreServer(host, options.maxPayload ?? DEFAULT_MAX_PAYLOAD);
  const jetstream = new JetStream(core, options.storeDir, options.sync ?? DEFAULT_SYNC_POLICY);
  let port: number;
  try {
    port = await core.listen(options.port ?? 0);
  } catch (error) {
    jetstream.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url: `nats://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      (closing ??= core.close().finally(() => jetstream.close())),
  };
}

/** `always`, or a whole number of milliseconds (nats-server's `sync_interval`); `what` names the setting in the error. */
export function parseSyncPolicy(value: string, what: string): SyncPolicy {
  if (value.trim().toLowerCase() === 'always') return 'always';
  const everyMs = Number(value);
  if (value.trim() === '' || !Number.isInteger(everyMs) || everyMs < 1) throw new Error(`${what} must be "always" or a whole number of milliseconds, not "${value}"`);
  return { everyMs };
}
