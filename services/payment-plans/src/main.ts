/**
 * The payment-plans service as a process: `npm run service:payment-plans`. Configuration from the environment
 * (README, "Configuration"; docs/payment-plans.md). Stops cleanly on SIGINT or SIGTERM; a second signal kills it.
 */
import { runServiceProcess } from '@arrears/platform';
import { startPaymentPlansFromEnvironment } from './process';

runServiceProcess('payment-plans', startPaymentPlansFromEnvironment);
