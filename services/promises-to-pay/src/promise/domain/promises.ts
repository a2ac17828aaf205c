import type { Money, promisesToPay } from '@arrears/contracts';

export type PromiseEvent = promisesToPay.PromiseEvent;

export interface OpenPromise {
  readonly promiseId: string;
  readonly amount: Money;
  readonly dueDate: string;
  readonly breaksAt: string;
  readonly madeOn: string;
  readonly paid: number;
}

export type PromiseOutcome = 'kept' | 'broken' | 'cancelled';

/** All promises of one case (`promise-<accountId>`): the open ones in full, the settled ones by outcome. */
export interface CasePromises {
  readonly open: readonly OpenPromise[];
  readonly settled: Readonly<Record<string, PromiseOutcome>>;
  /** Payment references already applied to any of the case's promises: a payment delivered again changes nothing. */
  readonly appliedPayments: readonly string[];
}

export function initialState(): CasePromises {
  return { open: [], settled: {}, appliedPayments: [] };
}

export function evolve(state: CasePromises, event: PromiseEvent): CasePromises {
  switch (event.type) {
    case 'PromiseRecorded': {
      const { promiseId, amount, madeOn, dueDate, breaksAt } = event.data;
      return { ...state, open: [...state.open, { promiseId, amount, dueDate, breaksAt, madeOn, paid: 0 }] };
    }
    case 'PromisePartiallyKept':
      return {
        ...withPayment(state, event.data.paymentReference),
        open: state.open.map((promise) => (promise.promiseId === event.data.promiseId ? { ...promise, paid: event.data.paidTotal.minor } : promise)),
      };
    case 'PromiseKept':
      return settle(withPayment(state, event.data.paymentReference), event.data.promiseId, 'kept');
    case 'PromiseBroken':
      return settle(state, event.data.promiseId, 'broken');
    case 'PromiseCancelled':
      return settle(state, event.data.promiseId, 'cancelled');
    default:
      return unreachable(event);
  }
}

function settle(state: CasePromises, promiseId: string, outcome: PromiseOutcome): CasePromises {
  return { ...state, open: state.open.filter((promise) => promise.promiseId !== promiseId), settled: { ...state.settled, [promiseId]: outcome } };
}

function withPayment(state: CasePromises, reference: string): CasePromises {
  return state.appliedPayments.includes(reference) ? state : { ...state, appliedPayments: [...state.appliedPayments, reference] };
}

export function unreachable(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}
