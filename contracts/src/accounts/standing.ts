import { EventCatalog } from '../catalog';
import type { Balance, Flag } from './account';
import { ACCOUNT_EVENTS } from './events';

const CATALOG = new EventCatalog(ACCOUNT_EVENTS);

/** What other services' rules read of an account: placed and open or closed, its currency, balance and flags. */
export interface AccountStanding {
  readonly status: 'unplaced' | 'open' | 'closed';
  readonly currency?: string;
  readonly balance?: Balance;
  readonly flags: readonly Flag[];
}

/**
 * The account's standing folded from its own events (the `account-<id>` stream, any schema version): the accounts
 * service owns the events, every other service reads them this one way.
 */
export function accountStanding(events: Iterable<{ readonly type: string; readonly schemaVersion: number; readonly data: unknown }>): AccountStanding {
  let standing: AccountStanding = { status: 'unplaced', flags: [] };
  for (const stored of events) {
    if (!CATALOG.has(stored.type)) continue;
    const event = CATALOG.decode(stored);
    switch (event.type) {
      case 'AccountPlaced':
        standing = { status: 'open', currency: event.data.currency, balance: event.data.balance, flags: [] };
        break;
      case 'PaymentPosted':
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
