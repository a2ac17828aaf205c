/**
 * contact-attempts' pact with accounts: the events the debtor profile is folded from (domain/debtor-profile.ts).
 * contact-attempts reads them from the account's stream rather than from NATS, but the stored envelope is the one
 * the relay publishes, so each is pacted as a message; the headers stand for the envelope's fields. Each body is
 * the whole event, because the profile's events are decoded through the accounts catalog, which checks every
 * field; what the profile reads is pinned by format, the rest by type.
 */
import { accounts, EventCatalog } from '@arrears/contracts';
import { debtorProfile } from '@arrears/contact-attempts/src/contact/domain/debtor-profile';
import { MatchersV3 } from '@pact-foundation/pact';
import { accountId, ACCOUNT_PLACED, debtorId, placedCipher } from '../account-placed';
import { calendarDate, consumerPact, encrypted, eventHeaders, exampleCiphertext, oneOf, receivedEvent, uuid, type PactMessage } from '../event-messages';

const { eachLike, integer, like, reify } = MatchersV3;

const pact = consumerPact('contact-attempts', 'accounts');
const ACCOUNT_EVENTS = new EventCatalog(accounts.ACCOUNT_EVENTS);

const cipher = {
  ...placedCipher,
  newPhone: exampleCiphertext('new phone'),
  newEmail: exampleCiphertext('new email'),
  attorney: exampleCiphertext('attorney'),
};
const balance = () => ({ principal: integer(80_000), fees: integer(1_000), interest: integer(4_000) });
/** The placement (../account-placed.ts): the debtor, where they live, and how to reach them. */
const placedBody = ACCOUNT_PLACED.body;

/** An account event as contact-attempts reads it: the envelope back from the message, decoded by the accounts catalog. */
const decoded = (message: PactMessage) => ACCOUNT_EVENTS.decode(receivedEvent(message)) as accounts.AccountEvent;
const given = (type: accounts.AccountEvent['type'], data: unknown) => ACCOUNT_EVENTS.decode({ type, schemaVersion: 1, data }) as accounts.AccountEvent;
/** The placement later events are folded onto: the example this pact's AccountPlaced hands over. */
const placed = given('AccountPlaced', reify(placedBody));

function expectsToReceive(description: string, state: string, type: accounts.AccountEvent['type'], body: Record<string, unknown>) {
  return pact
    .addAsynchronousInteraction()
    .given(state)
    .expectsToReceive(description, (message) =>
      message.withMetadata(eventHeaders({ type, schemaVersion: 1, streamId: `account-${accountId}`, caseId: accountId, actorId: 'supervisor-2' })).withJSONContent(body),
    );
}

describe('contact-attempts folds the debtor profile from accounts’ events', () => {
  it('AccountPlaced: the debtor, where they live, and how to reach them', () =>
    expectsToReceive(ACCOUNT_PLACED.description, ACCOUNT_PLACED.state, 'AccountPlaced', placedBody).executeTest(async (message) => {
      expect(debtorProfile([decoded(message)])).toEqual({
        accountId,
        debtorId,
        open: true,
        jurisdiction: 'US-IL',
        timeZone: 'America/Chicago',
        flags: {},
        phones: [cipher.phone],
        emails: [cipher.email],
        attorneyContact: undefined,
        erased: false,
      });
    }));

  it('AccountFlagged: a breathing space holds contact until its last day', () =>
    expectsToReceive('an AccountFlagged for a breathing space', 'an account in collection', 'AccountFlagged', {
      accountId: uuid(accountId),
      flag: 'breathing-space',
      reason: like('debt advice breathing space'),
      endsOn: calendarDate('2027-01-28'),
    }).executeTest(async (message) => {
      expect(debtorProfile([placed, decoded(message)])?.flags).toEqual({ 'breathing-space': { endsOn: '2027-01-28' } });
    }));

  it('AccountFlagged: an attorney, who is then the one to contact', () =>
    expectsToReceive('an AccountFlagged for an attorney', 'an account in collection', 'AccountFlagged', {
      accountId: uuid(accountId),
      flag: 'attorney-represented',
      reason: like('letter of representation received'),
      attorneyContact: encrypted(cipher.attorney),
    }).executeTest(async (message) => {
      expect(debtorProfile([placed, decoded(message)])).toMatchObject({ flags: { 'attorney-represented': {} }, attorneyContact: cipher.attorney });
    }));

  it('FlagCleared: the hold no longer applies', () =>
    expectsToReceive('a FlagCleared', 'an account in collection flagged cease-communication', 'FlagCleared', {
      accountId: uuid(accountId),
      flag: oneOf(accounts.FLAGS, 'cease-communication'),
      reason: like('debtor withdrew the request'),
    }).executeTest(async (message) => {
      const flagged = given('AccountFlagged', { accountId, flag: 'cease-communication', reason: 'debtor asked in writing' });
      expect(debtorProfile([placed, flagged])?.flags).toEqual({ 'cease-communication': {} });
      expect(debtorProfile([placed, flagged, decoded(message)])?.flags).toEqual({});
    }));

  it('ContactDetailsUpdated: the new numbers, addresses and time zone replace the old', () =>
    expectsToReceive('a ContactDetailsUpdated', 'an account in collection', 'ContactDetailsUpdated', {
      accountId: uuid(accountId),
      debtorId: uuid(debtorId),
      phones: eachLike({ number: encrypted(cipher.newPhone), kind: oneOf(accounts.PHONE_KINDS, 'home') }),
      emails: eachLike(encrypted(cipher.newEmail)),
      timeZone: like('America/New_York'),
      language: like('en'),
    }).executeTest(async (message) => {
      expect(debtorProfile([placed, decoded(message)])).toMatchObject({ timeZone: 'America/New_York', phones: [cipher.newPhone], emails: [cipher.newEmail] });
    }));

  it('AccountClosed: a closed account is not contacted', () =>
    expectsToReceive('an AccountClosed', 'an account in collection', 'AccountClosed', {
      accountId: uuid(accountId),
      reason: oneOf(accounts.CLOSE_REASONS, 'returned-to-creditor'),
      balanceAtClose: balance(),
      creditAtClose: integer(0),
    }).executeTest(async (message) => {
      expect(debtorProfile([placed, decoded(message)])?.open).toBe(false);
    }));

  it('DebtorDataErased: an erased debtor is not contacted', () =>
    expectsToReceive('a DebtorDataErased', 'a closed account', 'DebtorDataErased', {
      accountId: uuid(accountId),
      debtorId: uuid(debtorId),
      reason: like('erasure requested by the debtor'),
    }).executeTest(async (message) => {
      expect(debtorProfile([placed, decoded(message)])?.erased).toBe(true);
    }));
});
