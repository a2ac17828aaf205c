/**
 * accounts' AccountPlaced as each of its consumers pacts it (contact-attempts folds the debtor profile from it,
 * case-workflow opens the case on it). The body is the whole event, because both decode it through the accounts
 * catalog, which checks every field. What they read is pinned by format: the account, product, currency, balance
 * and due date (case-workflow), the debtor's id and contacts (contact-attempts, the contacts as ciphertexts); the
 * rest by type.
 */
import { accounts } from '@arrears/contracts';
import { MatchersV3 } from '@pact-foundation/pact';
import { calendarDate, encrypted, eventHeaders, exampleCiphertext, oneOf, uuid } from './event-messages';

const { eachLike, integer, like, regex } = MatchersV3;

export const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
export const debtorId = '0b8a9a7e-3c4d-4e5f-8a9b-1c2d3e4f5a6b';
/** The example ciphertexts of the placement's personal fields. */
export const placedCipher = { name: exampleCiphertext('name'), phone: exampleCiphertext('phone'), email: exampleCiphertext('email') };

/** The interaction every consumer of the placement states: the accounts provider makes it under this state and description. */
export const ACCOUNT_PLACED = {
  state: 'no account yet',
  description: 'an AccountPlaced',
  headers: eventHeaders({ type: 'AccountPlaced', schemaVersion: 1, streamId: `account-${accountId}`, caseId: accountId, actorId: 'supervisor-2' }),
  body: {
    accountId: uuid(accountId),
    creditor: { creditorId: like('acme'), name: like('Acme Bank') },
    creditorReference: like('CC-6f1c1a'),
    product: oneOf(accounts.PRODUCTS, 'credit-card'),
    currency: regex('^[A-Z]{3}$', 'USD'),
    balance: { principal: integer(80_000), fees: integer(1_000), interest: integer(4_000) },
    dueDate: calendarDate('2026-10-20'),
    allocationOrder: like(['fees', 'interest', 'principal']),
    debtor: {
      debtorId: uuid(debtorId),
      name: encrypted(placedCipher.name),
      phones: eachLike({ number: encrypted(placedCipher.phone), kind: oneOf(accounts.PHONE_KINDS, 'mobile') }),
      emails: eachLike(encrypted(placedCipher.email)),
      timeZone: like('America/Chicago'),
      jurisdiction: like('US-IL'),
      language: like('en'),
    },
  },
};
