/**
 * The accounts service as a process: `npm run service:accounts`. Configuration from the environment (README,
 * "Configuration"; docs/accounts.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { startAccountsFromEnvironment } from './process';

runServiceProcess('accounts', startAccountsFromEnvironment);
