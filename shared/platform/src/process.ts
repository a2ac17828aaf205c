import { natsTopology, type Topology } from '@arrears/contracts';
import { eventStoreDbUrlFromEnv } from '@arrears/event-store';
import { DEFAULT_NATS_URL } from '@arrears/messaging';
import { createLogger, nestLogger, runningTelemetry, startTelemetry, traceExportFromEnv, type Telemetry } from '@arrears/observability';
import { masterKeyFromEnv } from '@arrears/security';
import type { LoggerService } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import type { DestinationStream, Logger } from 'pino';
import { platformClock } from './clock';
import { healthPortFromEnv, Readiness, serveHealth, type HealthServer } from './health';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The settings every service process reads the same way (README, "Configuration"). */
export interface ProcessSettings {
  readonly databaseUrl: string;
  /** `EVENTSTOREDB_URL`: when set, the event store is EventStoreDB's (PostgreSQL keeps read models, timers, keys). */
  readonly eventStoreDbUrl?: string;
  readonly topology: Topology;
  readonly storeSchema?: string;
  readonly keySchema?: string;
  readonly masterKey: KeyObject;
  readonly logger: LoggerService;
  readonly log: Logger;
  /** The platform clock (`ARREARS_CLOCK_*`; the real one unless set): every place time passes reads it. */
  readonly clock: () => Date;
}

/** `destination`: where the log lines go; default stdout. */
export function processSettings(service: string, env: NodeJS.ProcessEnv = process.env, destination?: DestinationStream): ProcessSettings {
  const log = createLogger({ service, env, ...(destination ? { destination } : {}) });
  const eventStoreDbUrl = eventStoreDbUrlFromEnv(env);
  return {
    databaseUrl: env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL,
    ...(eventStoreDbUrl === undefined ? {} : { eventStoreDbUrl }),
    topology: natsTopology(env['ARREARS_TOPOLOGY_ROOT'] ?? 'arrears'),
    ...(env['ARREARS_STORE_SCHEMA'] ? { storeSchema: env['ARREARS_STORE_SCHEMA'] } : {}),
    ...(env['ARREARS_PII_SCHEMA'] ? { keySchema: env['ARREARS_PII_SCHEMA'] } : {}),
    masterKey: masterKeyFromEnv(env),
    logger: nestLogger(log),
    log,
    clock: platformClock(env),
  };
}

/**
 * A service's start: its options from the common settings and its own variables in `env`. An HTTP service that
 * serves the health module in its own application passes `readiness` to it (`HealthModule.forRoot`), so both
 * report the same state.
 */
export type ServiceStart = (settings: ProcessSettings, env: NodeJS.ProcessEnv, context: { readonly readiness: Readiness }) => Promise<{ close(): Promise<void> }>;

/** A service started by `startService`, with its readiness and, when `ARREARS_HEALTH_PORT` is set, its health server. */
export interface StartedService {
  readonly settings: ProcessSettings;
  readonly readiness: Readiness;
  readonly health: HealthServer | undefined;
  /** Resolves when the service's start resolved (it is ready from then on); rejects when it failed. */
  readonly running: Promise<void>;
  /**
   * Not ready at once, then waits for the start to end, drains and closes the service, then the health server.
   * `why` goes on the log line that says so (`{ signal }`).
   */
  stop(why?: Record<string, unknown>): Promise<void>;
}

/**
 * Starts a service with the common settings from `env`: first the health server (`ARREARS_HEALTH_PORT`), so that
 * liveness answers and readiness says "starting" while the service starts, then the service itself. What
 * `runServiceProcess` does, minus the signals and the exit: the launcher (`npm start -- --single-process`) runs
 * several in one process this way.
 */
export async function startService(service: string, start: ServiceStart, env: NodeJS.ProcessEnv = process.env, destination?: DestinationStream): Promise<StartedService> {
  const settings = processSettings(service, env, destination);
  const readiness = new Readiness();
  const port = healthPortFromEnv(env);
  // Before the service builds anything: instruments and gauges attach to the meter provider registered then.
  const telemetry = useTelemetry(service, env);
  let health: HealthServer | undefined;
  try {
    health =
      port === undefined
        ? undefined
        : await serveHealth({ port, readiness, name: `arrears-${service} health`, databaseUrl: settings.databaseUrl, nats: env['NATS_URL'] ?? DEFAULT_NATS_URL });
  } catch (error) {
    await telemetry.release();
    throw error;
  }
  if (health) settings.log.info(`health on http://0.0.0.0:${health.port}/health/live and /health/ready, metrics on /metrics (port ${health.port})`);
  const started = start(settings, env, { readiness });
  const running = started.then(() => {
    readiness.markReady();
    const { commandPrefix, eventPrefix } = settings.topology;
    settings.log.info(`${service} service running: commands on ${commandPrefix}.${service}.*, events from ${eventPrefix}.>`);
  });
  running.catch(() => undefined);
  let stopped: Promise<void> | undefined;
  const stop = (why: Record<string, unknown> = {}) =>
    (stopped ??= (async () => {
      readiness.markStopping();
      settings.log.info(why, 'stopping: draining commands and events in flight');
      const instance = await started.catch(() => undefined);
      try {
        await instance?.close();
      } finally {
        await health?.close();
        await telemetry.release();
      }
    })());
  return { settings, readiness, health, running, stop };
}

/**
 * Runs a service as a process: starts it with the common settings (and its health server when
 * `ARREARS_HEALTH_PORT` is set), logs where it listens, and on SIGINT or SIGTERM turns not ready, drains and
 * stops it (exit 0); a second signal kills it (exit 1); a failure to start exits 1.
 */
export function runServiceProcess(service: string, start: ServiceStart): void {
  const run = async () => {
    const started = await startService(service, start);
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      void started.stop({ signal }).then(
        () => process.exit(0),
        (error: unknown) => {
          started.settings.log.error({ err: error }, 'stopping failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      await started.running;
    } catch (error) {
      await started.health?.close().catch(() => undefined);
      throw error;
    }
  };
  run().catch((error: unknown) => {
    process.stderr.write(`${service} service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

let shared: { readonly telemetry: Telemetry; users: number } | undefined;

/**
 * The process's telemetry for one more service: started (named after the first service, OTEL_SERVICE_NAME
 * overriding; metrics always, traces when exported) if nothing runs yet, shared by every service the process runs (`--single-process`), and shut down
 * when the last of them releases it. Telemetry started by someone else (a test's) is used and left running.
 */
function useTelemetry(service: string, env: NodeJS.ProcessEnv): { release(): Promise<void> } {
  const running = runningTelemetry();
  if (running !== undefined && running !== shared?.telemetry) return { release: async () => undefined };
  // Tracing only when spans are exported (OTLP endpoint set): otherwise every command and event would make spans only
  // to drop them, and the trace context stored on commands and events travels on without them.
  if (shared === undefined || running === undefined) shared = { telemetry: startTelemetry({ serviceName: service, env, tracing: traceExportFromEnv(env).kind === 'otlp' }), users: 0 };
  const mine = shared;
  mine.users += 1;
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      mine.users -= 1;
      if (mine.users > 0) return;
      if (shared === mine) shared = undefined;
      // Spans a collector did not take are lost either way: that is no reason to fail the stop.
      await mine.telemetry.shutdown().catch(() => undefined);
    },
  };
}
