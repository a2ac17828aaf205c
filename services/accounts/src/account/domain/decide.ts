import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { evolve, totalOf, unreachable, type AccountEvent, type AccountState, type PlacedAccount } from './account';
import type { AccountCommandEnvelope } from './commands';
import { addDays, agingBucket, assessRisk, dayOf, daysBetween, daysPastDue } from './delinquency';
import type { AccountsPolicy } from './policy';

type Command<Type extends AccountCommandEnvelope['type']> = Extract<AccountCommandEnvelope, { type: Type }>;

/** The accounts rules under one policy: `decide(command, state)` → the new events, or a thrown ArrearsError. */
export function accountDecider(policy: AccountsPolicy): (command: AccountCommandEnvelope, state: AccountState) => AccountEvent[] {
  return (command, state) => {
    if (command.type === 'PlaceAccount') return place(command, state, policy);
    if (state.status === 'unplaced') throw new ArrearsError(ErrorCode.NOT_FOUND, `Account ${command.data.accountId} has not been placed`, { field: 'accountId' });
    switch (command.type) {
      case 'PostPayment':
        return postPayment(command, open(state, 'post a payment to'), policy);
      case 'AdjustBalance':
        return adjustBalance(command, open(state, 'adjust'), policy);
      case 'FlagAccount':
        return flag(command, state);
      case 'ClearFlag':
        return clearFlag(command, state);
      case 'UpdateContactDetails':
        return updateContactDetails(command, state);
      case 'CloseAccount':
        return close(command, open(state, 'close'));
      case 'EraseDebtorData':
        return erase(command, state);
      case 'ReviewAccount':
        return state.status === 'closed' ? [] : [...endedFlags(state, dayOf(command.metadata.now)), ...review(state, dayOf(command.metadata.now), policy)];
      case 'NoteBrokenPromise':
        return noteBrokenPromise(command, state, policy);
      case 'CloseOnCompletedPlan':
        return closeOnCompletedPlan(command, state);
      default:
        return unreachable(command);
    }
  };
}

function place(command: Command<'PlaceAccount'>, state: AccountState, policy: AccountsPolicy): AccountEvent[] {
  const { data } = command;
  if (state.status !== 'unplaced') throw conflict(`Account ${data.accountId} is already placed`, 'accountId');
  const today = dayOf(command.metadata.now);
  const dueDate = data.dueDate ?? addDays(today, -(data.daysPastDue ?? 0));
  if (data.dueDate !== undefined && daysBetween(today, data.dueDate) > 0) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `dueDate ${data.dueDate} is in the future: only delinquent accounts are placed`, { field: 'data.dueDate' });
  }
  const placedEvent: AccountEvent = {
    type: 'AccountPlaced',
    data: {
      accountId: data.accountId,
      creditor: data.creditor,
      creditorReference: data.creditorReference,
      product: data.product,
      currency: data.currency,
      balance: { principal: data.principal, fees: data.fees, interest: data.interest },
      dueDate,
      allocationOrder: [...(data.allocationOrder ?? policy.allocationOrder)],
      debtor: data.debtor,
    },
  };
  return withDerived(placedEvent, state, today, policy);
}

function postPayment(command: Command<'PostPayment'>, account: PlacedAccount, policy: AccountsPolicy): AccountEvent[] {
  const { data } = command;
  const seen = account.payments[data.paymentReference];
  if (seen !== undefined) {
    if (seen.minor === data.amount.minor && seen.currency === data.amount.currency) return []; // the same payment again
    throw new ArrearsError(
      ErrorCode.IDEMPOTENCY_CONFLICT,
      `Payment reference ${data.paymentReference} was already posted for ${seen.minor} ${seen.currency}, not ${data.amount.minor} ${data.amount.currency}`,
      { field: 'data.paymentReference' },
    );
  }
  positive(data.amount.minor, 'data.amount.minor');
  sameCurrency(account, data.amount.currency);
  let remaining = data.amount.minor;
  const balance = { ...account.balance };
  const allocation = { fees: 0, interest: 0, principal: 0, credit: 0 };
  for (const part of account.allocationOrder) {
    const applied = Math.min(remaining, balance[part]);
    balance[part] -= applied;
    allocation[part] = applied;
    remaining -= applied;
  }
  allocation.credit = remaining;
  const event: AccountEvent = {
    type: 'PaymentPosted',
    data: {
      accountId: account.accountId,
      paymentReference: data.paymentReference,
      amount: data.amount,
      receivedOn: data.receivedOn,
      channel: data.channel,
      allocation,
      balanceAfter: balance,
      creditAfter: account.credit + remaining,
    },
  };
  return withDerived(event, account, dayOf(command.metadata.now), policy);
}

