/**
 * The payment-plans service as a process: `npm run service:payment-plans`. Configuration from the environment
 * (README, "Configuration"; docs/payment-plans.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { plansPolicy } from './policy-config';
import { startPlansService } from './service';

runServiceProcess('payment-plans', (settings) =>
  startPlansService({
    ...settings,
    ...(process.env['ARREARS_PLANS_READ_SCHEMA'] ? { readSchema: process.env['ARREARS_PLANS_READ_SCHEMA'] } : {}),
    ...(process.env['ARREARS_TIMER_SCHEMA'] ? { timerSchema: process.env['ARREARS_TIMER_SCHEMA'] } : {}),
    policy: plansPolicy(),
  }),
);
