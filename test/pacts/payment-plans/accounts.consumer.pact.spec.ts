/** payment-plans' pact with accounts: the PaymentPosted it applies to the running plan's instalments (../payment-posted.ts). */
import { applyPaymentFrom } from '@arrears/payment-plans/src/plan/payments';
import { paymentPostedPact } from '../payment-posted';

describe('payment-plans consumes accounts’ PaymentPosted', () => {
  it('turns a PaymentPosted into an ApplyPayment for the case’s running plan', () => paymentPostedPact('payment-plans', applyPaymentFrom));
});
