import { EventCatalog, paymentPlans, type accounts, type CommandEnvelope, type EventEnvelope } from '@arrears/contracts';
import { commandFromEvent } from './event-commands';

const PLAN_EVENTS = new EventCatalog(paymentPlans.PLAN_EVENTS);

/** The namespace of the command ids derived from PlanCompleted events; fixed for ever, or a redelivery would act again. */
const COMPLETED_PLAN_COMMANDS = '8a4c1e73-2f5b-4d96-a0c8-3b7e9f1d5a26';

/**
 * The accounts service's own CloseOnCompletedPlan for a PlanCompleted it consumed: the account is closed as paid in
 * full or settled, as the plan says. A redelivery is the same command. The pact with payment-plans
 * (test/pacts/accounts/payment-plans.consumer.pact.spec.ts) runs this on the message payment-plans publishes.
 */
export function closeOnCompletedPlan(event: EventEnvelope): CommandEnvelope & Extract<accounts.AccountCommand, { type: 'CloseOnCompletedPlan' }> {
  const decoded = PLAN_EVENTS.decode(event);
  if (decoded.type !== 'PlanCompleted') throw new Error(`Expected a PlanCompleted, got ${decoded.type}`);
  const { accountId, planId, outcome } = decoded.data;
  return commandFromEvent(event, COMPLETED_PLAN_COMMANDS, 'CloseOnCompletedPlan', { accountId, planId, outcome });
}
