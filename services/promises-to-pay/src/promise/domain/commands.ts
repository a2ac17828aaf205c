import type { CommandEnvelope, Money, promisesToPay } from '@arrears/contracts';

/**
 * What the promise rules decide on: the published commands, and two the service sends itself — a payment the
 * accounts service posted (consumed from JetStream), and the check when a promise's break time comes (a durable
 * timer). Both carry deterministic command ids, derived from the event or the timer.
 */
export type PromiseCommandBody =
  | promisesToPay.PromiseCommand
  | {
      readonly type: 'ApplyPayment';
      readonly data: { readonly accountId: string; readonly paymentReference: string; readonly amount: Money; readonly receivedOn: string };
    }
  | { readonly type: 'CheckPromiseDue'; readonly data: { readonly accountId: string; readonly promiseId: string } };

export type PromiseCommandEnvelope = Omit<CommandEnvelope, 'type' | 'data'> & PromiseCommandBody;
