import type { ProcessSettings } from '@arrears/platform';
import { plansPolicy } from './policy-config';
import { startPlansService, type PlansService } from './service';

/**
 * The payment-plans service started with its options from the environment (README, "Configuration";
 * docs/payment-plans.md): what `main.ts` runs as a process, and `npm start -- --single-process` runs beside the
 * others in one.
 */
export function startPaymentPlansFromEnvironment(settings: ProcessSettings, env: NodeJS.ProcessEnv = process.env): Promise<PlansService> {
  return startPlansService({
    ...settings,
    ...(env['ARREARS_PLANS_READ_SCHEMA'] ? { readSchema: env['ARREARS_PLANS_READ_SCHEMA'] } : {}),
    ...(env['ARREARS_TIMER_SCHEMA'] ? { timerSchema: env['ARREARS_TIMER_SCHEMA'] } : {}),
    policy: plansPolicy(env),
  });
}
