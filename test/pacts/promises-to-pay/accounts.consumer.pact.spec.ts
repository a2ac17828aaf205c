/** promises-to-pay's pact with accounts: the PaymentPosted it matches against open promises (../payment-posted.ts). */
import { applyPaymentFrom } from '@arrears/promises-to-pay/src/promise/payments';
import { paymentPostedPact } from '../payment-posted';

describe('promises-to-pay consumes accounts’ PaymentPosted', () => {
  it('turns a PaymentPosted into an ApplyPayment for the case’s promises', () => paymentPostedPact('promises-to-pay', applyPaymentFrom));
});
