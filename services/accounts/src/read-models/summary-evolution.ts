import { accounts, ArrearsError, ERASED, ErrorCode, type EventOf, type Money } from '@arrears/contracts';
import type { AccountActivity, AccountSummary, FlagDetails } from './entities';
import { toSafeInteger } from '@arrears/read-models';
import type { MaskedContact, MaskedDebtor } from './personal-data';

/*
 * How one event changes an account's rows: pure functions of the current row and the (decoded, masked) event.
 * The projection does the I/O around them; the position guard has already decided that the event is the next one.
 */

export type AccountEvent = accounts.AccountEvent;
type Placed = EventOf<typeof accounts.AccountPlaced>;
export type LaterEvent = Exclude<AccountEvent, Placed>;

/** Where an event sits, from its envelope. */
export interface Applied {
  readonly eventId: string;
  readonly streamPosition: number;
  readonly occurredAt: Date;
}

export function placedSummary(data: Placed['data'], at: Applied, debtor: MaskedDebtor): AccountSummary {
  return {
    accountId: data.accountId,
    creditorId: data.creditor.creditorId,
    creditorName: data.creditor.name,
    creditorReference: data.creditorReference,
    product: data.product,
    currency: data.currency,
    ...balance(data.balance),
    credit: 0,
    interestFrozen: false,
    dueDate: data.dueDate,
    daysPastDue: null,
    daysPastDueAsOf: null,
    agingBucket: null,
    riskTier: null,
    riskScore: null,
    activeFlags: [],
    flagDetails: {},
    status: 'open',
    closeReason: null,
    closedAt: null,
    debtorId: data.debtor.debtorId,
    ...debtorColumns(debtor),
    jurisdiction: data.debtor.jurisdiction,
    timeZone: data.debtor.timeZone ?? null,
    language: data.debtor.language,
    placedAt: at.occurredAt,
    lastPaymentOn: null,
    lastPaymentAmount: null,
    brokenPromises: 0,
    updatedAt: at.occurredAt,
    lastAppliedPosition: at.streamPosition,
  };
}

/**
 * The row after `event`. `contact` is the masked form of a ContactDetailsUpdated's details; it is ignored once
 * the debtor is erased, so a later event can never bring personal data back.
 */
export function evolveSummary(current: AccountSummary, event: LaterEvent, at: Applied, contact: MaskedContact | null): AccountSummary {
  const next: AccountSummary = { ...current, updatedAt: at.occurredAt, lastAppliedPosition: at.streamPosition };
  switch (event.type) {
    case 'PaymentPosted':
      sameCurrency(current, event.data.amount, 'data.amount.currency');
      return {
        ...next,
        ...balance(event.data.balanceAfter),
        credit: event.data.creditAfter,
        lastPaymentOn: event.data.receivedOn,
        lastPaymentAmount: event.data.amount.minor,
      };
    case 'BalanceAdjusted':
      sameCurrency(current, event.data.amount, 'data.amount.currency');
      return { ...next, ...balance(event.data.balanceAfter), interestFrozen: event.data.interestFrozen };
    case 'AccountFlagged': {
      const detail = { since: at.occurredAt.toISOString(), ...(event.data.endsOn === undefined ? {} : { endsOn: event.data.endsOn }) };
      return withFlags(next, { ...current.flagDetails, [event.data.flag]: detail });
    }
    case 'FlagCleared': {
      const { [event.data.flag]: _cleared, ...rest } = current.flagDetails;
      return withFlags(next, rest);
    }
    case 'ContactDetailsUpdated': {
      // Once erased, always erased: no later event brings personal data back.
      const personal = current.erased ? {} : contactColumns(current, contact);
      return { ...next, ...personal, timeZone: event.data.timeZone ?? next.timeZone, language: event.data.language };
    }
    case 'AccountClosed':
      return {
        ...next,
        ...balance(event.data.balanceAtClose),
        credit: event.data.creditAtClose,
        status: 'closed',
        closeReason: event.data.reason,
        closedAt: at.occurredAt,
      };
    case 'DebtorDataErased':
      return { ...next, ...erasedSummary(current) };
    case 'AgingBucketChanged':
      return { ...next, agingBucket: event.data.to, daysPastDue: event.data.daysPastDue, daysPastDueAsOf: event.data.asOf };
    case 'RiskTierChanged':
      return { ...next, riskTier: event.data.to, riskScore: event.data.score };
    case 'BrokenPromiseNoted':
      return { ...next, brokenPromises: current.brokenPromises + 1 };
    default:
      return unhandled(event);
  }
}

