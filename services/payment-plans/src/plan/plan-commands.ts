import { ArrearsError, ErrorCode, EventCatalog, paymentPlans, type CommandEnvelope, type EventEnvelope } from '@arrears/contracts';
import { handleCommand, uuidV5, type CommandOutcome, type EventStore } from '@arrears/event-store';
import { accountStanding } from './account-standing';
import type { PlanCommandBody, PlanCommandEnvelope } from './domain/commands';
import { planDecider } from './domain/decide';
import { evolve, initialState } from './domain/plans';
import type { PlanPolicy } from './domain/policy';
import type { ApplyPaymentBody } from './payments';

export const PLAN_EVENT_CATALOG = new EventCatalog(paymentPlans.PLAN_EVENTS);

/** Namespaces of the command ids the service derives for itself: fixed for ever, or a redelivery would act twice. */
const FROM_PAYMENT = 'c41e8a27-5b3d-4f60-9a18-2e7d6c5b4a93';
const FROM_TIMER = '5d8f2b61-9c4e-4a37-b0e5-7a1c3f9d2e48';

export function planStream(accountId: string): string {
  return `plan-${accountId}`;
}

type Incoming = Omit<CommandEnvelope, 'type' | 'data'> & (paymentPlans.PlanCommand | Exclude<PlanCommandBody, { type: 'ProposePlan' | 'AcceptPlan' | 'ApprovePlan' | 'CancelPlan' }>);

/**
 * The payment-plans command side: the published commands (a proposal or an acceptance with the account's standing
 * read at that moment), payments the accounts service posted (each as ApplyPayment with an id derived from the
 * event) and instalment checks when a timer fires (an id derived from the timer). load → decide → append on the
 * case's plan stream.
 */
export class PlanCommands {
  private readonly decide: ReturnType<typeof planDecider>;

  constructor(
    private readonly store: EventStore,
    policy: PlanPolicy,
  ) {
    this.decide = planDecider(policy);
  }

  async handle(command: Incoming): Promise<CommandOutcome> {
    const { accountId } = command.data;
    if (command.metadata.caseId !== undefined && command.metadata.caseId !== accountId) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A plan's case id is its account id (${accountId}), not ${command.metadata.caseId}`, { field: 'metadata.caseId' });
    }
    const needsAccount = command.type === 'ProposePlan' || command.type === 'AcceptPlan';
    const account = needsAccount ? { account: await accountStanding(this.store, accountId) } : {};
    const envelope = { ...command, ...account, metadata: { ...command.metadata, caseId: accountId } } as PlanCommandEnvelope;
    return handleCommand({ store: this.store, streamId: planStream(accountId), initialState, evolve, decide: this.decide, events: PLAN_EVENT_CATALOG }, envelope);
  }

  /** A payment posted by accounts, as the service's own ApplyPayment. */
  applyPayment(event: EventEnvelope, body: ApplyPaymentBody): Promise<CommandOutcome> {
    return this.handle({ ...body, ...systemCommand(uuidV5(`PaymentPosted/${event.eventId}`, FROM_PAYMENT), event.metadata.correlationId, event.eventId, event.occurredAt) });
  }

  /** An instalment's grace ended (its timer fired): check it, as of the moment it fired. */
  checkInstalment(timerId: string, accountId: string, planId: string, number: number, firedAt: string): Promise<CommandOutcome> {
    return this.handle({ type: 'CheckInstalment', data: { accountId, planId, number }, ...systemCommand(uuidV5(`InstalmentCheck/${timerId}`, FROM_TIMER), timerId, undefined, firedAt) });
  }
}

function systemCommand(commandId: string, correlationId: string, causationId: string | undefined, now: string) {
  return {
    commandId,
    schemaVersion: 1,
    metadata: { correlationId, ...(causationId === undefined ? {} : { causationId }), actorId: 'system:payment-plans', actorRole: 'system' as const, now },
  };
}
