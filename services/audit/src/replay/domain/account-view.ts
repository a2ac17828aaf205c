import { accounts, type EventEnvelope } from '@arrears/contracts';
import { unreachable } from './decode';

export interface BalanceView {
  readonly principal: number;
  readonly fees: number;
  readonly interest: number;
  readonly total: number;
}

/** The debtor's account as the accounts service's events tell it; amounts in minor units of `currency`. */
export interface AccountView {
  readonly status: 'unplaced' | 'open' | 'closed';
  /** Business time of the placement. */
  readonly placedAt: string | null;
  readonly creditor: string | null;
  readonly creditorReference: string | null;
  readonly product: accounts.Product | null;
  readonly currency: string | null;
  readonly dueDate: string | null;
  readonly balance: BalanceView | null;
  readonly credit: number;
  readonly payments: { readonly count: number; readonly total: number };
  readonly waived: { readonly fees: number; readonly interest: number };
  readonly interestFrozen: boolean;
  /** In the contracts' order (`FLAGS`), each once. */
  readonly flags: readonly accounts.Flag[];
  readonly bucket: accounts.AgingBucket | null;
  readonly daysPastDue: number | null;
  readonly tier: accounts.RiskTier | null;
  readonly riskScore: number | null;
  readonly brokenPromises: number;
  readonly closeReason: accounts.CloseReason | null;
  readonly closedAt: string | null;
  /** Whether the debtor's personal fields can still be opened by someone with the key: never here, where they are only shown as [encrypted]. */
  readonly personalData: 'none' | 'encrypted' | 'erased';
}

export function initialAccount(): AccountView {
  return {
    status: 'unplaced',
    placedAt: null,
    creditor: null,
    creditorReference: null,
    product: null,
    currency: null,
    dueDate: null,
    balance: null,
    credit: 0,
    payments: { count: 0, total: 0 },
    waived: { fees: 0, interest: 0 },
    interestFrozen: false,
    flags: [],
    bucket: null,
    daysPastDue: null,
    tier: null,
    riskScore: null,
    brokenPromises: 0,
    closeReason: null,
    closedAt: null,
    personalData: 'none',
  };
}

const balanceView = (balance: accounts.Balance): BalanceView => ({ ...balance, total: balance.principal + balance.fees + balance.interest });
const withFlags = (flags: ReadonlySet<accounts.Flag>): accounts.Flag[] => accounts.FLAGS.filter((flag) => flags.has(flag));

export function evolveAccount(view: AccountView, event: accounts.AccountEvent, envelope: EventEnvelope): AccountView {
  switch (event.type) {
    case 'AccountPlaced': {
      const { creditor, creditorReference, product, currency, dueDate, balance } = event.data;
      return { ...view, status: 'open', placedAt: envelope.occurredAt, creditor: creditor.name, creditorReference, product, currency, dueDate, balance: balanceView(balance), personalData: 'encrypted' };
    }
    case 'PaymentPosted':
      return {
        ...view,
        balance: balanceView(event.data.balanceAfter),
        credit: event.data.creditAfter,
        payments: { count: view.payments.count + 1, total: view.payments.total + event.data.amount.minor },
      };
    case 'BalanceAdjusted': {
      const { kind, amount, balanceAfter, interestFrozen } = event.data;
      const waived = {
        fees: view.waived.fees + (kind === 'fee-waiver' ? amount.minor : 0),
        interest: view.waived.interest + (kind === 'interest-waiver' ? amount.minor : 0),
      };
      return { ...view, balance: balanceView(balanceAfter), interestFrozen, waived };
    }
    case 'AccountFlagged':
      return { ...view, flags: withFlags(new Set([...view.flags, event.data.flag])) };
    case 'FlagCleared':
      return { ...view, flags: view.flags.filter((flag) => flag !== event.data.flag) };
    case 'AccountClosed':
      return { ...view, status: 'closed', closeReason: event.data.reason, closedAt: envelope.occurredAt, balance: balanceView(event.data.balanceAtClose), credit: event.data.creditAtClose };
    case 'DebtorDataErased':
      return { ...view, personalData: 'erased' };
    case 'AgingBucketChanged':
      return { ...view, bucket: event.data.to, daysPastDue: event.data.daysPastDue };
    case 'RiskTierChanged':
      return { ...view, tier: event.data.to, riskScore: event.data.score };
    case 'BrokenPromiseNoted':
      return { ...view, brokenPromises: view.brokenPromises + 1 };
    case 'ContactDetailsUpdated':
      return view; // ciphertexts only: nothing an auditor reads here changes
    default:
      return unreachable(event);
  }
}
