/**
 * The legal-escalation service as a process: `npm run service:legal-escalation`. Configuration from the environment
 * (README, "Configuration"; docs/legal-escalation.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { startLegalEscalationFromEnvironment } from './process';

runServiceProcess('legal-escalation', startLegalEscalationFromEnvironment);
