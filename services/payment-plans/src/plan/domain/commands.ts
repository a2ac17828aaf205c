import type { accounts, CommandEnvelope, Money, paymentPlans } from '@arrears/contracts';

/** What the plan rules need of the account, read from its events when a plan is proposed or accepted. */
export type AccountStanding = accounts.AccountStanding;

type Published = paymentPlans.PlanCommand;

/**
 * What the plan rules decide on: the published commands (proposal and acceptance with the account's standing at
 * that moment), and two the service sends itself — a payment the accounts service posted (consumed from
 * JetStream), and the check when an instalment's grace ends (a durable timer). Both carry deterministic command
 * ids, derived from the event or the timer.
 */
export type PlanCommandBody =
  | Extract<Published, { type: 'ApprovePlan' | 'CancelPlan' }>
  | (Extract<Published, { type: 'ProposePlan' | 'AcceptPlan' }> & { readonly account: AccountStanding })
  | {
      readonly type: 'ApplyPayment';
      readonly data: { readonly accountId: string; readonly paymentReference: string; readonly amount: Money; readonly receivedOn: string };
    }
  | { readonly type: 'CheckInstalment'; readonly data: { readonly accountId: string; readonly planId: string; readonly number: number } };

export type PlanCommandEnvelope = Omit<CommandEnvelope, 'type' | 'data'> & PlanCommandBody;
