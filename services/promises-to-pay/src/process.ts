import type { ProcessSettings } from '@arrears/platform';
import { promisesPolicy } from './policy-config';
import { startPromisesService, type PromisesService } from './service';

/**
 * The promises-to-pay service started with its options from the environment (README, "Configuration";
 * docs/promises-to-pay.md): what `main.ts` runs as a process, and `npm start -- --single-process` runs beside the
 * others in one.
 */
export function startPromisesToPayFromEnvironment(settings: ProcessSettings, env: NodeJS.ProcessEnv = process.env): Promise<PromisesService> {
  return startPromisesService({
    ...settings,
    ...(env['ARREARS_PROMISES_READ_SCHEMA'] ? { readSchema: env['ARREARS_PROMISES_READ_SCHEMA'] } : {}),
    ...(env['ARREARS_TIMER_SCHEMA'] ? { timerSchema: env['ARREARS_TIMER_SCHEMA'] } : {}),
    policy: promisesPolicy(env),
  });
}
