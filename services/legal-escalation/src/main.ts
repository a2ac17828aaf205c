/**
 * The legal-escalation service as a process: `npm run service:legal-escalation`. Configuration from the environment
 * (README, "Configuration"; docs/legal-escalation.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { signerFromEnv, verificationKeysFromEnv } from './evidence';
import { startLegalService } from './service';

runServiceProcess('legal-escalation', (settings) =>
  startLegalService({
    ...settings,
    ...(process.env['ARREARS_LEGAL_READ_SCHEMA'] ? { readSchema: process.env['ARREARS_LEGAL_READ_SCHEMA'] } : {}),
    ...(process.env['ARREARS_LEGAL_EVIDENCE_SCHEMA'] ? { evidenceSchema: process.env['ARREARS_LEGAL_EVIDENCE_SCHEMA'] } : {}),
    ...(process.env['ARREARS_TIMER_SCHEMA'] ? { timerSchema: process.env['ARREARS_TIMER_SCHEMA'] } : {}),
    signer: signerFromEnv(),
    verificationKeys: verificationKeysFromEnv(),
  }),
);
