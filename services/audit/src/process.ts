import type { ProcessSettings } from '@arrears/platform';
import { signerFromEnv } from './ledger';
import { startAuditService, type AuditService } from './service';

/**
 * The audit service started with its options from the environment (README, "Configuration"; docs/audit.md): what
 * `main.ts` runs as a process, and `npm start -- --single-process` runs beside the others in one.
 */
export function startAuditFromEnvironment(settings: ProcessSettings, env: NodeJS.ProcessEnv = process.env): Promise<AuditService> {
  return startAuditService({
    ...settings,
    ...(env['ARREARS_AUDIT_LEDGER_SCHEMA'] ? { ledgerSchema: env['ARREARS_AUDIT_LEDGER_SCHEMA'] } : {}),
    ...(env['ARREARS_AUDIT_CHECKPOINT_EVERY_MS'] ? { checkpointEveryMs: Number(env['ARREARS_AUDIT_CHECKPOINT_EVERY_MS']) } : {}),
    signer: signerFromEnv(env),
  });
}
