import { accounts, ArrearsError, ErrorCode, EventCatalog, type CommandEnvelope } from '@arrears/contracts';
import { handleCommand, type CommandOutcome, type EventStore } from '@arrears/event-store';
import type { PersonalDataVault } from '@arrears/security';
import { evolve, initialState, type AccountEvent, type AccountState } from './domain/account';
import { accountDecider } from './domain/decide';
import type { AccountsPolicy } from './domain/policy';
import { sealCommand, type PlainAccountCommand } from './sealing';

export const ACCOUNT_EVENT_CATALOG = new EventCatalog(accounts.ACCOUNT_EVENTS);

export function accountStream(accountId: string): string {
  return `account-${accountId}`;
}

/**
 * The accounts service's command side: seal the personal data, then load → decide → append for the account's
 * stream. An account's case id is its account id: every event of the account carries it, whatever the caller sent.
 */
/** What the command side asks of the read side before erasing: a debtor's key is shared by all their accounts. */
export interface DebtorAccounts {
  openAccountsOfDebtor(debtorId: string, exceptAccountId: string): Promise<readonly string[]>;
}

export class AccountCommands {
  private readonly decide: ReturnType<typeof accountDecider>;

  constructor(
    private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    policy: AccountsPolicy,
    private readonly debtorAccounts?: DebtorAccounts,
  ) {
    this.decide = accountDecider(policy);
  }

  async handle(command: CommandEnvelope & accounts.AccountCommand): Promise<CommandOutcome> {
    const accountId = command.data.accountId;
    if (command.metadata.caseId !== undefined && command.metadata.caseId !== accountId) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `An account's case id is its account id (${accountId}), not ${command.metadata.caseId}`, { field: 'metadata.caseId' });
    }
    if (command.type === 'EraseDebtorData') await this.refuseWhileOtherAccountsOpen(accountId);
    const plain: PlainAccountCommand = { ...command, metadata: { ...command.metadata, caseId: accountId } };
    const sealed = await sealCommand(this.vault, plain, (id) => this.debtorOf(id));
    const outcome = await handleCommand(
      { store: this.store, streamId: accountStream(accountId), initialState, evolve, decide: this.decide, events: ACCOUNT_EVENT_CATALOG },
      sealed,
    );
    // After the event is stored, so an erasure is never done without its record; a retried command (repeated) erases again.
    const erased = outcome.events.find((event) => event.type === 'DebtorDataErased');
    if (erased !== undefined) await this.vault.erase(String(erased.data['debtorId']));
    return outcome;
  }

  /** The account as its history folds up now. */
  async load(accountId: string): Promise<AccountState> {
    const history = await this.store.readStream(accountStream(accountId));
    return history.map((stored) => ACCOUNT_EVENT_CATALOG.decode(stored) as AccountEvent).reduce(evolve, initialState());
  }

  /**
   * Erasing deletes the debtor's key, and with it the personal data of every account of theirs: refused while
   * another of their accounts is still in collection (as the read model knows it; it may lag by moments).
   */
  private async refuseWhileOtherAccountsOpen(accountId: string): Promise<void> {
    if (this.debtorAccounts === undefined) return;
    const state = await this.load(accountId);
    if (state.status === 'unplaced' || state.erased) return;
    const open = await this.debtorAccounts.openAccountsOfDebtor(state.debtorId, accountId);
    if (open.length > 0) {
      throw new ArrearsError(ErrorCode.STATE_CONFLICT, `The debtor has other accounts in collection (${open.join(', ')}): erasing would erase their personal data too`, {
        field: 'accountId',
        details: { openAccounts: open },
      });
    }
  }

  private async debtorOf(accountId: string): Promise<string> {
    const state = await this.load(accountId);
    if (state.status === 'unplaced') throw new ArrearsError(ErrorCode.NOT_FOUND, `Account ${accountId} has not been placed`, { field: 'accountId' });
    return state.debtorId;
  }
}
