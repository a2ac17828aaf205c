import { EventCatalog, promisesToPay, type EventEnvelope } from '@arrears/contracts';
import { timerId, type PostgresTimerStore } from '@arrears/timers';

const PROMISE_EVENTS = new EventCatalog(promisesToPay.PROMISE_EVENTS);
export const PROMISE_TIMER_OWNER = 'promises-to-pay';
export const PROMISE_DUE = 'PromiseDue';

/** The one timer of a promise: it fires at the promise's break time. */
export function promiseDueTimerId(promiseId: string): string {
  return timerId(PROMISE_TIMER_OWNER, PROMISE_DUE, promiseId);
}

/**
 * Keeps each promise's break timer in step with the promise's own events, read back from JetStream: scheduled
 * on PromiseRecorded (a redelivery schedules the same timer: nothing), cancelled once the promise is kept or
 * cancelled. Scheduling from the stored event rather than beside the append means no crash in between can lose it.
 */
export async function followPromiseEvent(timers: PostgresTimerStore, event: EventEnvelope): Promise<void> {
  const decoded = PROMISE_EVENTS.decode(event);
  switch (decoded.type) {
    case 'PromiseRecorded': {
      const { promiseId, accountId, breaksAt } = decoded.data;
      await timers.schedule({ timerId: promiseDueTimerId(promiseId), owner: PROMISE_TIMER_OWNER, kind: PROMISE_DUE, key: promiseId, fireAt: breaksAt, payload: { accountId, promiseId } });
      return;
    }
    case 'PromiseKept':
    case 'PromiseCancelled':
      await timers.cancelByKey(PROMISE_TIMER_OWNER, decoded.data.promiseId, PROMISE_DUE);
      return;
    default:
      return; // partially kept: the timer still stands; broken: it has fired
  }
}
