import { ErrorCode, isArrearsError } from '@arrears/contracts';
import { eventStoreKind, migrateEventStore, openEventStore, type EventStore } from '@arrears/event-store';
import { runningTelemetry, startTelemetry, traceExportFromEnv } from '@arrears/observability';
import type { NatsConnection } from 'nats';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { ensureStreams, type EventStreamSettings } from '../jetstream-setup';
import { DEFAULT_NATS_URL, connectNats } from '../nats-connection';
import { PostgresCheckpointStore } from './checkpoint-store';
import { EventPublisher } from './event-publisher';
import { startHealthServer } from './health-server';
import { PostgresLeaderLock } from './leader-lock';
import { Relay } from './relay';
import { DEFAULT_DATABASE_URL, RELAY_SETTINGS, relayConfig, replayFrom, replayTo, type RelayConfig, type RelayFlags } from './relay-config';
import { replayRange, type ReplayProgress } from './replay';

export interface CliOutput {
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
}

const PROGRESS_EVERY_MS = 10_000;

/** `npm run arrears -- relay <run|replay> [options]`; resolves with the exit code. */
export async function main(argv: string[], io: CliOutput = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await run(relayConfig(flags(rest)), io);
      case 'replay': {
        const given = flags(rest);
        return await replay(relayConfig(given), replayFrom(given.from), replayTo(given.to), io);
      }
      case 'help':
      case '--help':
        io.out.write(usage());
        return 0;
      default:
        io.err.write(`${command === undefined ? 'A command is needed.' : `Unknown command "${command}".`}\n\n${usage()}`);
        return 2;
    }
  } catch (error) {
    if (!isArrearsError(error, ErrorCode.VALIDATION_FAILED) && !isParseArgsError(error)) throw error;
    io.err.write(`${error instanceof Error ? error.message : String(error)}\n(npm run arrears -- relay help lists the options)\n`);
    return 2;
  }
}

/** Runs the relay until SIGINT or SIGTERM, then stops it cleanly: the publish in flight, the checkpoint, the lock. */
async function run(config: RelayConfig, io: CliOutput): Promise<number> {
  const say = (line: string) => io.err.write(`[relay ${config.name}] ${line}\n`);
  return withResources(config, io, async ({ store, checkpoints, nats }, stopping) => {
    // Before the relay: its instruments attach to the meter provider registered when it is built. Tracing only when
    // spans are exported: otherwise a span per published event would be made only to be dropped, and the stored
    // traceparent passes through unchanged, as it did before the relay had metrics.
    const telemetry = runningTelemetry() === undefined ? startTelemetry({ serviceName: 'relay', tracing: traceExportFromEnv(process.env).kind === 'otlp' }) : undefined;
    const relay = new Relay({
      name: config.name,
      store,
      nats,
      topology: config.topology,
      checkpoints,
      lock: new PostgresLeaderLock({ connectionString: config.databaseUrl, namespace: config.relaySchema, applicationName: `arrears-relay ${config.name}` }),
      streams: streamSettings(config),
      checkpointBatching: { everyEvents: config.checkpointEvery, intervalMs: config.checkpointIntervalMs },
      log: (level, message) => say(level === 'info' ? message : `${level}: ${message}`),
    });
    const health = config.healthPort === undefined ? undefined : await startHealthServer(relay, config.healthPort);
    if (health !== undefined) say(`health on http://0.0.0.0:${health.port}/health, metrics on /metrics`);
    relay.start();
    let reported = -1;
    const progress = setInterval(() => {
      const status = relay.status();
      if (status.publishedCount === reported) return;
      reported = status.publishedCount;
      say(`${status.role}: ${count(status.publishedCount)} events published since start, checkpoint ${status.checkpoint ?? 'none'}`);
    }, PROGRESS_EVERY_MS);
    await Promise.race([aborted(stopping), relay.done]);
    clearInterval(progress);
    say('stopping: finishing the publish in flight, saving the checkpoint, releasing the lock');
    await relay.stop();
    await health?.close();
    await telemetry?.shutdown();
    const status = relay.status();
    say(`stopped: ${count(status.publishedCount)} events published since start, last ${status.published ?? 'none'}`);
    return 0;
  });
}

