/**
 * The promises-to-pay service as a process: `npm run service:promises-to-pay`. Configuration from the environment
 * (README, "Configuration"; docs/promises-to-pay.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { promisesPolicy } from './policy-config';
import { startPromisesService } from './service';

runServiceProcess('promises-to-pay', (settings) =>
  startPromisesService({
    ...settings,
    ...(process.env['ARREARS_PROMISES_READ_SCHEMA'] ? { readSchema: process.env['ARREARS_PROMISES_READ_SCHEMA'] } : {}),
    ...(process.env['ARREARS_TIMER_SCHEMA'] ? { timerSchema: process.env['ARREARS_TIMER_SCHEMA'] } : {}),
    policy: promisesPolicy(),
  }),
);
