/**
 * The accounts service as a process: `npm run service:accounts`. Configuration from the environment (README,
 * "Configuration"; docs/accounts.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { accountsPolicy } from './policy-config';
import { startAccountsService } from './service';

runServiceProcess('accounts', (settings) =>
  startAccountsService({
    ...settings,
    ...(process.env['ARREARS_ACCOUNTS_READ_SCHEMA'] ? { readSchema: process.env['ARREARS_ACCOUNTS_READ_SCHEMA'] } : {}),
    policy: accountsPolicy(),
    reviewIntervalMs: reviewInterval(process.env['ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS']),
  }),
);

/** Default hourly: a day's review is done once, by whichever run comes first after midnight UTC. */
function reviewInterval(value: string | undefined): number {
  if (value === undefined || value === '') return 3_600_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS must be a whole number of milliseconds (0: off), not "${value}"`);
  return ms;
}
