import { accounts, ArrearsError, ErrorCode, EventCatalog, type EventEnvelope } from '@arrears/contracts';
import type { PromiseCommandBody } from './domain/commands';

const ACCOUNT_EVENTS = new EventCatalog(accounts.ACCOUNT_EVENTS);

export type ApplyPaymentBody = Extract<PromiseCommandBody, { type: 'ApplyPayment' }>;

/**
 * The ApplyPayment for a PaymentPosted the accounts service published: the payment as the promise rules see it.
 * How accounts allocated it and the balances after are the account's business, not the promise's. Decoded through
 * the accounts catalog, so a PaymentPosted stored under an older schema version arrives in the current shape.
 * The pact with accounts (test/pacts/promises-to-pay/accounts.consumer.pact.spec.ts) runs this on the message accounts publishes.
 */
export function applyPaymentFrom(event: EventEnvelope): ApplyPaymentBody {
  const decoded = ACCOUNT_EVENTS.decode(event);
  if (decoded.type !== 'PaymentPosted') {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Expected a PaymentPosted, got ${decoded.type}`, { field: 'type' });
  }
  const { accountId, paymentReference, amount, receivedOn } = decoded.data;
  return { type: 'ApplyPayment', data: { accountId, paymentReference, amount: { minor: amount.minor, currency: amount.currency }, receivedOn } };
}
