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
/** When a command is sent and by whom: a supervisor at NOW unless said otherwise. */
interface Sent {
  readonly now?: string;
  readonly actor?: { readonly id: string; readonly role: 'supervisor' | 'system' };
}
/** What accounts sends itself: the daily review, and a broken promise noted from promises-to-pay's event. */
const SYSTEM = { id: 'system:accounts', role: 'system' } as const;

/** One account's world: a fresh store and keys for every provider state. */
class AccountsProvider {
  readonly store = new InMemoryEventStore();
  private readonly commands = new AccountCommands(this.store, new PersonalDataVault(new InMemoryKeyProvider()), DEFAULT_ACCOUNTS_POLICY);

  send(type: CommandType, data: Record<string, unknown>, { now = NOW, actor = { id: 'supervisor-2', role: 'supervisor' } }: Sent = {}) {
    const command = COMMANDS.parse({
      commandId: randomUUID(),
      type,
      schemaVersion: 1,
      data: { accountId, ...data },
      metadata: { correlationId: randomUUID(), actorId: actor.id, actorRole: actor.role, now },
    });
    return this.commands.handle(command);
  }

  /** Runs the command and publishes the event of `type` it decided. */
  async publish(type: CommandType, data: Record<string, unknown>, event: accounts.AccountEvent['type'], sent?: Sent) {
    return publishedMessage(this.store, await this.send(type, data, sent), event);
  }
}

let provider = new AccountsProvider();

/** Placed at NOW 40 days past due (bucket 31-90), 850.00 owed on a credit card: risk medium (score 35). */
async function inCollection(): Promise<void> {
  provider = new AccountsProvider();
  await provider.send('PlaceAccount', plainPlacement(accountId, debtorId));
}

/** promises-to-pay's PromiseBroken, as accounts notes it against the account: 10 risk points each. */
const brokenPromise = (promiseId: string) => ['NoteBrokenPromise', { promiseId, dueDate: '2026-11-28' }] as const;

describe('accounts, as a message provider', () => {
  it('publishes what each consumer’s pact expects', () =>
    verifyProvider({
      provider: 'accounts',
      consumers: ['promises-to-pay', 'contact-attempts', 'payment-plans', 'case-workflow'],
      stateHandlers: {
        'no account yet': async () => {
          provider = new AccountsProvider();
        },
        'an account in collection': inCollection,
        'an account in collection flagged cease-communication': async () => {
          await inCollection();
          await provider.send('FlagAccount', { flag: 'cease-communication', reason: 'debtor asked in writing' });
        },
        // Two broken promises (score 55): a third makes the account high risk (65).
        'an account in collection with two broken promises': async () => {
          await inCollection();
          await provider.send(...brokenPromise('21111111-1111-4111-8111-111111111111'), { actor: SYSTEM });
          await provider.send(...brokenPromise('22222222-2222-4222-8222-222222222222'), { actor: SYSTEM });
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
        // The daily review, 94 days past due: the account moves into 90+ (its risk stays medium).
        'an AgingBucketChanged': () => provider.publish('ReviewAccount', {}, 'AgingBucketChanged', { now: '2027-01-25T02:00:00.000Z', actor: SYSTEM }),
        'a RiskTierChanged': () => provider.publish(...brokenPromise('23333333-3333-4333-8333-333333333333'), 'RiskTierChanged', { actor: SYSTEM }),
        'an AccountClosed': () => provider.publish('CloseAccount', { reason: 'returned-to-creditor' }, 'AccountClosed'),
        'a DebtorDataErased': () => provider.publish('EraseDebtorData', { reason: 'erasure requested by the debtor' }, 'DebtorDataErased'),
      },
    }));
});
