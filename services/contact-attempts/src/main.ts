/**
 * The contact-attempts service as a process: `npm run service:contact-attempts`. Configuration from the environment
 * (README, "Configuration"; docs/contact-attempts.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { startContactAttemptsFromEnvironment } from './process';

runServiceProcess('contact-attempts', startContactAttemptsFromEnvironment);
