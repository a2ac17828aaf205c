/**
 * case-workflow's pact with contact-attempts: what came of a contact, and a final notice allowed to go out
 * (signals.ts → readEvent). A contact record is the debtor's (`contact-<debtorId>`); the case is the account, which
 * the saga reads from the body. Each body is the whole event, because readEvent decodes it through the contact
 * catalog, which checks every field; what the saga reads — the account, the outcome, the purpose — is pinned (the
 * outcome and the purpose to the very value these interactions are about), the rest by type, the debtor's personal
 * data as ciphertext.
 */
import { contactAttempts } from '@arrears/contracts';
import { MatchersV3 } from '@pact-foundation/pact';
import { consumerPact, encrypted, eventHeaders, exampleCiphertext, uuid } from '../event-messages';
import { readsAs, signal } from './readings';

const { eachLike, integer, like } = MatchersV3;

const pact = consumerPact('case-workflow', 'contact-attempts');

const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const debtorId = '0b8a9a7e-3c4d-4e5f-8a9b-1c2d3e4f5a6b';
const headers = (type: contactAttempts.ContactEvent['type']) =>
  eventHeaders({ type, schemaVersion: 1, streamId: `contact-${debtorId}`, caseId: accountId, actorId: 'collector-7' });

describe('case-workflow reads contact-attempts’ events into the case', () => {
  it('AttemptOutcomeRecorded: a right-party contact is the contact stage’s goal', () =>
    readsAs(
      pact,
      {
        state: 'an allowed call to the debtor',
        description: 'an AttemptOutcomeRecorded for a right-party contact',
        headers: headers('AttemptOutcomeRecorded'),
        body: {
          contactId: like('44444444-4444-4444-8444-444444444444'),
          accountId: uuid(accountId),
          debtorId: like(debtorId),
          outcome: 'right-party-contact',
          conversation: like(true),
          connected: like(true),
          durationSeconds: integer(240),
          notes: encrypted(exampleCiphertext('notes')),
          endedAt: like('2026-12-02T16:04:00.000Z'),
        },
      },
      signal(accountId, 'right-party-contact', { note: 'right-party-contact' }),
    ));

  it('ContactAllowed for a final notice: the legal-consequences notice has gone out', () =>
    readsAs(
      pact,
      {
        state: 'an account in collection',
        description: 'a ContactAllowed for a final notice',
        headers: headers('ContactAllowed'),
        body: {
          contactId: like('55555555-5555-4555-8555-555555555555'),
          accountId: uuid(accountId),
          debtorId: like(debtorId),
          channel: like('letter'),
          target: { kind: like('address'), value: encrypted(exampleCiphertext('address')), key: like('b'.repeat(64)) },
          purpose: 'final-notice',
          operatorId: like('collector-7'),
          intendedAt: like('2026-12-03T09:00:00.000Z'),
          rulePack: like('reg-f'),
          jurisdiction: like('US-IL'),
          timeZones: eachLike('America/Chicago'),
          reasons: eachLike({ ruleId: like('info.rule-pack'), message: like('Judged under reg-f, US Regulation F, for jurisdiction US-IL.') }),
        },
      },
      signal(accountId, 'final-notice-sent'),
    ));
});
