/**
 * accounts' PaymentPosted as each of its consumers pacts it (promises-to-pay, payment-plans and case-workflow read
 * the same payment). The body is the whole event, because a consumer decodes it through the accounts catalog, which
 * checks every field; what the consumers read (account, reference, amount, day received, the balance after it) is
 * pinned by format, the rest by type.
 */
import type { EventEnvelope, ServiceName } from '@arrears/contracts';
import { MatchersV3 } from '@pact-foundation/pact';
import { calendarDate, consumerPact, eventHeaders, money, receivedEvent, uuid } from './event-messages';

const { integer, like } = MatchersV3;
const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';

/** The interaction every consumer of the payment states: the accounts provider makes it under this state and description. */
export const PAYMENT_POSTED = {
  state: 'an account in collection',
  description: 'a PaymentPosted',
  headers: eventHeaders({ type: 'PaymentPosted', schemaVersion: 1, streamId: `account-${accountId}`, caseId: accountId, occurredAt: '2026-12-02T14:00:00.000Z', actorId: 'supervisor-2' }),
  body: {
    accountId: uuid(accountId),
    paymentReference: like('BANK-20261202-0042'),
    amount: money(12_500, 'USD'),
    receivedOn: calendarDate('2026-12-02'),
    channel: like('card'),
    allocation: { fees: integer(1_000), interest: integer(4_000), principal: integer(7_500), credit: integer(0) },
    balanceAfter: { principal: integer(72_500), fees: integer(0), interest: integer(0) },
    creditAfter: integer(0),
  },
} as const;

/** The pact of a consumer that turns the payment into its own ApplyPayment: its function must give the one below. */
export function paymentPostedPact(consumer: ServiceName, applyPaymentFrom: (event: EventEnvelope) => unknown): Promise<unknown> {
  return consumerPact(consumer, 'accounts')
    .addAsynchronousInteraction()
    .given(PAYMENT_POSTED.state)
    .expectsToReceive(PAYMENT_POSTED.description, (message) => message.withMetadata(PAYMENT_POSTED.headers).withJSONContent(PAYMENT_POSTED.body))
    .executeTest(async (message) => {
      expect(applyPaymentFrom(receivedEvent(message))).toEqual({
        type: 'ApplyPayment',
        data: { accountId, paymentReference: 'BANK-20261202-0042', amount: { minor: 12_500, currency: 'USD' }, receivedOn: '2026-12-02' },
      });
    });
}
