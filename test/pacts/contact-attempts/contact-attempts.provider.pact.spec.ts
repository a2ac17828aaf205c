/**
 * contact-attempts verifies every consumer's pact with it against the events it really makes: each message is a
 * command run through the service's command side as the service runs it (the contact catalog's parse, then
 * ContactCommands: the debtor's profile folded from the account's events, targets and notes sealed under the
 * debtor's key, load → decide → append with the contact decider and the compliance engine under its default
 * configuration) over an in-memory store, read back and published as the relay publishes it. A change to what the
 * compliance engine or the contact rules decide that breaks a consumer fails here.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CommandCatalog, contactAttempts, type Role } from '@arrears/contracts';
import { DEFAULT_COMPLIANCE_CONFIG } from '@arrears/contact-attempts/src/compliance';
import { complianceRules } from '@arrears/contact-attempts/src/contact/compliance-rules';
import { ContactCommands } from '@arrears/contact-attempts/src/contact/contact-commands';
import { targetKeySecret } from '@arrears/contact-attempts/src/contact/targets';
import { InMemoryEventStore } from '@arrears/event-store';
import { InMemoryKeyProvider, PersonalDataVault } from '@arrears/security';
import { accountPlaced } from '@arrears/testing';
import { publishedMessage, verifyProvider } from '../event-messages';

const COMMANDS = new CommandCatalog(contactAttempts.CONTACT_COMMANDS);
const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const debtorId = '0b8a9a7e-3c4d-4e5f-8a9b-1c2d3e4f5a6b';
const callId = '44444444-4444-4444-8444-444444444444';
const PHONE = '+1 (312) 555-0199';
const collector = { id: 'collector-7', role: 'collector' } as const;

type CommandType = contactAttempts.ContactCommand['type'];

/** One debtor's world: a fresh store, keys and target secret for every provider state. */
class ContactProvider {
  readonly store = new InMemoryEventStore();
  private readonly vault = new PersonalDataVault(new InMemoryKeyProvider());
  private readonly commands = new ContactCommands(this.store, this.vault, complianceRules(DEFAULT_COMPLIANCE_CONFIG), targetKeySecret(randomBytes(32)));

  /**
   * The account as the accounts service stored it (in Illinois, Chicago time), its personal data sealed under the
   * debtor's key in the vault contact-attempts reads it with: the compliance engine judges the debtor from it.
   */
  async placeAccount(): Promise<void> {
    const placed = accountPlaced(accountId, {
      debtorId,
      name: await this.vault.encrypt(debtorId, 'name', 'Wilhelmina Quartzfield'),
      phones: [{ number: await this.vault.encrypt(debtorId, 'phone', PHONE), kind: 'mobile' }],
    });
    await this.store.appendToStream(`account-${accountId}`, [placed], { expectedVersion: 'no_stream' });
  }

  send(type: CommandType, data: Record<string, unknown>, now: string, actor: { id: string; role: Role } = collector) {
    const command = COMMANDS.parse({
      commandId: randomUUID(),
      type,
      schemaVersion: 1,
      data: { accountId, ...data },
      metadata: { correlationId: randomUUID(), caseId: accountId, actorId: actor.id, actorRole: actor.role, now },
    });
    return this.commands.handle(command);
  }

  /** Runs the command and publishes the event of `type` it decided. */
  async publish(type: CommandType, data: Record<string, unknown>, now: string, event: contactAttempts.ContactEvent['type']) {
    return publishedMessage(this.store, await this.send(type, data, now), event);
  }
}

let provider = new ContactProvider();

async function inCollection(): Promise<void> {
  provider = new ContactProvider();
  await provider.placeAccount();
}

describe('contact-attempts, as a message provider', () => {
  it('publishes what each consumer’s pact expects', () =>
    verifyProvider({
      provider: 'contact-attempts',
      consumers: ['case-workflow'],
      stateHandlers: {
        'an account in collection': inCollection,
        // A call to the number on file, at 10:00 in Chicago on a Wednesday: the compliance engine allows it.
        'an allowed call to the debtor': async () => {
          await inCollection();
          await provider.send('RequestContact', { contactId: callId, channel: 'call', target: { kind: 'phone', value: PHONE }, intendedAt: '2026-12-02T16:00:00.000Z' }, '2026-12-02T15:58:00.000Z');
        },
      },
      messageProviders: {
        'an AttemptOutcomeRecorded for a right-party contact': () =>
          provider.publish(
            'RecordAttemptOutcome',
            { contactId: callId, outcome: 'right-party-contact', durationSeconds: 240, notes: 'Debtor confirmed who they are and asked about a payment plan.' },
            '2026-12-02T16:04:00.000Z',
            'AttemptOutcomeRecorded',
          ),
        // The notice of what happens next, by letter to the address the creditor holds.
        'a ContactAllowed for a final notice': () =>
          provider.publish(
            'RequestContact',
            {
              contactId: '55555555-5555-4555-8555-555555555555',
              channel: 'letter',
              target: { kind: 'address', value: '12 Orchard Lane, Springfield, IL 62704' },
              purpose: 'final-notice',
              intendedAt: '2026-12-03T09:00:00.000Z',
            },
            '2026-12-02T15:00:00.000Z',
            'ContactAllowed',
          ),
      },
    }));
});
