import type { CommandEnvelope, Money, promisesToPay } from '@arrears/contracts';

/**
 * What the promise rules decide on: the published commands, and two the service sends itself — a payment the
 * accounts service posted (consumed from JetStream), and the check when a promise's break time comes (a durable
 * timer). Both carry deterministic command ids, derived from the event or the timer.
 */
/** What the promise rules need of the account, read from its events when the promise is made. */
export interface AccountStanding {
  readonly status: 'unplaced' | 'open' | 'closed';
  readonly currency?: string;
}

export type PromiseCommandBody =
  | Exclude<promisesToPay.PromiseCommand, { type: 'RecordPromise' }>
  | (Extract<promisesToPay.PromiseCommand, { type: 'RecordPromise' }> & { readonly account?: AccountStanding })
  | {
      readonly type: 'ApplyPayment';
      readonly data: { readonly accountId: string; readonly paymentReference: string; readonly amount: Money; readonly receivedOn: string };
    }
  | { readonly type: 'CheckPromiseDue'; readonly data: { readonly accountId: string; readonly promiseId: string } };

export type PromiseCommandEnvelope = Omit<CommandEnvelope, 'type' | 'data'> & PromiseCommandBody;
