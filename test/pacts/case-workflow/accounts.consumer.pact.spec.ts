/**
 * case-workflow's pact with accounts: the account events the case saga takes (signals.ts → readEvent). Each body is
 * the whole event, because readEvent decodes it through the accounts catalog, which checks every field; what the
 * saga reads (the account, and of each event the field its signal carries) is pinned by format or enum, the rest
 * by type. The placement and the payment are the messages other consumers pact as well (../account-placed.ts,
 * ../payment-posted.ts).
 */
import { accounts } from '@arrears/contracts';
import { MatchersV3 } from '@pact-foundation/pact';
import { accountId, ACCOUNT_PLACED } from '../account-placed';
import { consumerPact, eventHeaders, oneOf, uuid } from '../event-messages';
import { PAYMENT_POSTED } from '../payment-posted';
import { readsAs, signal } from './readings';

const { integer, like, reify } = MatchersV3;

const pact = consumerPact('case-workflow', 'accounts');

const headers = (type: accounts.AccountEvent['type'], actorId = 'supervisor-2') =>
  eventHeaders({ type, schemaVersion: 1, streamId: `account-${accountId}`, caseId: accountId, actorId });
const balance = () => ({ principal: integer(80_000), fees: integer(1_000), interest: integer(4_000) });

describe('case-workflow reads accounts’ events into the case', () => {
  it('AccountPlaced opens the case with the placement', () =>
    readsAs(pact, ACCOUNT_PLACED, { kind: 'placed', caseId: accountId, placed: reify(ACCOUNT_PLACED.body) as Extract<accounts.AccountEvent, { type: 'AccountPlaced' }>['data'] }));

  it('PaymentPosted: a payment, with the balance it leaves', () => readsAs(pact, PAYMENT_POSTED, signal(accountId, 'payment', { balance: 72_500 })));

  it('AgingBucketChanged: the bucket the account moved into', () =>
    readsAs(
      pact,
      {
        state: 'an account in collection',
        description: 'an AgingBucketChanged',
        headers: headers('AgingBucketChanged', 'system:accounts'),
        body: { accountId: uuid(accountId), from: like('31-90'), to: oneOf(accounts.AGING_BUCKETS, '90+'), daysPastDue: integer(94), asOf: like('2027-01-25') },
      },
      signal(accountId, 'bucket-changed', { bucket: '90+' }),
    ));

  it('RiskTierChanged: the tier the account moved into', () =>
    readsAs(
      pact,
      {
        state: 'an account in collection with two broken promises',
        description: 'a RiskTierChanged',
        headers: headers('RiskTierChanged', 'system:accounts'),
        body: { accountId: uuid(accountId), from: like('medium'), to: oneOf(accounts.RISK_TIERS, 'high'), score: integer(65), factors: like({ brokenPromises: 30 }), asOf: like('2026-12-02') },
      },
      signal(accountId, 'tier-changed', { tier: 'high' }),
    ));

  it('AccountFlagged: the flag, which may hold legal escalation', () =>
    readsAs(
      pact,
      {
        state: 'an account in collection',
        description: 'an AccountFlagged for a breathing space',
        headers: headers('AccountFlagged'),
        body: { accountId: uuid(accountId), flag: oneOf(accounts.FLAGS, 'breathing-space'), reason: like('debt advice breathing space'), endsOn: like('2027-01-28') },
      },
      signal(accountId, 'flagged', { flag: 'breathing-space' }),
    ));

  it('FlagCleared: the flag that no longer applies', () =>
    readsAs(
      pact,
      {
        state: 'an account in collection flagged cease-communication',
        description: 'a FlagCleared',
        headers: headers('FlagCleared'),
        body: { accountId: uuid(accountId), flag: oneOf(accounts.FLAGS, 'cease-communication'), reason: like('debtor withdrew the request') },
      },
      signal(accountId, 'flag-cleared', { flag: 'cease-communication' }),
    ));

  it('AccountClosed: the reason, as the case closes for it', () =>
    readsAs(
      pact,
      {
        state: 'an account in collection',
        description: 'an AccountClosed',
        headers: headers('AccountClosed'),
        body: { accountId: uuid(accountId), reason: oneOf(accounts.CLOSE_REASONS, 'returned-to-creditor'), balanceAtClose: balance(), creditAtClose: integer(0) },
      },
      signal(accountId, 'account-closed', { closeReason: 'returned' }),
    ));
});
