import type { paymentPlans, promisesToPay } from '@arrears/contracts';
import { sourceOf, type DecodedEvent, type Source } from './decode';

type PromiseEventOf<T extends promisesToPay.PromiseEvent['type']> = Extract<promisesToPay.PromiseEvent, { type: T }>;
type PlanEventOf<T extends paymentPlans.PlanEvent['type']> = Extract<paymentPlans.PlanEvent, { type: T }>;

export interface PromiseView {
  readonly promiseId: string;
  readonly currency: string;
  readonly amount: number;
  readonly madeOn: string;
  readonly dueDate: string;
  readonly graceDays: number;
  readonly breaksAt: string;
  readonly channel: string;
  readonly operatorId: string;
  readonly recorded: Source;
  /** Payments matched to the promise, as promises-to-pay applied them. */
  readonly payments: readonly (Source & { readonly paymentReference: string; readonly applied: number; readonly paidTotal: number })[];
  readonly status: 'open' | 'kept' | 'broken' | 'cancelled';
  /** The event that settled the status, with what it says (paid when broken, the reason when cancelled). */
  readonly outcome: (Source & { readonly paid?: number; readonly brokenOn?: string; readonly reason?: string }) | null;
}

export interface InstalmentView {
  readonly number: number;
  readonly dueDate: string;
  readonly amount: number;
  readonly missesAt: string | null;
  readonly paid: number;
  readonly status: 'due' | 'paid' | 'paid-late' | 'missed' | 'missed-then-paid';
  readonly events: readonly Source[];
}

export interface PlanView {
  readonly planId: string;
  readonly currency: string;
  readonly proposed: Source & Omit<PlanEventOf<'PlanProposed'>['data'], 'planId' | 'accountId' | 'balance' | 'total' | 'schedule'> & { readonly balance: number; readonly total: number };
  readonly approvals: readonly (Source & { readonly options: readonly string[]; readonly approvedBy: string; readonly note: string | null })[];
  /** The debtor's written acceptance: the signed document by id and SHA-256. */
  readonly accepted: (Source & { readonly commitment: paymentPlans.Commitment; readonly acceptedOn: string; readonly acceptedVia: string; readonly total: number }) | null;
  readonly instalments: readonly InstalmentView[];
  readonly status: 'proposed' | 'running' | 'defaulted' | 'completed' | 'cancelled';
  readonly outcome: (Source & Record<string, unknown>) | null;
}

export interface PromisesAndPlans {
  readonly promises: readonly PromiseView[];
  readonly plans: readonly PlanView[];
  readonly totals: { readonly promises: number; readonly kept: number; readonly broken: number; readonly plans: number; readonly defaulted: number; readonly instalmentsMissed: number };
}

