import { accounts, ArrearsError, ErrorCode, EventCatalog, type EventEnvelope } from '@arrears/contracts';
import type { PlanCommandBody } from './domain/commands';

const ACCOUNT_EVENTS = new EventCatalog(accounts.ACCOUNT_EVENTS);

export type ApplyPaymentBody = Extract<PlanCommandBody, { type: 'ApplyPayment' }>;

/**
 * The ApplyPayment for a PaymentPosted the accounts service published: the payment as the plan rules see it (how
 * accounts split it across fees, interest and principal is the account's business). Decoded through the accounts
 * catalog, so an older schema version arrives in the current shape. The pact with accounts
 * (test/pacts/payment-plans/accounts.consumer.pact.spec.ts) runs this on the message accounts publishes.
 */
export function applyPaymentFrom(event: EventEnvelope): ApplyPaymentBody {
  const decoded = ACCOUNT_EVENTS.decode(event);
  if (decoded.type !== 'PaymentPosted') throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Expected a PaymentPosted, got ${decoded.type}`, { field: 'type' });
  const { accountId, paymentReference, amount, receivedOn } = decoded.data;
  return { type: 'ApplyPayment', data: { accountId, paymentReference, amount: { minor: amount.minor, currency: amount.currency }, receivedOn } };
}
