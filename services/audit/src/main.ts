/**
 * The audit service as a process: `npm run service:audit`. Configuration from the environment (README,
 * "Configuration"; docs/audit-ledger.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { startAuditFromEnvironment } from './process';

runServiceProcess('audit', startAuditFromEnvironment);
