import { accounts } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import type { AccountStanding } from './domain/commands';

/**
 * What the plan rules need of the account — open or closed, currency, balance, flags — folded from the account's
 * own events at the moment a plan is proposed or accepted (the accounts service owns them; this only reads).
 */
export async function accountStanding(store: EventStore, accountId: string): Promise<AccountStanding> {
  return accounts.accountStanding(await store.readStream(`account-${accountId}`));
}
