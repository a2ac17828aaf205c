import type { EventEnvelope, promisesToPay } from '@arrears/contracts';
import { unreachable } from './decode';

/** One promise to pay; amounts in minor units of `currency`. */
export interface PromiseView {
  readonly status: 'open' | 'kept' | 'broken' | 'cancelled';
  /** Null only when the replayed history holds a later event of the promise but not its PromiseRecorded. */
  readonly amount: number | null;
  readonly currency: string | null;
  readonly paid: number;
  readonly madeOn: string | null;
  readonly dueDate: string | null;
  readonly breaksAt: string | null;
  /** Business time it was kept, broken or cancelled. */
  readonly endedAt: string | null;
}

/** A case's promises by id. */
export type PromisesView = Readonly<Record<string, PromiseView>>;

const UNSEEN: PromiseView = { status: 'open', amount: null, currency: null, paid: 0, madeOn: null, dueDate: null, breaksAt: null, endedAt: null };

function withPromise(view: PromisesView, promiseId: string, change: (promise: PromiseView) => PromiseView): PromisesView {
  return { ...view, [promiseId]: change(view[promiseId] ?? UNSEEN) };
}

export function evolvePromises(view: PromisesView, event: promisesToPay.PromiseEvent, envelope: EventEnvelope): PromisesView {
  switch (event.type) {
    case 'PromiseRecorded': {
      const { amount, madeOn, dueDate, breaksAt } = event.data;
      return withPromise(view, event.data.promiseId, (promise) => ({ ...promise, amount: amount.minor, currency: amount.currency, madeOn, dueDate, breaksAt }));
    }
    case 'PromisePartiallyKept':
    case 'PromiseKept': {
      const { promised, paidTotal } = event.data;
      const kept = event.type === 'PromiseKept';
      return withPromise(view, event.data.promiseId, (promise) => ({
        ...promise,
        amount: promise.amount ?? promised.minor,
        currency: promise.currency ?? promised.currency,
        paid: paidTotal.minor,
        ...(kept ? { status: 'kept' as const, endedAt: envelope.occurredAt } : {}),
      }));
    }
    case 'PromiseBroken': {
      const { promised, paid, dueDate } = event.data;
      return withPromise(view, event.data.promiseId, (promise) => ({
        ...promise,
        status: 'broken',
        amount: promise.amount ?? promised.minor,
        currency: promise.currency ?? promised.currency,
        dueDate: promise.dueDate ?? dueDate,
        paid: paid.minor,
        endedAt: envelope.occurredAt,
      }));
    }
    case 'PromiseCancelled':
      return withPromise(view, event.data.promiseId, (promise) => ({ ...promise, status: 'cancelled', endedAt: envelope.occurredAt }));
    default:
      return unreachable(event);
  }
}
