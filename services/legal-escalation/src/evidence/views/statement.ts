import type { accounts } from '@arrears/contracts';
import { balanceView, type BalanceView } from './money';
import { ENCRYPTED, sourceOf, type DecodedEvent, type Source } from './decode';

type AccountEventOf<T extends accounts.AccountEvent['type']> = Extract<accounts.AccountEvent, { type: T }>;

export interface PaymentLine extends Source {
  readonly kind: 'payment';
  readonly paymentReference: string;
  readonly receivedOn: string;
  readonly channel: string;
  readonly amount: number;
  readonly allocation: AccountEventOf<'PaymentPosted'>['data']['allocation'];
  readonly balanceAfter: BalanceView;
  readonly creditAfter: number;
}

export interface AdjustmentLine extends Source {
  readonly kind: 'adjustment';
  readonly adjustment: accounts.AdjustmentKind;
  readonly amount: number;
  readonly reason: string;
  readonly approvedBy: string;
  readonly balanceAfter: BalanceView;
  readonly interestFrozen: boolean;
}

export type StatementLine = PaymentLine | AdjustmentLine;

/** The debtor as the placement names them: ids and settings in clear, every personal field as ENCRYPTED. */
export interface DebtorView {
  readonly debtorId: string;
  readonly name: string;
  readonly nationalId: string | null;
  readonly phones: number;
  readonly emails: number;
  readonly postalAddress: string | null;
  readonly jurisdiction: string;
  readonly language: string;
  readonly timeZone: string | null;
}

/**
 * The account statement: how the balance came to be what it is, from the account's own events. Amounts are
 * integer minor units of `currency`; every line names the event it comes from.
 */
export interface Statement {
  readonly accountId: string;
  readonly currency: string | null;
  readonly creditor: { readonly creditorId: string; readonly name: string } | null;
  readonly creditorReference: string | null;
  readonly product: string | null;
  readonly dueDate: string | null;
  readonly debtor: DebtorView | null;
  readonly placement: (Source & { readonly balance: BalanceView }) | null;
  readonly lines: readonly StatementLine[];
  readonly closing: (Source & { readonly reason: string; readonly note: string | null; readonly balance: BalanceView; readonly credit: number }) | null;
  /** After the last event: the balance and any credit held. */
  readonly current: { readonly balance: BalanceView; readonly credit: number } | null;
  readonly totals: { readonly paid: number; readonly waived: number; readonly payments: number };
  /** Set when the debtor's personal data was erased: every personal field reads as erased to a key holder too. */
  readonly debtorDataErased: Source | null;
}

export function statementOf(history: readonly DecodedEvent[], accountId: string): Statement {
  let statement: Statement = {
    accountId,
    currency: null,
    creditor: null,
    creditorReference: null,
    product: null,
    dueDate: null,
    debtor: null,
    placement: null,
    lines: [],
    closing: null,
    current: null,
    totals: { paid: 0, waived: 0, payments: 0 },
    debtorDataErased: null,
  };
  for (const decoded of history) {
    if (decoded.envelope.streamId !== `account-${accountId}`) continue;
    const { event } = decoded;
    switch (event.type) {
      case 'AccountPlaced': {
        const { data } = event;
        const balance = balanceView(data.balance);
        statement = {
          ...statement,
          currency: data.currency,
          creditor: { creditorId: data.creditor.creditorId, name: data.creditor.name },
          creditorReference: data.creditorReference,
          product: data.product,
          dueDate: data.dueDate,
          debtor: {
            debtorId: data.debtor.debtorId,
            name: ENCRYPTED,
            nationalId: data.debtor.nationalId === undefined ? null : ENCRYPTED,
            phones: data.debtor.phones.length,
            emails: data.debtor.emails.length,
            postalAddress: data.debtor.postalAddress === undefined ? null : ENCRYPTED,
            jurisdiction: data.debtor.jurisdiction,
            language: data.debtor.language,
            timeZone: data.debtor.timeZone ?? null,
          },
          placement: { ...sourceOf(decoded), balance },
          current: { balance, credit: 0 },
        };
        break;
      }
      case 'PaymentPosted': {
        const { data } = event;
        const line: PaymentLine = {
          kind: 'payment',
          ...sourceOf(decoded),
          paymentReference: data.paymentReference,
          receivedOn: data.receivedOn,
          channel: data.channel,
          amount: data.amount.minor,
          allocation: data.allocation,
          balanceAfter: balanceView(data.balanceAfter),
          creditAfter: data.creditAfter,
        };
        const { totals } = statement;
        statement = {
          ...statement,
          lines: [...statement.lines, line],
          current: { balance: line.balanceAfter, credit: data.creditAfter },
          totals: { ...totals, paid: totals.paid + data.amount.minor, payments: totals.payments + 1 },
        };
        break;
      }
      case 'BalanceAdjusted': {
        const { data } = event;
        const line: AdjustmentLine = {
          kind: 'adjustment',
          ...sourceOf(decoded),
          adjustment: data.kind,
          amount: data.amount.minor,
          reason: data.reason,
          approvedBy: data.approvedBy,
          balanceAfter: balanceView(data.balanceAfter),
          interestFrozen: data.interestFrozen,
        };
        statement = {
          ...statement,
          lines: [...statement.lines, line],
          current: { balance: line.balanceAfter, credit: statement.current?.credit ?? 0 },
          totals: { ...statement.totals, waived: statement.totals.waived + data.amount.minor },
        };
        break;
      }
      case 'AccountClosed': {
        const { data } = event;
        const balance = balanceView(data.balanceAtClose);
        statement = {
          ...statement,
          closing: { ...sourceOf(decoded), reason: data.reason, note: data.note ?? null, balance, credit: data.creditAtClose },
          current: { balance, credit: data.creditAtClose },
        };
        break;
      }
      case 'DebtorDataErased':
        statement = { ...statement, debtorDataErased: sourceOf(decoded) };
        break;
      default:
        break;
    }
  }
  return statement;
}
