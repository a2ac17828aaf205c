/**
 * The promises-to-pay service as a process: `npm run service:promises-to-pay`. Configuration from the environment
 * (README, "Configuration"; docs/promises-to-pay.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { startPromisesToPayFromEnvironment } from './process';

runServiceProcess('promises-to-pay', startPromisesToPayFromEnvironment);
