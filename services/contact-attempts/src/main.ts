/**
 * The contact-attempts service as a process: `npm run service:contact-attempts`. Configuration from the environment
 * (README, "Configuration"; docs/contact-attempts.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { complianceConfig } from './compliance';
import { startContactAttemptsService } from './service';

runServiceProcess('contact-attempts', (settings) =>
  startContactAttemptsService({
    ...settings,
    ...(process.env['ARREARS_CONTACT_READ_SCHEMA'] ? { readSchema: process.env['ARREARS_CONTACT_READ_SCHEMA'] } : {}),
    compliance: complianceConfig(),
  }),
);
