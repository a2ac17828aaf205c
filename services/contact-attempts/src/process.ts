import type { ProcessSettings } from '@arrears/platform';
import { complianceConfig } from './compliance';
import { startContactAttemptsService, type ContactAttemptsService } from './service';

/**
 * The contact-attempts service started with its options from the environment (README, "Configuration";
 * docs/contact-attempts.md): what `main.ts` runs as a process, and `npm start -- --single-process` runs beside the
 * others in one.
 */
export function startContactAttemptsFromEnvironment(settings: ProcessSettings, env: NodeJS.ProcessEnv = process.env): Promise<ContactAttemptsService> {
  return startContactAttemptsService({
    ...settings,
    ...(env['ARREARS_CONTACT_READ_SCHEMA'] ? { readSchema: env['ARREARS_CONTACT_READ_SCHEMA'] } : {}),
    compliance: complianceConfig(env),
  });
}
