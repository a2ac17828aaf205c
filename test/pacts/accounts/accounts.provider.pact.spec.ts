/**
 * accounts verifies every consumer's pact with it against the events it really makes: each message is a command
 * run through the accounts command side as the service runs it (parse, seal the personal data, load → decide →
 * append with the account decider and catalog) over an in-memory store, read back and published as the relay
 * publishes it. A change to what accounts decides or publishes that breaks a consumer fails here.
 */
import { randomUUID } from 'node:crypto';
import { accounts, CommandCatalog } from '@arrears/contracts';
import { InMemoryEventStore } from '@arrears/event-store';
import { InMemoryKeyProvider, PersonalDataVault } from '@arrears/security';
import { AccountCommands } from '@arrears/accounts/src/account/account-commands';
import { DEFAULT_ACCOUNTS_POLICY } from '@arrears/accounts/src/account/domain/policy';
import { plainPlacement } from '@arrears/accounts/src/testing/plain-debtor';
import { publishedMessage, verifyProvider } from '../event-messages';

const COMMANDS = new CommandCatalog(accounts.ACCOUNT_COMMANDS);
const accountId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const debtorId = '0b8a9a7e-3c4d-4e5f-8a9b-1c2d3e4f5a6b';
const NOW = '2026-12-02T14:00:00.000Z';

type CommandType = accounts.AccountCommand['type'];

/** One account's world: a fresh store and keys for every provider state. */
class AccountsProvider {
  readonly store = new InMemoryEventStore();
  private readonly commands = new AccountCommands(this.store, new PersonalDataVault(new InMemoryKeyProvider()), DEFAULT_ACCOUNTS_POLICY);

  send(type: CommandType, data: Record<string, unknown>) {
    const command = COMMANDS.parse({
      commandId: randomUUID(),
      type,
      schemaVersion: 1,
      data: { accountId, ...data },
      metadata: { correlationId: randomUUID(), actorId: 'supervisor-2', actorRole: 'supervisor', now: NOW },
    });
    return this.commands.handle(command);
  }

  /** Runs the command and publishes the event of `type` it decided. */
  async publish(type: CommandType, data: Record<string, unknown>, event: accounts.AccountEvent['type']) {
    return publishedMessage(this.store, await this.send(type, data), event);
  }
}

let provider = new AccountsProvider();

async function inCollection(): Promise<void> {
  provider = new AccountsProvider();
  await provider.send('PlaceAccount', plainPlacement(accountId, debtorId));
}

describe('accounts, as a message provider', () => {
  it('publishes what each consumer’s pact expects', () =>
    verifyProvider({
      provider: 'accounts',
      consumers: ['promises-to-pay', 'contact-attempts', 'payment-plans'],
      stateHandlers: {
        'no account yet': async () => {
          provider = new AccountsProvider();
        },
        'an account in collection': inCollection,
        'an account in collection flagged cease-communication': async () => {
          await inCollection();
          await provider.send('FlagAccount', { flag: 'cease-communication', reason: 'debtor asked in writing' });
        },
        'a closed account': async () => {
          await inCollection();
          await provider.send('CloseAccount', { reason: 'returned-to-creditor' });
        },
      },
      messageProviders: {
        'an AccountPlaced': () => provider.publish('PlaceAccount', plainPlacement(accountId, debtorId), 'AccountPlaced'),
        'a PaymentPosted': () =>
          provider.publish('PostPayment', { paymentReference: 'BANK-20261202-0042', amount: { minor: 12_500, currency: 'USD' }, receivedOn: '2026-12-02', channel: 'card' }, 'PaymentPosted'),
        'an AccountFlagged for a breathing space': () =>
          provider.publish('FlagAccount', { flag: 'breathing-space', reason: 'debt advice breathing space', endsOn: '2027-01-28' }, 'AccountFlagged'),
        'an AccountFlagged for an attorney': () =>
          provider.publish('FlagAccount', { flag: 'attorney-represented', reason: 'letter of representation received', attorneyContact: 'J. Doe, Doe & Partners, +1 312 555 0100' }, 'AccountFlagged'),
        'a FlagCleared': () => provider.publish('ClearFlag', { flag: 'cease-communication', reason: 'debtor withdrew the request' }, 'FlagCleared'),
        'a ContactDetailsUpdated': () =>
          provider.publish(
            'UpdateContactDetails',
            { phones: [{ number: '+1 212 555 0147', kind: 'home' }], emails: ['w.q@example.org'], timeZone: 'America/New_York' },
            'ContactDetailsUpdated',
          ),
        'an AccountClosed': () => provider.publish('CloseAccount', { reason: 'returned-to-creditor' }, 'AccountClosed'),
        'a DebtorDataErased': () => provider.publish('EraseDebtorData', { reason: 'erasure requested by the debtor' }, 'DebtorDataErased'),
      },
    }));
});