/** Publishes a range of the log again; prints progress on stderr and a summary on stdout. */
async function replay(config: RelayConfig, from: ReturnType<typeof replayFrom>, to: ReturnType<typeof replayTo>, io: CliOutput): Promise<number> {
  return withResources(config, io, async ({ store, checkpoints, nats }, stopping) => {
    const end = to === 'checkpoint' ? await checkpoints.read(config.name) : to === 'head' ? undefined : to;
    if (to === 'checkpoint' && end === undefined) {
      io.err.write(`Relay ${config.name} has no checkpoint (it has published nothing): pass --to head or --to <position>.\n`);
      return 2;
    }
    await ensureStreams(await nats.jetstreamManager(), config.topology, streamSettings(config));
    const range = `${from === 'start' ? 'the start' : from} to ${end ?? 'the head of the log'}`;
    io.err.write(`Replaying ${range} into ${config.topology.eventsStream} (the relay's checkpoint is not touched)\n`);
    let lastReport = Date.now();
    const summary = await replayRange(store, new EventPublisher(nats.jetstream(), config.topology), { from, ...(end === undefined ? {} : { to: end }) }, {
      signal: stopping,
      onProgress: (progress) => {
        if (Date.now() - lastReport < 2_000) return;
        lastReport = Date.now();
        io.err.write(`  ${describeProgress(progress)}\n`);
      },
      onRetry: (error, attempt) => {
        if (attempt === 1 || attempt % 10 === 0) io.err.write(`  retrying (attempt ${attempt}): ${error instanceof Error ? error.message : String(error)}\n`);
      },
    });
    io.out.write(
      `${summary.complete ? 'Replayed' : 'Stopped after replaying'} ${range} in ${(summary.elapsedMs / 1_000).toFixed(1)} s: ` +
        `${count(summary.published)} events published, ${count(summary.published - summary.duplicates)} stored again, ` +
        `${count(summary.duplicates)} dropped by JetStream as duplicates (still within its duplicate window)` +
        `${summary.first === undefined ? '' : `; positions ${summary.first} to ${summary.last ?? summary.first}`}.\n`,
    );
    return summary.complete ? 0 : 130;
  });
}

interface Resources {
  readonly store: EventStore;
  readonly checkpoints: PostgresCheckpointStore;
  readonly nats: NatsConnection;
}

/** Opens the store, the checkpoint table and NATS (waiting for a server that is not up yet), and closes them all after. */
async function withResources(config: RelayConfig, io: CliOutput, work: (resources: Resources, stopping: AbortSignal) => Promise<number>): Promise<number> {
  const applicationName = `arrears-relay ${config.name}`;
  // First: a bad EVENTSTOREDB_URL is refused here (VALIDATION_FAILED, exit 2) before anything is opened.
  const store = openEventStore({
    eventStoreDbUrl: config.eventStoreDbUrl,
    postgres: {
      connectionString: config.databaseUrl,
      schema: config.storeSchema,
      poolConfig: { max: 4, application_name: applicationName },
      subscription: { pollIntervalMs: config.pollIntervalMs, minPollIntervalMs: config.minPollIntervalMs },
    },
  });
  const stopping = stopOnSignals();
  const pool = new Pool({ connectionString: config.databaseUrl, connectionTimeoutMillis: 5_000, max: 2, application_name: applicationName });
  pool.on('error', () => undefined);
  let nats: NatsConnection | undefined;
  try {
    // The checkpoint is a position in this store's log: never point a relay name at another store's checkpoint.
    if (eventStoreKind(store) === 'eventstoredb') io.err.write(`[relay ${config.name}] event store: EventStoreDB (EVENTSTOREDB_URL); checkpoints and leadership in PostgreSQL\n`);
    await migrateEventStore(store);
    const checkpoints = new PostgresCheckpointStore({ pool, schema: config.relaySchema });
    await checkpoints.migrate();
    const connecting = connectNats(applicationName, { waitOnFirstConnect: true });
    nats = await Promise.race([connecting, aborted(stopping.signal)]);
    if (nats === undefined) {
      io.err.write('Stopped before NATS could be reached.\n');
      void connecting.then((late) => late.close());
      return 0;
    }
    return await work({ store, checkpoints, nats }, stopping.signal);
  } finally {
    stopping.dispose();
    await nats?.close().catch(() => undefined);
    await store.close();
    await pool.end();
  }
}

function stopOnSignals(): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

function aborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}

function flags(args: string[]): RelayFlags {
  const options = Object.fromEntries(Object.keys(RELAY_SETTINGS).map((name) => [name, { type: 'string' as const }]));
  return parseArgs({ args, options, strict: true, allowPositionals: false }).values as RelayFlags;
}

function isParseArgsError(error: unknown): error is Error {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function describeProgress(progress: ReplayProgress): string {
  return `${count(progress.published)} events published (${count(progress.duplicates)} dropped as duplicates), at ${progress.last ?? '-'}`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function usage(): string {
  const options = Object.entries(RELAY_SETTINGS)
    .map(([flag, spec]) => `  --${flag.padEnd(24)}${spec.help}${spec.env === undefined ? '' : ` [${spec.env}${spec.default === undefined ? '' : `, default ${spec.default}`}]`}`)
    .join('\n');
  return `Usage:
  npm run arrears -- relay run [--name N] [--health-port P] [options]
      Relays the event store's global log to JetStream until Ctrl-C or SIGTERM.
  npm run arrears -- relay replay --from <position|start> [--to <position|head>] [options]
      Publishes a range of the log into JetStream again (duplicates within the window are dropped).

Options (a flag wins over its environment variable):
${options}

Also: DATABASE_URL (default ${DEFAULT_DATABASE_URL}), NATS_URL (default ${DEFAULT_NATS_URL}),
EVENTSTOREDB_URL (set: the log is read from EventStoreDB; checkpoints and the lock stay in PostgreSQL).
`;
}

/** What the relay asks of the streams: its retention and de-duplication window, and their replicas if configured. */
function streamSettings(config: RelayConfig): EventStreamSettings {
  return { maxAgeMs: config.maxAgeMs, duplicateWindowMs: config.duplicateWindowMs, ...(config.replicas === undefined ? {} : { replicas: config.replicas }) };
}
