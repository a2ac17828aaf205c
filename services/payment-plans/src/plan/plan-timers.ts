import { EventCatalog, paymentPlans, type EventEnvelope } from '@arrears/contracts';
import { timerId, type PostgresTimerStore } from '@arrears/timers';

const PLAN_EVENTS = new EventCatalog(paymentPlans.PLAN_EVENTS);
export const PLAN_TIMER_OWNER = 'payment-plans';
export const INSTALMENT_CHECK = 'InstalmentCheck';

export interface InstalmentCheckPayload {
  readonly accountId: string;
  readonly planId: string;
  readonly number: number;
}

/** The one timer of an instalment: it fires when the instalment's grace ends. */
export function instalmentTimerId(planId: string, number: number): string {
  return timerId(PLAN_TIMER_OWNER, INSTALMENT_CHECK, `${planId}/${number}`);
}

/**
 * Keeps the instalments' timers in step with the plan's own events, read back from JetStream: one per instalment
 * scheduled on PlanAccepted (a redelivery schedules the same timers: nothing), one cancelled when its instalment is
 * paid, all cancelled when the plan completes, defaults or is cancelled. Scheduling from the stored event rather
 * than beside the append means no crash in between can lose a timer.
 */
export async function followPlanEvent(timers: PostgresTimerStore, event: EventEnvelope): Promise<void> {
  const decoded = PLAN_EVENTS.decode(event);
  switch (decoded.type) {
    case 'PlanAccepted': {
      const { planId, accountId, schedule } = decoded.data;
      for (const instalment of schedule) {
        const payload: InstalmentCheckPayload = { accountId, planId, number: instalment.number };
        await timers.schedule({ timerId: instalmentTimerId(planId, instalment.number), owner: PLAN_TIMER_OWNER, kind: INSTALMENT_CHECK, key: planId, fireAt: instalment.missesAt, payload: { ...payload } });
      }
      return;
    }
    case 'InstalmentPaid':
      await timers.cancel(instalmentTimerId(decoded.data.planId, decoded.data.number));
      return;
    case 'PlanCompleted':
    case 'PlanDefaulted':
    case 'PlanCancelled':
      await timers.cancelByKey(PLAN_TIMER_OWNER, decoded.data.planId, INSTALMENT_CHECK);
      return;
    default:
      return; // proposals, approvals, partial payments and misses leave the timers as they are
  }
}
