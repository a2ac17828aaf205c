import type { Money, paymentPlans } from '@arrears/contracts';

export type PlanEvent = paymentPlans.PlanEvent;
type PlanOption = paymentPlans.PlanOption;

export interface InstalmentState {
  readonly number: number;
  readonly dueDate: string;
  readonly amount: number;
  /** The moment it counts as missed unless paid: the start (UTC) of the day after due date plus grace. */
  readonly missesAt: string;
  readonly paid: number;
  readonly missed: boolean;
}

/** The case's plan in force or on the table: proposed (perhaps awaiting approval), or accepted and running. */
export interface CurrentPlan {
  readonly planId: string;
  readonly status: 'proposed' | 'accepted';
  readonly proposedBy: string;
  readonly firstDueDate: string;
  /** The account's whole balance when it was proposed, in minor units. */
  readonly balance: number;
  readonly total: Money;
  readonly outcome: paymentPlans.PlanOutcome;
  readonly graceDays: number;
  readonly missedToDefault: number;
  readonly options: Extract<PlanEvent, { type: 'PlanProposed' }>['data']['options'];
  /** Options still waiting for approval. */
  readonly awaitingApproval: readonly PlanOption[];
  readonly commitment?: paymentPlans.Commitment;
  readonly acceptedOn?: string;
  readonly instalments: readonly InstalmentState[];
}

export type PlanEnd = 'completed' | 'defaulted' | 'cancelled';

/** All plans of one case (`plan-<accountId>`): at most one current, the others by how they ended. */
export interface CasePlans {
  readonly current?: CurrentPlan;
  readonly ended: Readonly<Record<string, PlanEnd>>;
  /** Payment references already applied to any of the case's plans: a payment delivered again changes nothing. */
  readonly appliedPayments: readonly string[];
}

export function initialState(): CasePlans {
  return { ended: {}, appliedPayments: [] };
}

export function isPaid(instalment: InstalmentState): boolean {
  return instalment.paid >= instalment.amount;
}

export function evolve(state: CasePlans, event: PlanEvent): CasePlans {
  switch (event.type) {
    case 'PlanProposed': {
      const { data } = event;
      const instalments = data.schedule.map((instalment) => ({ number: instalment.number, dueDate: instalment.dueDate, amount: instalment.amount.minor, missesAt: '', paid: 0, missed: false }));
      return {
        ...state,
        current: {
          planId: data.planId,
          status: 'proposed',
          proposedBy: data.proposedBy,
          firstDueDate: data.schedule[0]?.dueDate ?? '',
          balance: data.balance.minor,
          total: data.total,
          outcome: data.outcome,
          graceDays: data.graceDays,
          missedToDefault: data.missedToDefault,
          options: data.options,
          awaitingApproval: data.approvalsNeeded.map((needed) => needed.option),
          instalments,
        },
      };
    }
    case 'PlanApproved':
      return withCurrent(state, (plan) => ({ ...plan, awaitingApproval: [] }));
    case 'PlanAccepted': {
      const { data } = event;
      return withCurrent(state, (plan) => ({
        ...plan,
        status: 'accepted',
        commitment: data.commitment,
        acceptedOn: data.acceptedOn,
        instalments: data.schedule.map((instalment) => ({ number: instalment.number, dueDate: instalment.dueDate, amount: instalment.amount.minor, missesAt: instalment.missesAt, paid: 0, missed: false })),
      }));
    }
    case 'InstalmentPartiallyPaid':
    case 'InstalmentPaid': {
      const { number, paidTotal, paymentReference } = event.data;
      return withCurrent(withPayment(state, paymentReference), (plan) => updateInstalment(plan, number, (instalment) => ({ ...instalment, paid: paidTotal.minor })));
    }
    case 'InstalmentMissed':
      return withCurrent(state, (plan) => updateInstalment(plan, event.data.number, (instalment) => ({ ...instalment, missed: true })));
    case 'PlanDefaulted':
      return end(state, event.data.planId, 'defaulted');
    case 'PlanCompleted':
      return end(state, event.data.planId, 'completed');
    case 'PlanCancelled':
      return end(state, event.data.planId, 'cancelled');
    default:
      return unreachable(event);
  }
}

function withCurrent(state: CasePlans, change: (plan: CurrentPlan) => CurrentPlan): CasePlans {
  return state.current === undefined ? state : { ...state, current: change(state.current) };
}

function updateInstalment(plan: CurrentPlan, number: number, change: (instalment: InstalmentState) => InstalmentState): CurrentPlan {
  return { ...plan, instalments: plan.instalments.map((instalment) => (instalment.number === number ? change(instalment) : instalment)) };
}

function end(state: CasePlans, planId: string, how: PlanEnd): CasePlans {
  const { current: _ended, ...rest } = state;
  return { ...rest, ended: { ...state.ended, [planId]: how } };
}

function withPayment(state: CasePlans, reference: string): CasePlans {
  return state.appliedPayments.includes(reference) ? state : { ...state, appliedPayments: [...state.appliedPayments, reference] };
}

export function unreachable(value: never): never {
  throw new Error(`Unhandled: ${JSON.stringify(value)}`);
}
