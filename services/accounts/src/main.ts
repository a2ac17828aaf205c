/**
 * The accounts service as a process: `npx tsx services/accounts/src/main.ts`. Configuration from the environment
 * (README, "Configuration"; docs/accounts.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { natsTopology } from '@arrears/contracts';
import { createLogger, nestLogger } from '@arrears/observability';
import { masterKeyFromEnv } from '@arrears/security';
import { accountsPolicy } from './policy-config';
import { startAccountsService } from './service';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function main(): Promise<void> {
  const log = createLogger({ service: 'accounts' });
  const env = process.env;
  const topology = natsTopology(env['ARREARS_TOPOLOGY_ROOT'] ?? 'arrears');
  const service = await startAccountsService({
    databaseUrl: env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL,
    topology,
    ...(env['ARREARS_STORE_SCHEMA'] ? { storeSchema: env['ARREARS_STORE_SCHEMA'] } : {}),
    ...(env['ARREARS_PII_SCHEMA'] ? { keySchema: env['ARREARS_PII_SCHEMA'] } : {}),
    ...(env['ARREARS_ACCOUNTS_READ_SCHEMA'] ? { readSchema: env['ARREARS_ACCOUNTS_READ_SCHEMA'] } : {}),
    masterKey: masterKeyFromEnv(),
    policy: accountsPolicy(),
    reviewIntervalMs: reviewInterval(env['ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS']),
    logger: nestLogger(log),
  });
  log.info(`accounts service running: commands on ${topology.commandPrefix}.accounts.*, read models from ${topology.eventPrefix}.accounts.*`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'stopping: draining commands and events in flight');
    void service.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** Default hourly: a day's review is done once, by whichever run comes first after midnight UTC. */
function reviewInterval(value: string | undefined): number {
  if (value === undefined || value === '') return 3_600_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS must be a whole number of milliseconds (0: off), not "${value}"`);
  return ms;
}

main().catch((error: unknown) => {
  process.stderr.write(`accounts service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
