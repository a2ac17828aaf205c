import type { ProcessSettings } from '@arrears/platform';
import { signerFromEnv, verificationKeysFromEnv } from './evidence';
import { startLegalService, type LegalService } from './service';

/**
 * The legal-escalation service started with its options from the environment (README, "Configuration";
 * docs/legal-escalation.md): what `main.ts` runs as a process, and `npm start -- --single-process` runs beside the
 * others in one.
 */
export function startLegalEscalationFromEnvironment(settings: ProcessSettings, env: NodeJS.ProcessEnv = process.env): Promise<LegalService> {
  return startLegalService({
    ...settings,
    ...(env['ARREARS_LEGAL_READ_SCHEMA'] ? { readSchema: env['ARREARS_LEGAL_READ_SCHEMA'] } : {}),
    ...(env['ARREARS_LEGAL_EVIDENCE_SCHEMA'] ? { evidenceSchema: env['ARREARS_LEGAL_EVIDENCE_SCHEMA'] } : {}),
    ...(env['ARREARS_TIMER_SCHEMA'] ? { timerSchema: env['ARREARS_TIMER_SCHEMA'] } : {}),
    signer: signerFromEnv(env),
    verificationKeys: verificationKeysFromEnv(env),
  });
}
