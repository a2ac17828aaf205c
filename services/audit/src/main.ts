/**
 * The audit service as a process: `npm run service:audit`. Configuration from the environment (README,
 * "Configuration"; docs/audit-ledger.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { signerFromEnv } from './ledger';
import { startAuditService } from './service';

runServiceProcess('audit', (settings) =>
  startAuditService({
    ...settings,
    ...(process.env['ARREARS_AUDIT_LEDGER_SCHEMA'] ? { ledgerSchema: process.env['ARREARS_AUDIT_LEDGER_SCHEMA'] } : {}),
    ...(process.env['ARREARS_AUDIT_CHECKPOINT_EVERY_MS'] ? { checkpointEveryMs: Number(process.env['ARREARS_AUDIT_CHECKPOINT_EVERY_MS']) } : {}),
    signer: signerFromEnv(),
  }),
);