/** The activity row of a payment or an adjustment (with the balance after it, `next`); null for other events. */
export function activityOf(next: AccountSummary, event: LaterEvent, at: Applied): AccountActivity | null {
  const common = {
    eventId: at.eventId,
    accountId: next.accountId,
    streamPosition: at.streamPosition,
    occurredAt: at.occurredAt,
    currency: next.currency,
    principalAfter: next.principal,
    feesAfter: next.fees,
    interestAfter: next.interest,
    totalAfter: next.total,
    creditAfter: next.credit,
  };
  switch (event.type) {
    case 'PaymentPosted':
      return {
        ...common,
        kind: 'payment',
        amount: event.data.amount.minor,
        paymentReference: event.data.paymentReference,
        receivedOn: event.data.receivedOn,
        channel: event.data.channel,
        allocation: { ...event.data.allocation },
        adjustmentKind: null,
        reason: null,
        approvedBy: null,
      };
    case 'BalanceAdjusted':
      return {
        ...common,
        kind: 'adjustment',
        amount: event.data.amount.minor,
        paymentReference: null,
        receivedOn: null,
        channel: null,
        allocation: null,
        adjustmentKind: event.data.kind,
        reason: event.data.reason,
        approvedBy: event.data.approvedBy,
      };
    default:
      return null;
  }
}

type PersonalColumns = Pick<AccountSummary, 'maskedName' | 'maskedPhone' | 'maskedEmail' | 'maskedNationalId' | 'maskedAddress' | 'erased'>;

/**
 * The personal columns of a summary once its debtor is erased — by the event, or because the vault already
 * reads them as erased (a replay after the erasure). A field the debtor never gave stays null: there is
 * nothing to show as erased.
 */
export function erasedSummary(current: PersonalColumns): PersonalColumns {
  const erase = (value: string | null) => (value === null ? null : ERASED);
  return {
    maskedName: ERASED,
    maskedPhone: erase(current.maskedPhone),
    maskedEmail: erase(current.maskedEmail),
    maskedNationalId: erase(current.maskedNationalId),
    maskedAddress: erase(current.maskedAddress),
    erased: true,
  };
}

function debtorColumns(debtor: MaskedDebtor): PersonalColumns {
  const columns = { maskedName: debtor.name, maskedPhone: debtor.phone, maskedEmail: debtor.email, maskedNationalId: debtor.nationalId, maskedAddress: debtor.address, erased: debtor.erased };
  return debtor.erased ? erasedSummary(columns) : columns;
}

function contactColumns(current: AccountSummary, contact: MaskedContact | null): PersonalColumns {
  if (contact === null) throw new Error('ContactDetailsUpdated needs its contact details masked before it is applied');
  const columns = {
    maskedName: current.maskedName,
    maskedNationalId: current.maskedNationalId,
    maskedPhone: contact.phone,
    maskedEmail: contact.email,
    maskedAddress: contact.address,
    erased: contact.erased,
  };
  return contact.erased ? erasedSummary(columns) : columns;
}

function balance(parts: accounts.Balance): Pick<AccountSummary, 'principal' | 'fees' | 'interest' | 'total'> {
  return { principal: parts.principal, fees: parts.fees, interest: parts.interest, total: toSafeInteger(parts.principal + parts.fees + parts.interest, 'total') };
}

function withFlags(next: AccountSummary, details: FlagDetails): AccountSummary {
  return { ...next, activeFlags: accounts.FLAGS.filter((flag) => details[flag] !== undefined), flagDetails: details };
}

/** Amounts of different currencies are never put in one column: an event that would do so is refused. */
function sameCurrency(current: AccountSummary, amount: Money, field: string): void {
  if (amount.currency !== current.currency) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Account ${current.accountId} is kept in ${current.currency}; an amount in ${amount.currency} cannot be applied to it`, {
      field,
    });
  }
}

function unhandled(event: never): never {
  throw new Error(`Unhandled account event ${(event as { type?: string }).type ?? String(event)}`);
}