function adjustBalance(command: Command<'AdjustBalance'>, account: PlacedAccount, policy: AccountsPolicy): AccountEvent[] {
  const { data, metadata } = command;
  const base = { accountId: account.accountId, reason: data.reason, approvedBy: data.approvedBy };
  if (data.kind === 'interest-freeze' || data.kind === 'interest-unfreeze') {
    if (!policy.freezeRoles.includes(metadata.actorRole)) {
      throw new ArrearsError(ErrorCode.FORBIDDEN, `A ${metadata.actorRole} may not freeze or unfreeze interest (allowed: ${policy.freezeRoles.join(', ')})`, { field: 'data.kind' });
    }
    const freezing = data.kind === 'interest-freeze';
    if (account.interestFrozen === freezing) throw conflict(`Interest is already ${freezing ? 'frozen' : 'running'}`, 'data.kind');
    return [{ type: 'BalanceAdjusted', data: { ...base, kind: data.kind, amount: { minor: 0, currency: account.currency }, balanceAfter: account.balance, interestFrozen: freezing } }];
  }
  const amount = data.amount;
  if (amount === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'A waiver needs an amount', { field: 'data.amount' });
  positive(amount.minor, 'data.amount.minor');
  sameCurrency(account, amount.currency);
  const limit = policy.waiverLimits[metadata.actorRole];
  if (limit === undefined || amount.minor > limit) {
    throw new ArrearsError(
      ErrorCode.FORBIDDEN,
      limit === undefined ? `A ${metadata.actorRole} may not waive` : `A ${metadata.actorRole} may waive at most ${limit} minor units at once; ${amount.minor} needs a higher role`,
      { field: 'data.amount.minor', details: { limit: limit ?? 0, role: metadata.actorRole } },
    );
  }
  const part = data.kind === 'fee-waiver' ? 'fees' : 'interest';
  if (amount.minor > account.balance[part]) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The waiver of ${amount.minor} is more than the ${part} owed (${account.balance[part]})`, { field: 'data.amount.minor' });
  }
  const balanceAfter = { ...account.balance, [part]: account.balance[part] - amount.minor };
  const event: AccountEvent = { type: 'BalanceAdjusted', data: { ...base, kind: data.kind, amount, balanceAfter, interestFrozen: account.interestFrozen } };
  return withDerived(event, account, dayOf(metadata.now), policy);
}

function flag(command: Command<'FlagAccount'>, account: PlacedAccount): AccountEvent[] {
  const { data } = command;
  if (account.flags[data.flag] !== undefined) throw conflict(`The account is already flagged ${data.flag}`, 'data.flag');
  if (data.endsOn !== undefined && daysBetween(dayOf(command.metadata.now), data.endsOn) < 0) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `endsOn ${data.endsOn} has already passed`, { field: 'data.endsOn' });
  }
  return [
    {
      type: 'AccountFlagged',
      data: {
        accountId: account.accountId,
        flag: data.flag,
        reason: data.reason,
        ...(data.endsOn === undefined ? {} : { endsOn: data.endsOn }),
        ...(data.attorneyContact === undefined ? {} : { attorneyContact: data.attorneyContact }),
      },
    },
  ];
}

function clearFlag(command: Command<'ClearFlag'>, account: PlacedAccount): AccountEvent[] {
  if (account.flags[command.data.flag] === undefined) throw conflict(`The account is not flagged ${command.data.flag}`, 'data.flag');
  return [{ type: 'FlagCleared', data: { accountId: account.accountId, flag: command.data.flag, reason: command.data.reason } }];
}

function updateContactDetails(command: Command<'UpdateContactDetails'>, account: PlacedAccount): AccountEvent[] {
  if (account.erased) throw conflict("The debtor's personal data was erased: no new personal data is kept for them", 'accountId');
  const { data } = command;
  return [
    {
      type: 'ContactDetailsUpdated',
      data: {
        accountId: account.accountId,
        debtorId: account.debtorId,
        phones: data.phones,
        emails: data.emails,
        ...(data.postalAddress === undefined ? {} : { postalAddress: data.postalAddress }),
        ...((data.timeZone ?? account.timeZone) === undefined ? {} : { timeZone: data.timeZone ?? account.timeZone }),
        language: data.language ?? account.language,
      },
    },
  ];
}

function close(command: Command<'CloseAccount'>, account: PlacedAccount): AccountEvent[] {
  const { data } = command;
  if (data.reason === 'paid-in-full' && totalOf(account.balance) > 0) {
    throw conflict(`The account still owes ${totalOf(account.balance)} ${account.currency}: it cannot be closed as paid in full`, 'data.reason');
  }
  return [
    {
      type: 'AccountClosed',
      data: { accountId: account.accountId, reason: data.reason, ...(data.note === undefined ? {} : { note: data.note }), balanceAtClose: account.balance, creditAtClose: account.credit },
    },
  ];
}

function erase(command: Command<'EraseDebtorData'>, account: PlacedAccount): AccountEvent[] {
  if (account.erased) return [];
  if (account.status !== 'closed') throw conflict('Personal data is kept while the account is in collection: close the account before erasing it', 'accountId');
  return [{ type: 'DebtorDataErased', data: { accountId: account.accountId, debtorId: account.debtorId, reason: command.data.reason } }];
}

function noteBrokenPromise(command: Command<'NoteBrokenPromise'>, account: PlacedAccount, policy: AccountsPolicy): AccountEvent[] {
  const { data } = command;
  if (account.brokenPromises.includes(data.promiseId)) return [];
  const event: AccountEvent = { type: 'BrokenPromiseNoted', data: { accountId: account.accountId, promiseId: data.promiseId, dueDate: data.dueDate } };
  return account.status === 'closed' ? [event] : withDerived(event, account, dayOf(command.metadata.now), policy);
}

/**
 * A completed plan closes the account as the plan says. A plan for the whole balance that leaves something owed
 * (a balance the plan did not cover) closes as settled, with what remained in the note: the creditor agreed to the
 * plan's total. An account already closed stays as it was closed.
 */
function closeOnCompletedPlan(command: Command<'CloseOnCompletedPlan'>, account: PlacedAccount): AccountEvent[] {
  if (account.status === 'closed') return [];
  const { planId, outcome } = command.data;
  const owed = totalOf(account.balance);
  const reason = outcome === 'paid-in-full' && owed > 0 ? 'settled' : outcome;
  const note = reason === outcome ? `Plan ${planId} completed` : `Plan ${planId} completed; ${owed} ${account.currency} left on the balance was not part of it`;
  return [{ type: 'AccountClosed', data: { accountId: account.accountId, reason, note, balanceAtClose: account.balance, creditAtClose: account.credit } }];
}

/** A breathing space ends after its last day: the review clears it, so holds end without anyone remembering to. */
function endedFlags(account: PlacedAccount, today: string): AccountEvent[] {
  const endsOn = account.flags['breathing-space']?.endsOn;
  if (endsOn === undefined || daysBetween(endsOn, today) <= 0) return [];
  return [{ type: 'FlagCleared', data: { accountId: account.accountId, flag: 'breathing-space', reason: `breathing space ended on ${endsOn}` } }];
}

/** The event, then the bucket and tier changes it (and the passing of time) brings about. */
function withDerived(event: AccountEvent, before: AccountState, today: string, policy: AccountsPolicy): AccountEvent[] {
  const after = applyOne(before, event);
  return [event, ...review(after, today, policy)];
}

function review(account: PlacedAccount, today: string, policy: AccountsPolicy): AccountEvent[] {
  const days = daysPastDue(account.dueDate, today);
  const bucket = agingBucket(days);
  const events: AccountEvent[] = [];
  if (bucket !== account.bucket) events.push({ type: 'AgingBucketChanged', data: { accountId: account.accountId, from: account.bucket, to: bucket, daysPastDue: days, asOf: today } });
  const risk = assessRisk(
    {
      totalBalance: totalOf(account.balance),
      bucket,
      product: account.product,
      brokenPromises: account.brokenPromises.length,
      daysSinceLastPayment: account.lastPaymentOn === undefined ? undefined : daysBetween(account.lastPaymentOn, today),
    },
    policy.risk,
  );
  if (risk.tier !== account.tier) {
    events.push({ type: 'RiskTierChanged', data: { accountId: account.accountId, from: account.tier, to: risk.tier, score: risk.score, factors: { ...risk.factors }, asOf: today } });
  }
  return events;
}

function applyOne(state: AccountState, event: AccountEvent): PlacedAccount {
  // The decision reasons about the state the event leads to, folded by the same evolve as every replay.
  const next = evolve(state, event);
  if (next.status === 'unplaced') throw new Error('An account event left the account unplaced');
  return next;
}

function open(state: PlacedAccount, action: string): Extract<PlacedAccount, { status: 'open' }> {
  if (state.status !== 'open') throw conflict(`The account is closed (${state.closeReason}): cannot ${action} it`, 'accountId');
  return state;
}

function sameCurrency(account: PlacedAccount, currency: string): void {
  if (currency !== account.currency) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The account is in ${account.currency}, not ${currency}`, { field: 'data.amount.currency' });
}

function positive(minor: number, field: string): void {
  if (!(minor > 0)) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The amount must be more than zero (got ${minor})`, { field });
}

function conflict(message: string, field: string): ArrearsError {
  return new ArrearsError(ErrorCode.STATE_CONFLICT, message, { field });
}

