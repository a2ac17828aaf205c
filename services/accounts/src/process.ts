import type { ProcessSettings } from '@arrears/platform';
import { accountsPolicy } from './policy-config';
import { startAccountsService, type AccountsService } from './service';

/**
 * The accounts service started with its options from the environment (README, "Configuration"; docs/accounts.md):
 * what `main.ts` runs as a process, and `npm start -- --single-process` runs beside the others in one.
 */
export function startAccountsFromEnvironment(settings: ProcessSettings, env: NodeJS.ProcessEnv = process.env): Promise<AccountsService> {
  return startAccountsService({
    ...settings,
    ...(env['ARREARS_ACCOUNTS_READ_SCHEMA'] ? { readSchema: env['ARREARS_ACCOUNTS_READ_SCHEMA'] } : {}),
    policy: accountsPolicy(env),
    reviewIntervalMs: reviewInterval(env['ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS']),
  });
}

/** Default hourly: a day's review is done once, by whichever run comes first after midnight UTC. */
function reviewInterval(value: string | undefined): number {
  if (value === undefined || value === '') return 3_600_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS must be a whole number of milliseconds (0: off), not "${value}"`);
  return ms;
}
