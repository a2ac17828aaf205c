import { ArrearsError, ErrorCode } from '@arrears/contracts';
import type { PromiseCommandEnvelope } from './commands';
import type { PromisePolicy } from './policy';
import { unreachable, type CasePromises, type OpenPromise, type PromiseEvent } from './promises';

type Command<Type extends PromiseCommandEnvelope['type']> = Extract<PromiseCommandEnvelope, { type: Type }>;

const DAY_MS = 86_400_000;

/** The promise rules under one policy: `decide(command, casePromises)` → events, or a thrown ArrearsError. */
export function promiseDecider(policy: PromisePolicy): (command: PromiseCommandEnvelope, state: CasePromises) => PromiseEvent[] {
  return (command, state) => {
    switch (command.type) {
      case 'RecordPromise':
        return recordPromise(command, state, policy);
      case 'CancelPromise':
        return cancelPromise(command, state);
      case 'ApplyPayment':
        return applyPayment(command, state);
      case 'CheckPromiseDue':
        return checkDue(command, state);
      default:
        return unreachable(command);
    }
  };
}

/** The instant a promise breaks: the start (UTC) of the day after its due date plus the grace days. */
export function breaksAt(dueDate: string, graceDays: number): string {
  return new Date(Date.parse(`${dueDate}T00:00:00Z`) + (graceDays + 1) * DAY_MS).toISOString();
}

function recordPromise(command: Command<'RecordPromise'>, state: CasePromises, policy: PromisePolicy): PromiseEvent[] {
  const { data, metadata } = command;
  if (state.settled[data.promiseId] !== undefined || state.open.some((promise) => promise.promiseId === data.promiseId)) {
    throw new ArrearsError(ErrorCode.IDEMPOTENCY_CONFLICT, `Promise ${data.promiseId} was already recorded`, { field: 'data.promiseId' });
  }
  if (state.open.length >= policy.maxOpenPerCase) {
    throw new ArrearsError(ErrorCode.STATE_CONFLICT, `The case already has ${state.open.length} open promise(s) (at most ${policy.maxOpenPerCase}): keep, cancel or let it break first`, {
      field: 'data.accountId',
      details: { openPromises: state.open.map((promise) => promise.promiseId) },
    });
  }
  if (!(data.amount.minor > 0)) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'A promise is of more than zero', { field: 'data.amount.minor' });
  const { account } = command;
  if (account !== undefined) {
    if (account.status === 'unplaced') throw new ArrearsError(ErrorCode.NOT_FOUND, `Account ${data.accountId} has not been placed`, { field: 'data.accountId' });
    if (account.status === 'closed') throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Account ${data.accountId} is closed: there is nothing to promise`, { field: 'data.accountId' });
    if (account.currency !== undefined && account.currency !== data.amount.currency) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The account is in ${account.currency}, not ${data.amount.currency}`, { field: 'data.amount.currency' });
    }
  }
  const today = metadata.now.slice(0, 10);
  const ahead = (Date.parse(`${data.dueDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS;
  if (ahead < 0) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The due date ${data.dueDate} has passed`, { field: 'data.dueDate' });
  if (ahead > policy.maxDaysAhead) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A promise may be at most ${policy.maxDaysAhead} days ahead; offer a payment plan instead`, { field: 'data.dueDate' });
  }
  return [
    {
      type: 'PromiseRecorded',
      data: {
        promiseId: data.promiseId,
        accountId: data.accountId,
        amount: data.amount,
        madeOn: today,
        dueDate: data.dueDate,
        graceDays: policy.graceDays,
        breaksAt: breaksAt(data.dueDate, policy.graceDays),
        channel: data.channel,
        operatorId: metadata.actorId,
      },
    },
  ];
}

function cancelPromise(command: Command<'CancelPromise'>, state: CasePromises): PromiseEvent[] {
  const { data } = command;
  const promise = state.open.find((candidate) => candidate.promiseId === data.promiseId);
  if (promise === undefined) {
    const settled = state.settled[data.promiseId];
    if (settled === 'cancelled') return [];
    throw new ArrearsError(settled === undefined ? ErrorCode.NOT_FOUND : ErrorCode.STATE_CONFLICT, settled === undefined ? `No promise ${data.promiseId} on this case` : `Promise ${data.promiseId} was already ${settled}`, {
      field: 'data.promiseId',
    });
  }
  return [{ type: 'PromiseCancelled', data: { promiseId: data.promiseId, accountId: data.accountId, reason: data.reason } }];
}

/**
 * A payment counts towards the case's open promises made on or before the day it was received, earliest due first,
 * in the promise's currency, up to what each still lacks. A payment already applied changes nothing; one in another
 * currency, or before any open promise was made, goes to none.
 */
function applyPayment(command: Command<'ApplyPayment'>, state: CasePromises): PromiseEvent[] {
  const { data } = command;
  if (state.appliedPayments.includes(data.paymentReference)) return [];
  let left = data.amount.minor;
  const events: PromiseEvent[] = [];
  const eligible = [...state.open]
    .filter((promise) => promise.amount.currency === data.amount.currency && promise.madeOn <= data.receivedOn && Date.parse(`${data.receivedOn}T00:00:00Z`) < Date.parse(promise.breaksAt))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  for (const promise of eligible) {
    if (left <= 0) break;
    const applied = Math.min(left, promise.amount.minor - promise.paid);
    if (applied <= 0) continue;
    left -= applied;
    const paidTotal = promise.paid + applied;
    const matched = {
      promiseId: promise.promiseId,
      accountId: data.accountId,
      paymentReference: data.paymentReference,
      applied: { minor: applied, currency: promise.amount.currency },
      paidTotal: { minor: paidTotal, currency: promise.amount.currency },
      promised: promise.amount,
    };
    events.push(paidTotal >= promise.amount.minor ? { type: 'PromiseKept', data: matched } : { type: 'PromisePartiallyKept', data: matched });
  }
  return events;
}

/** The timer's check: still open and its break time come → broken; kept, cancelled or early → nothing. */
function checkDue(command: Command<'CheckPromiseDue'>, state: CasePromises): PromiseEvent[] {
  const { data, metadata } = command;
  const promise: OpenPromise | undefined = state.open.find((candidate) => candidate.promiseId === data.promiseId);
  if (promise === undefined || Date.parse(metadata.now) < Date.parse(promise.breaksAt)) return [];
  return [
    {
      type: 'PromiseBroken',
      data: {
        promiseId: promise.promiseId,
        accountId: data.accountId,
        promised: promise.amount,
        paid: { minor: promise.paid, currency: promise.amount.currency },
        dueDate: promise.dueDate,
        brokenOn: metadata.now.slice(0, 10),
      },
    },
  ];
}
