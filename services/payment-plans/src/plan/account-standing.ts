import { accounts, EventCatalog } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import type { AccountStanding } from './domain/commands';

const ACCOUNT_EVENTS = new EventCatalog(accounts.ACCOUNT_EVENTS);

/**
 * What the plan rules need of the account — open or closed, currency, balance, flags — folded from the account's
 * own events at the moment a plan is proposed or accepted (the accounts service owns them; this only reads).
 */
export async function accountStanding(store: EventStore, accountId: string): Promise<AccountStanding> {
  let standing: AccountStanding = { status: 'unplaced', flags: [] };
  for (const stored of await store.readStream(`account-${accountId}`)) {
    const event = ACCOUNT_EVENTS.decode(stored);
    switch (event.type) {
      case 'AccountPlaced':
        standing = { status: 'open', currency: event.data.currency, balance: event.data.balance, flags: [] };
        break;
      case 'PaymentPosted':
        standing = { ...standing, balance: event.data.balanceAfter };
        break;
      case 'BalanceAdjusted':
        standing = { ...standing, balance: event.data.balanceAfter };
        break;
      case 'AccountFlagged':
        standing = { ...standing, flags: [...standing.flags.filter((flag) => flag !== event.data.flag), event.data.flag] };
        break;
      case 'FlagCleared':
        standing = { ...standing, flags: standing.flags.filter((flag) => flag !== event.data.flag) };
        break;
      case 'AccountClosed':
        standing = { ...standing, status: 'closed' };
        break;
      default:
        break;
    }
  }
  return standing;
}
