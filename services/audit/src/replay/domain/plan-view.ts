import type { EventEnvelope, paymentPlans } from '@arrears/contracts';
import { unreachable } from './decode';

export interface InstalmentView {
  readonly dueDate: string;
  readonly amount: number;
  readonly paid: number;
  readonly status: 'due' | 'partly-paid' | 'paid' | 'missed';
  /** Missed at some point, paid since or not. */
  readonly wasMissed: boolean;
  readonly late: boolean;
}

/** One payment plan; amounts in minor units of `currency`. */
export interface PlanView {
  readonly status: 'proposed' | 'accepted' | 'defaulted' | 'completed' | 'cancelled';
  readonly outcome: paymentPlans.PlanOutcome | null;
  readonly frequency: paymentPlans.Frequency | null;
  readonly total: number | null;
  readonly currency: string | null;
  readonly proposedBy: string | null;
  /** Options beyond the proposer's limits, and which of them were approved since. */
  readonly approvalsNeeded: readonly paymentPlans.PlanOption[];
  readonly approved: readonly paymentPlans.PlanOption[];
  /** The written commitment (a document id and its SHA-256: no personal data). */
  readonly commitment: paymentPlans.Commitment | null;
  readonly acceptedOn: string | null;
  /** By instalment number. */
  readonly instalments: Readonly<Record<string, InstalmentView>>;
  readonly instalmentsPaid: number;
  /** Missed and not paid since. */
  readonly instalmentsMissed: number;
  readonly paid: number;
  readonly endedOn: string | null;
}

/** A case's plans by id. */
export type PlansView = Readonly<Record<string, PlanView>>;

const UNSEEN: PlanView = {
  status: 'proposed',
  outcome: null,
  frequency: null,
  total: null,
  currency: null,
  proposedBy: null,
  approvalsNeeded: [],
  approved: [],
  commitment: null,
  acceptedOn: null,
  instalments: {},
  instalmentsPaid: 0,
  instalmentsMissed: 0,
  paid: 0,
  endedOn: null,
};

const schedule = (instalments: readonly paymentPlans.Instalment[]): Record<string, InstalmentView> =>
  Object.fromEntries(instalments.map((instalment) => [String(instalment.number), { dueDate: instalment.dueDate, amount: instalment.amount.minor, paid: 0, status: 'due' as const, wasMissed: false, late: false }]));

/** The counts follow from the instalments: recounted on every change rather than kept in step by hand. */
function recounted(plan: PlanView): PlanView {
  const instalments = Object.values(plan.instalments);
  return {
    ...plan,
    instalmentsPaid: instalments.filter((instalment) => instalment.status === 'paid').length,
    instalmentsMissed: instalments.filter((instalment) => instalment.status === 'missed').length,
    paid: instalments.reduce((sum, instalment) => sum + instalment.paid, 0),
  };
}

function withPlan(view: PlansView, planId: string, change: (plan: PlanView) => PlanView): PlansView {
  return { ...view, [planId]: recounted(change(view[planId] ?? UNSEEN)) };
}

function withInstalment(plan: PlanView, number: number, fallback: Omit<InstalmentView, 'paid' | 'status' | 'wasMissed' | 'late'>, change: (instalment: InstalmentView) => InstalmentView): PlanView {
  const known = plan.instalments[String(number)] ?? { ...fallback, paid: 0, status: 'due', wasMissed: false, late: false };
  return { ...plan, instalments: { ...plan.instalments, [String(number)]: change(known) } };
}

/** The UTC day of an instant: a cancellation names no day of its own. */
const utcDate = (instant: string): string => new Date(instant).toISOString().slice(0, 10);

export function evolvePlans(view: PlansView, event: paymentPlans.PlanEvent, envelope: EventEnvelope): PlansView {
  switch (event.type) {
    case 'PlanProposed': {
      const { outcome, frequency, total, proposedBy, approvalsNeeded } = event.data;
      return withPlan(view, event.data.planId, (plan) => ({
        ...plan,
        outcome,
        frequency,
        total: total.minor,
        currency: total.currency,
        proposedBy,
        approvalsNeeded: approvalsNeeded.map((needed) => needed.option),
        instalments: schedule(event.data.schedule),
      }));
    }
    case 'PlanApproved':
      return withPlan(view, event.data.planId, (plan) => ({ ...plan, approved: [...new Set([...plan.approved, ...event.data.options])] }));
    case 'PlanAccepted': {
      const { commitment, acceptedOn, total, outcome } = event.data;
      return withPlan(view, event.data.planId, (plan) => ({
        ...plan,
        status: 'accepted',
        outcome,
        total: total.minor,
        currency: total.currency,
        commitment,
        acceptedOn,
        // The agreed schedule replaces the proposed one; nothing is paid on a plan before it is accepted.
        instalments: schedule(event.data.schedule),
      }));
    }
    case 'InstalmentPartiallyPaid':
    case 'InstalmentPaid': {
      const { number, dueDate, amount, paidTotal, late } = event.data;
      const paidInFull = event.type === 'InstalmentPaid';
      return withPlan(view, event.data.planId, (plan) =>
        withInstalment(plan, number, { dueDate, amount: amount.minor }, (instalment) => ({
          ...instalment,
          paid: paidTotal.minor,
          late: instalment.late || late,
          status: paidInFull ? 'paid' : instalment.status === 'missed' ? 'missed' : 'partly-paid',
          wasMissed: instalment.wasMissed || (event.type === 'InstalmentPaid' && event.data.wasMissed),
        })),
      );
    }
    case 'InstalmentMissed': {
      const { number, dueDate, amount, paid } = event.data;
      return withPlan(view, event.data.planId, (plan) =>
        withInstalment(plan, number, { dueDate, amount: amount.minor }, (instalment) => ({ ...instalment, paid: paid.minor, status: 'missed', wasMissed: true })),
      );
    }
    case 'PlanDefaulted':
      return withPlan(view, event.data.planId, (plan) => ({ ...plan, status: 'defaulted', endedOn: event.data.defaultedOn }));
    case 'PlanCompleted':
      return withPlan(view, event.data.planId, (plan) => ({ ...plan, status: 'completed', endedOn: event.data.completedOn }));
    case 'PlanCancelled':
      return withPlan(view, event.data.planId, (plan) => ({ ...plan, status: 'cancelled', endedOn: utcDate(envelope.occurredAt) }));
    default:
      return unreachable(event);
  }
}
