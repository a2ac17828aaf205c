import { ArrearsError, ErrorCode, GlobalPositionSchema, natsTopology, type GlobalPosition, type Topology } from '@arrears/contracts';
import { eventStoreDbUrlFromEnv } from '@arrears/event-store';
import { DEFAULT_RELAY_SCHEMA } from './checkpoint-store';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Every setting: a command-line flag, else an environment variable, else the default. */
export const RELAY_SETTINGS = {
  name: { env: 'ARREARS_RELAY_NAME', default: 'arrears', help: 'which relay: its checkpoint and its leadership' },
  root: { env: 'ARREARS_TOPOLOGY_ROOT', default: 'arrears', help: 'NATS topology root: stream <ROOT>_EVENTS, subjects <root>.evt.>' },
  'store-schema': { env: 'ARREARS_STORE_SCHEMA', default: 'arrears_events', help: "the event store's PostgreSQL schema" },
  'relay-schema': { env: 'ARREARS_RELAY_SCHEMA', default: DEFAULT_RELAY_SCHEMA, help: "the relay's own schema (checkpoints)" },
  'health-port': { env: 'ARREARS_RELAY_HEALTH_PORT', default: undefined, help: 'serve GET /health and GET /metrics on this port (run)' },
  'checkpoint-every': { env: 'ARREARS_RELAY_CHECKPOINT_EVERY', default: '100', help: 'save the checkpoint after this many events… (run)' },
  'checkpoint-interval-ms': { env: 'ARREARS_RELAY_CHECKPOINT_INTERVAL_MS', default: '1000', help: '…or this many ms after the first unsaved one (run)' },
  'poll-interval-ms': { env: 'ARREARS_RELAY_POLL_INTERVAL_MS', default: '100', help: 'the longest the relay waits before reading the log again once it has caught up (run)' },
  'min-poll-interval-ms': { env: 'ARREARS_RELAY_MIN_POLL_INTERVAL_MS', default: '2', help: 'its first wait after a read that found events, doubled after each that found none (run)' },
  'max-age-ms': { env: 'ARREARS_EVENTS_MAX_AGE_MS', default: '0', help: 'how long JetStream keeps events; 0 = for ever' },
  'duplicate-window-ms': { env: 'ARREARS_EVENTS_DUPLICATE_WINDOW_MS', default: '600000', help: "JetStream's de-duplication window" },
  replicas: { env: 'ARREARS_EVENTS_REPLICAS', default: undefined, help: "copies of the events and dead-letter streams in a JetStream cluster (3 in production); unset, an existing stream's stay as they are" },
  from: { env: undefined, default: undefined, help: 'first position to publish again, or "start" (replay)' },
  to: { env: undefined, default: undefined, help: 'last position to publish again, or "head"; default the relay\'s checkpoint (replay)' },
} as const;

export type RelaySettingName = keyof typeof RELAY_SETTINGS;
export type RelayFlags = Partial<Record<RelaySettingName, string>>;

export interface RelayConfig {
  readonly name: string;
  readonly topology: Topology;
  /** PostgreSQL: the relay's checkpoints and leadership lock, and the event store unless `eventStoreDbUrl` is set. */
  readonly databaseUrl: string;
  /** `EVENTSTOREDB_URL`: set, the relay tails EventStoreDB's `$all` (the poll intervals and `storeSchema` then go unused). */
  readonly eventStoreDbUrl?: string;
  readonly storeSchema: string;
  readonly relaySchema: string;
  readonly healthPort: number | undefined;
  readonly checkpointEvery: number;
  readonly checkpointIntervalMs: number;
  /** The store subscription's pause after a page that was not full: what an event waits at most before the relay reads it. */
  readonly pollIntervalMs: number;
  /** The pause after a read that found events; doubled after each empty read, up to `pollIntervalMs`. */
  readonly minPollIntervalMs: number;
  readonly maxAgeMs: number;
  readonly duplicateWindowMs: number;
  /** Undefined: a new stream gets 1, an existing one keeps what it has. */
  readonly replicas: number | undefined;
}

export function relayConfig(flags: RelayFlags, env: NodeJS.ProcessEnv = process.env): RelayConfig {
  const setting = (name: RelaySettingName): string | undefined => {
    const spec = RELAY_SETTINGS[name];
    return flags[name] ?? (spec.env === undefined ? undefined : env[spec.env]) ?? spec.default;
  };
  const storeSchema = identifier('store-schema', setting('store-schema'));
  const relaySchema = identifier('relay-schema', setting('relay-schema'));
  // Each schema numbers its own migrations from 1: sharing one, the relay's would be taken for the store's.
  if (storeSchema === relaySchema) throw invalid('relay-schema', `must differ from the event store's schema (${storeSchema})`);
  const healthPort = setting('health-port');
  const replicas = setting('replicas');
  const eventStoreDbUrl = eventStoreDbUrlFromEnv(env);
  return {
    name: identifier('name', setting('name')),
    topology: topology(setting('root')),
    databaseUrl: env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL,
    ...(eventStoreDbUrl === undefined ? {} : { eventStoreDbUrl }),
    storeSchema,
    relaySchema,
    healthPort: healthPort === undefined ? undefined : integer('health-port', healthPort, 0, 65_535),
    checkpointEvery: integer('checkpoint-every', setting('checkpoint-every'), 1),
    checkpointIntervalMs: integer('checkpoint-interval-ms', setting('checkpoint-interval-ms'), 1),
    pollIntervalMs: integer('poll-interval-ms', setting('poll-interval-ms'), 1, 60_000),
    minPollIntervalMs: integer('min-poll-interval-ms', setting('min-poll-interval-ms'), 1, 60_000),
    maxAgeMs: integer('max-age-ms', setting('max-age-ms'), 0),
    duplicateWindowMs: integer('duplicate-window-ms', setting('duplicate-window-ms'), 1),
    replicas: replicas === undefined || replicas === '' ? undefined : integer('replicas', replicas, 1, 5),
  };
}

/** `start`, or a global position `<commit>:<prepare>`. */
export function replayFrom(value: string | undefined): GlobalPosition | 'start' {
  if (value === undefined) throw invalid('from', 'is required: a position such as 812:33, or "start"');
  return value === 'start' ? 'start' : position('from', value);
}

/** `head`, a position, or (undefined) the relay's checkpoint. */
export function replayTo(value: string | undefined): GlobalPosition | 'head' | 'checkpoint' {
  if (value === undefined) return 'checkpoint';
  return value === 'head' ? 'head' : position('to', value);
}

function position(flag: string, value: string): GlobalPosition {
  const parsed = GlobalPositionSchema.safeParse(value);
  if (!parsed.success) throw invalid(flag, `must be a global position "<commit>:<prepare>" such as 812:33 (got "${value}")`);
  return parsed.data;
}

function identifier(flag: string, value: string | undefined): string {
  if (value === undefined || !/^[A-Za-z_][A-Za-z0-9_-]{0,62}$/.test(value)) throw invalid(flag, `must be letters, digits, _ or - (got "${value ?? ''}")`);
  return value;
}

function topology(root: string | undefined): Topology {
  try {
    return natsTopology(root);
  } catch (error) {
    throw invalid('root', error instanceof Error ? error.message : String(error));
  }
}

function integer(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const number = Number(value);
  if (value === undefined || !Number.isInteger(number) || number < min || number > max) throw invalid(flag, `must be a whole number from ${min} to ${max} (got "${value ?? ''}")`);
  return number;
}

function invalid(flag: string, problem: string): ArrearsError {
  return new ArrearsError(ErrorCode.VALIDATION_FAILED, `--${flag} ${problem}`, { field: flag });
}