export function promisesAndPlansOf(history: readonly DecodedEvent[]): PromisesAndPlans {
  const promises = new Map<string, PromiseView>();
  const plans = new Map<string, PlanView>();

  const updatePromise = (promiseId: string, change: (promise: PromiseView) => PromiseView) => {
    const known = promises.get(promiseId);
    if (known !== undefined) promises.set(promiseId, change(known));
  };
  const updatePlan = (planId: string, change: (plan: PlanView) => PlanView) => {
    const known = plans.get(planId);
    if (known !== undefined) plans.set(planId, change(known));
  };
  const updateInstalment = (planId: string, number: number, change: (instalment: InstalmentView) => InstalmentView) =>
    updatePlan(planId, (plan) => ({ ...plan, instalments: plan.instalments.map((instalment) => (instalment.number === number ? change(instalment) : instalment)) }));

  const matched = (decoded: DecodedEvent, data: PromiseEventOf<'PromiseKept'>['data']) =>
    updatePromise(data.promiseId, (promise) => ({
      ...promise,
      payments: [...promise.payments, { ...sourceOf(decoded), paymentReference: data.paymentReference, applied: data.applied.minor, paidTotal: data.paidTotal.minor }],
    }));

  for (const decoded of history) {
    const { event } = decoded;
    switch (event.type) {
      case 'PromiseRecorded': {
        const { data } = event;
        promises.set(data.promiseId, {
          promiseId: data.promiseId,
          currency: data.amount.currency,
          amount: data.amount.minor,
          madeOn: data.madeOn,
          dueDate: data.dueDate,
          graceDays: data.graceDays,
          breaksAt: data.breaksAt,
          channel: data.channel,
          operatorId: data.operatorId,
          recorded: sourceOf(decoded),
          payments: [],
          status: 'open',
          outcome: null,
        });
        break;
      }
      case 'PromisePartiallyKept':
        matched(decoded, event.data);
        break;
      case 'PromiseKept':
        matched(decoded, event.data);
        updatePromise(event.data.promiseId, (promise) => ({ ...promise, status: 'kept', outcome: sourceOf(decoded) }));
        break;
      case 'PromiseBroken': {
        const { data } = event;
        updatePromise(data.promiseId, (promise) => ({ ...promise, status: 'broken', outcome: { ...sourceOf(decoded), paid: data.paid.minor, brokenOn: data.brokenOn } }));
        break;
      }
      case 'PromiseCancelled': {
        const { data } = event;
        updatePromise(data.promiseId, (promise) => ({ ...promise, status: 'cancelled', outcome: { ...sourceOf(decoded), reason: data.reason } }));
        break;
      }
      case 'PlanProposed': {
        const { planId, accountId: _accountId, balance, total, schedule, ...rest } = event.data;
        plans.set(planId, {
          planId,
          currency: total.currency,
          proposed: { ...sourceOf(decoded), ...rest, balance: balance.minor, total: total.minor },
          approvals: [],
          accepted: null,
          instalments: schedule.map((instalment) => ({ number: instalment.number, dueDate: instalment.dueDate, amount: instalment.amount.minor, missesAt: null, paid: 0, status: 'due', events: [] })),
          status: 'proposed',
          outcome: null,
        });
        break;
      }
      case 'PlanApproved': {
        const { data } = event;
        updatePlan(data.planId, (plan) => ({ ...plan, approvals: [...plan.approvals, { ...sourceOf(decoded), options: data.options, approvedBy: data.approvedBy, note: data.note ?? null }] }));
        break;
      }
      case 'PlanAccepted': {
        const { data } = event;
        updatePlan(data.planId, (plan) => ({
          ...plan,
          status: 'running',
          accepted: { ...sourceOf(decoded), commitment: data.commitment, acceptedOn: data.acceptedOn, acceptedVia: data.acceptedVia, total: data.total.minor },
          // The agreed schedule is the one that counts; it may differ from the proposal's.
          instalments: data.schedule.map((instalment) => ({ number: instalment.number, dueDate: instalment.dueDate, amount: instalment.amount.minor, missesAt: instalment.missesAt, paid: 0, status: 'due', events: [] })),
        }));
        break;
      }
      case 'InstalmentPartiallyPaid':
      case 'InstalmentPaid': {
        const { data } = event;
        const complete = event.type === 'InstalmentPaid';
        updateInstalment(data.planId, data.number, (instalment) => ({
          ...instalment,
          paid: data.paidTotal.minor,
          status: !complete ? instalment.status : instalment.status === 'missed' ? 'missed-then-paid' : data.late ? 'paid-late' : 'paid',
          events: [...instalment.events, sourceOf(decoded)],
        }));
        break;
      }
      case 'InstalmentMissed': {
        const { data } = event;
        updateInstalment(data.planId, data.number, (instalment) => ({ ...instalment, paid: data.paid.minor, status: 'missed', events: [...instalment.events, sourceOf(decoded)] }));
        break;
      }
      case 'PlanDefaulted': {
        const { planId, accountId: _accountId, total, paid, outstanding, ...rest } = event.data;
        updatePlan(planId, (plan) => ({ ...plan, status: 'defaulted', outcome: { ...sourceOf(decoded), ...rest, total: total.minor, paid: paid.minor, outstanding: outstanding.minor } }));
        break;
      }
      case 'PlanCompleted': {
        const { planId, accountId: _accountId, total, paid, ...rest } = event.data;
        updatePlan(planId, (plan) => ({ ...plan, status: 'completed', outcome: { ...sourceOf(decoded), ...rest, total: total.minor, paid: paid.minor } }));
        break;
      }
      case 'PlanCancelled': {
        const { planId, accountId: _accountId, ...rest } = event.data;
        updatePlan(planId, (plan) => ({ ...plan, status: 'cancelled', outcome: { ...sourceOf(decoded), ...rest } }));
        break;
      }
      default:
        break;
    }
  }

  const promiseList = [...promises.values()];
  const planList = [...plans.values()];
  return {
    promises: promiseList,
    plans: planList,
    totals: {
      promises: promiseList.length,
      kept: promiseList.filter((promise) => promise.status === 'kept').length,
      broken: promiseList.filter((promise) => promise.status === 'broken').length,
      plans: planList.length,
      defaulted: planList.filter((plan) => plan.status === 'defaulted').length,
      instalmentsMissed: planList.reduce((count, plan) => count + plan.instalments.filter((instalment) => instalment.status === 'missed' || instalment.status === 'missed-then-paid').length, 0),
    },
  };
}
