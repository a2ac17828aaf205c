import type { accounts } from '@arrears/contracts';

type Balance = accounts.Balance;
type Flag = accounts.Flag;

/** One of this aggregate's events, in the current schema (what `decide` returns and `evolve` folds). */
export type AccountEvent = accounts.AccountEvent;
export type AccountEventOf<Type extends AccountEvent['type']> = Extract<AccountEvent, { type: Type }>;
type Data<Type extends AccountEvent['type']> = AccountEventOf<Type>['data'];

export interface PaymentSeen {
  readonly minor: number;
  readonly currency: string;
}

/** What an account is once placed, open or closed. */
export interface AccountFacts {
  readonly accountId: string;
  readonly debtorId: string;
  readonly product: accounts.Product;
  readonly currency: string;
  readonly balance: Balance;
  /** Paid beyond the balance, held for the debtor. */
  readonly credit: number;
  readonly dueDate: string;
  readonly allocationOrder: readonly accounts.BalancePart[];
  readonly interestFrozen: boolean;
  readonly flags: Readonly<Partial<Record<Flag, { readonly endsOn?: string }>>>;
  /** Every payment reference applied, with what it was for: a repeat of one changes nothing. */
  readonly payments: Readonly<Record<string, PaymentSeen>>;
  readonly lastPaymentOn: string | undefined;
  readonly brokenPromises: readonly string[];
  readonly bucket: accounts.AgingBucket | null;
  readonly tier: accounts.RiskTier | null;
  readonly erased: boolean;
  /** Undefined while unknown. */
  readonly timeZone: string | undefined;
  readonly language: string;
  readonly jurisdiction: string;
}

export type AccountState =
  | { readonly status: 'unplaced' }
  | ({ readonly status: 'open' } & AccountFacts)
  | ({ readonly status: 'closed'; readonly closeReason: accounts.CloseReason } & AccountFacts);

export type PlacedAccount = Exclude<AccountState, { status: 'unplaced' }>;

export function initialState(): AccountState {
  return { status: 'unplaced' };
}

export function totalOf(balance: Balance): number {
  return balance.principal + balance.fees + balance.interest;
}

export function evolve(state: AccountState, event: AccountEvent): AccountState {
  if (event.type === 'AccountPlaced') return placed(event.data);
  if (state.status === 'unplaced') return state; // nothing but a placement starts an account
  switch (event.type) {
    case 'PaymentPosted':
      return {
        ...state,
        balance: event.data.balanceAfter,
        credit: event.data.creditAfter,
        payments: { ...state.payments, [event.data.paymentReference]: { minor: event.data.amount.minor, currency: event.data.amount.currency } },
        lastPaymentOn: event.data.receivedOn,
      };
    case 'BalanceAdjusted':
      return { ...state, balance: event.data.balanceAfter, interestFrozen: event.data.interestFrozen };
    case 'AccountFlagged':
      return { ...state, flags: { ...state.flags, [event.data.flag]: event.data.endsOn === undefined ? {} : { endsOn: event.data.endsOn } } };
    case 'FlagCleared': {
      const { [event.data.flag]: _cleared, ...flags } = state.flags;
      return { ...state, flags };
    }
    case 'ContactDetailsUpdated':
      // The personal details themselves are not needed to decide anything here.
      return { ...state, timeZone: event.data.timeZone, language: event.data.language };
    case 'AccountClosed':
      return { ...state, status: 'closed', closeReason: event.data.reason };
    case 'DebtorDataErased':
      return { ...state, erased: true };
    case 'AgingBucketChanged':
      return { ...state, bucket: event.data.to };
    case 'RiskTierChanged':
      return { ...state, tier: event.data.to };
    case 'BrokenPromiseNoted':
      return { ...state, brokenPromises: [...state.brokenPromises, event.data.promiseId] };
    default:
      return unreachable(event);
  }
}

function placed(data: Data<'AccountPlaced'>): AccountState {
  return {
    status: 'open',
    accountId: data.accountId,
    debtorId: data.debtor.debtorId,
    product: data.product,
    currency: data.currency,
    balance: data.balance,
    credit: 0,
    dueDate: data.dueDate,
    allocationOrder: data.allocationOrder,
    interestFrozen: false,
    flags: {},
    payments: {},
    lastPaymentOn: undefined,
    brokenPromises: [],
    bucket: null,
    tier: null,
    erased: false,
    timeZone: data.debtor.timeZone,
    language: data.debtor.language,
    jurisdiction: data.debtor.jurisdiction,
  };
}

export function unreachable(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}
