import { natsTopology, type Topology } from '@arrears/contracts';
import { createLogger, nestLogger } from '@arrears/observability';
import { masterKeyFromEnv } from '@arrears/security';
import type { LoggerService } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The settings every service process reads the same way (README, "Configuration"). */
export interface ProcessSettings {
  readonly databaseUrl: string;
  readonly topology: Topology;
  readonly storeSchema?: string;
  readonly keySchema?: string;
  readonly masterKey: KeyObject;
  readonly logger: LoggerService;
  readonly log: Logger;
}

export function processSettings(service: string, env: NodeJS.ProcessEnv = process.env): ProcessSettings {
  const log = createLogger({ service, env });
  return {
    databaseUrl: env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL,
    topology: natsTopology(env['ARREARS_TOPOLOGY_ROOT'] ?? 'arrears'),
    ...(env['ARREARS_STORE_SCHEMA'] ? { storeSchema: env['ARREARS_STORE_SCHEMA'] } : {}),
    ...(env['ARREARS_PII_SCHEMA'] ? { keySchema: env['ARREARS_PII_SCHEMA'] } : {}),
    masterKey: masterKeyFromEnv(env),
    logger: nestLogger(log),
    log,
  };
}

/**
 * Runs a service as a process: starts it with the common settings, logs where it listens, and on SIGINT or
 * SIGTERM drains and stops it (exit 0); a second signal kills it (exit 1); a failure to start exits 1.
 */
export function runServiceProcess(service: string, start: (settings: ProcessSettings) => Promise<{ close(): Promise<void> }>): void {
  const run = async () => {
    const settings = processSettings(service);
    const running = await start(settings);
    const { commandPrefix, eventPrefix } = settings.topology;
    settings.log.info(`${service} service running: commands on ${commandPrefix}.${service}.*, events from ${eventPrefix}.>`);
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      settings.log.info({ signal }, 'stopping: draining commands and events in flight');
      void running.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  };
  run().catch((error: unknown) => {
    process.stderr.write(`${service} service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
