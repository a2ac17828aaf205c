/**
 * case-workflow's pact with promises-to-pay: a promise's life as the case follows it (signals.ts → readEvent) —
 * recorded (the case negotiates), kept, broken (it is pressed), cancelled. Each body is the whole event, because
 * readEvent decodes it through the promise catalog, which checks every field; what the saga reads (the account and
 * the promise) is pinned by format, the rest by type. The PromiseBroken is the message accounts pacts as well.
 */
import { promisesToPay } from '@arrears/contracts';
import { MatchersV3 } from '@pact-foundation/pact';
import { consumerPact, eventHeaders, uuid } from '../event-messages';
import { readsAs, signal } from './readings';

const { integer, like } = MatchersV3;

const pact = consumerPact('case-workflow', 'promises-to-pay');

const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const promiseId = '11111111-1111-4111-8111-111111111111';
const ids = { promiseId: uuid(promiseId), accountId: uuid(accountId) };
const usd = (minor: number) => like({ minor, currency: 'USD' });
const headers = (type: promisesToPay.PromiseEvent['type'], actorId = 'collector-7') =>
  eventHeaders({ type, schemaVersion: 1, streamId: `promise-${accountId}`, caseId: accountId, actorId });

describe('case-workflow reads promises-to-pay’s events into the case', () => {
  it('PromiseRecorded: the debtor committed to pay', () =>
    readsAs(
      pact,
      {
        state: 'an account in collection',
        description: 'a PromiseRecorded',
        headers: headers('PromiseRecorded'),
        body: {
          ...ids,
          amount: usd(20_000),
          madeOn: like('2026-11-30'),
          dueDate: like('2026-12-05'),
          graceDays: integer(3),
          breaksAt: like('2026-12-09T00:00:00.000Z'),
          channel: like('call'),
          operatorId: like('collector-7'),
        },
      },
      signal(accountId, 'promise-recorded', { promiseId }),
    ));

  it('PromiseKept: the promise was paid in time', () =>
    readsAs(
      pact,
      {
        state: 'an open promise',
        description: 'a PromiseKept',
        headers: headers('PromiseKept', 'system:promises-to-pay'),
        body: { ...ids, paymentReference: like('BANK-20261202-0042'), applied: usd(20_000), paidTotal: usd(20_000), promised: usd(20_000) },
      },
      signal(accountId, 'promise-kept', { promiseId }),
    ));

  it('PromiseBroken: the promise was not kept', () =>
    readsAs(
      pact,
      {
        state: 'an open promise, partly paid, whose break time has come',
        description: 'a PromiseBroken',
        headers: headers('PromiseBroken', 'system:promises-to-pay'),
        body: { ...ids, promised: usd(20_000), paid: usd(5_000), dueDate: like('2026-12-05'), brokenOn: like('2026-12-09') },
      },
      signal(accountId, 'promise-broken', { promiseId }),
    ));

  it('PromiseCancelled: the promise was withdrawn', () =>
    readsAs(
      pact,
      {
        state: 'an open promise',
        description: 'a PromiseCancelled',
        headers: headers('PromiseCancelled', 'system:case-workflow'),
        body: { ...ids, reason: like('replaced by payment plan 22222222-2222-4222-8222-222222222222') },
      },
      signal(accountId, 'promise-cancelled', { promiseId }),
    ));
});
