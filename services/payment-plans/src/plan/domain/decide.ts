import { ArrearsError, ErrorCode, type paymentPlans, type Role } from '@arrears/contracts';
import type { AccountStanding, PlanCommandEnvelope } from './commands';
import { isPaid, unreachable, type CasePlans, type CurrentPlan, type PlanEvent } from './plans';
import type { ApprovalLimits, PlanPolicy } from './policy';
import { instalmentSchedule } from './schedule';

type Command<Type extends PlanCommandEnvelope['type']> = Extract<PlanCommandEnvelope, { type: Type }>;
type PlanOption = paymentPlans.PlanOption;
type Proposed = Extract<PlanEvent, { type: 'PlanProposed' }>['data'];

const DAY_MS = 86_400_000;

/** Flags under which no plan is made or started: the debt is contested, or collecting it is on hold by law. */
export const PLAN_HOLDS = ['dispute', 'bankruptcy', 'deceased', 'breathing-space'] as const;

/** The plan rules under one policy: `decide(command, casePlans)` → events, or a thrown ArrearsError. */
export function planDecider(policy: PlanPolicy): (command: PlanCommandEnvelope, state: CasePlans) => PlanEvent[] {
  return (command, state) => {
    switch (command.type) {
      case 'ProposePlan':
        return propose(command, state, policy);
      case 'ApprovePlan':
        return approve(command, state, policy.approvals);
      case 'AcceptPlan':
        return accept(command, state);
      case 'CancelPlan':
        return cancel(command, state);
      case 'ApplyPayment':
        return applyPayment(command, state);
      case 'CheckInstalment':
        return checkInstalment(command, state);
      default:
        return unreachable(command);
    }
  };
}

/** The moment an instalment counts as missed: the start (UTC) of the day after its due date plus the grace days. */
export function missesAt(dueDate: string, graceDays: number): string {
  return new Date(Date.parse(`${dueDate}T00:00:00Z`) + (graceDays + 1) * DAY_MS).toISOString();
}

function propose(command: Command<'ProposePlan'>, state: CasePlans, policy: PlanPolicy): PlanEvent[] {
  const { data, metadata, account } = command;
  if (state.ended[data.planId] !== undefined || state.current?.planId === data.planId) {
    throw new ArrearsError(ErrorCode.IDEMPOTENCY_CONFLICT, `Plan ${data.planId} was already proposed`, { field: 'data.planId' });
  }
  if (state.current !== undefined) {
    throw new ArrearsError(ErrorCode.STATE_CONFLICT, `The case already has plan ${state.current.planId} (${state.current.status}): cancel it before proposing another`, {
      field: 'data.accountId',
      details: { planId: state.current.planId },
    });
  }
  const balance = openBalance(account, data.accountId);
  const currency = account.currency ?? '';
  const options = data.options ?? {};
  const today = metadata.now.slice(0, 10);
  const ahead = daysBetween(today, data.firstDueDate);
  if (ahead < 0) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The first due date ${data.firstDueDate} has passed`, { field: 'data.firstDueDate' });
  if (ahead > policy.maxDaysToFirstInstalment) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The first instalment may fall at most ${policy.maxDaysToFirstInstalment} days ahead`, { field: 'data.firstDueDate' });
  }
  if (data.instalments > policy.maxInstalments) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A plan has at most ${policy.maxInstalments} instalments`, { field: 'data.instalments' });
  }
  if (data.instalments > policy.standardInstalments && options.termExtension !== true) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${data.instalments} instalments is beyond the standard term of ${policy.standardInstalments}: ask for a term extension`, {
      field: 'data.options.termExtension',
    });
  }
  const fees = account.balance?.fees ?? 0;
  if (options.feeWaiver === true && fees === 0) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'The account has no fees to waive', { field: 'data.options.feeWaiver' });
  const owed = balance - (options.feeWaiver === true ? fees : 0);
  let settlement: Proposed['options']['settlement'];
  if (options.settlement !== undefined) {
    const { amount } = options.settlement;
    if (amount.currency !== currency) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The account is in ${currency}, not ${amount.currency}`, { field: 'data.options.settlement.amount.currency' });
    if (amount.minor >= owed) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `A settlement is for less than what is owed (${owed} ${currency}); propose a plan without one`, { field: 'data.options.settlement.amount.minor' });
    }
    const discount = owed - amount.minor;
    settlement = { discount: { minor: discount, currency }, discountBasisPoints: Number((BigInt(discount) * 10_000n + BigInt(owed) - 1n) / BigInt(owed)) };
  }
  const total = { minor: options.settlement?.amount.minor ?? owed, currency };
  const schedule = instalmentSchedule({ total, instalments: data.instalments, frequency: data.frequency, firstDueDate: data.firstDueDate });
  const proposedOptions: Proposed['options'] = {
    ...(options.feeWaiver === true ? { feeWaiver: { waived: { minor: fees, currency } } } : {}),
    interestFreeze: options.interestFreeze === true,
    termExtension: options.termExtension === true,
    ...(settlement === undefined ? {} : { settlement }),
  };
  const needed = approvalsNeeded(proposedOptions, data.instalments, policy.approvals, metadata.actorRole);
  for (const { option, reason } of needed) {
    if (approvers(option, proposedOptions, data.instalments, policy.approvals).length === 0) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `No role may approve this: ${reason}`, { field: `data.options.${optionField(option)}` });
    }
  }
  return [
    {
      type: 'PlanProposed',
      data: {
        planId: data.planId,
        accountId: data.accountId,
        balance: { minor: balance, currency },
        total,
        outcome: options.feeWaiver === true || settlement !== undefined ? 'settled' : 'paid-in-full',
        frequency: data.frequency,
        schedule,
        options: proposedOptions,
        approvalsNeeded: needed,
        graceDays: policy.graceDays,
        missedToDefault: policy.missedToDefault,
        proposedBy: metadata.actorId,
      },
    },
  ];
}

/** The account's whole balance, refusing an account a plan cannot be made on. */
function openBalance(account: AccountStanding, accountId: string): number {
  if (account.status === 'unplaced') throw new ArrearsError(ErrorCode.NOT_FOUND, `Account ${accountId} has not been placed`, { field: 'data.accountId' });
  if (account.status === 'closed') throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Account ${accountId} is closed: there is nothing to plan`, { field: 'data.accountId' });
  const holds = account.flags.filter((flag) => (PLAN_HOLDS as readonly string[]).includes(flag));
  if (holds.length > 0) {
    throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Account ${accountId} is on hold (${holds.join(', ')}): no plan is made or started until it clears`, { field: 'data.accountId', details: { holds } });
  }
  const balance = account.balance === undefined ? 0 : account.balance.principal + account.balance.fees + account.balance.interest;
  if (balance <= 0) throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Account ${accountId} owes nothing`, { field: 'data.accountId' });
  return balance;
}

/** The options beyond what `role` may grant, each with why. */
function approvalsNeeded(options: Proposed['options'], instalments: number, limits: ApprovalLimits, role: Role): Proposed['approvalsNeeded'] {
  const needed: { option: PlanOption; reason: string }[] = [];
  for (const option of usedOptions(options)) {
    if (!mayGrant(role, option, options, instalments, limits)) needed.push({ option, reason: describe(option, options, instalments) });
  }
  return needed;
}

function usedOptions(options: Proposed['options']): PlanOption[] {
  return [
    ...(options.feeWaiver ? (['fee-waiver'] as const) : []),
    ...(options.interestFreeze ? (['interest-freeze'] as const) : []),
    ...(options.termExtension ? (['term-extension'] as const) : []),
    ...(options.settlement ? (['settlement'] as const) : []),
  ];
}

function mayGrant(role: Role, option: PlanOption, options: Proposed['options'], instalments: number, limits: ApprovalLimits): boolean {
  switch (option) {
    case 'fee-waiver':
      return (options.feeWaiver?.waived.minor ?? 0) <= (limits.feeWaiver[role] ?? -1);
    case 'interest-freeze':
      return limits.interestFreeze.includes(role);
    case 'term-extension':
      return instalments <= (limits.termExtension[role] ?? -1);
    case 'settlement':
      return (options.settlement?.discountBasisPoints ?? 0) <= (limits.settlementBasisPoints[role] ?? -1);
    default:
      return unreachable(option);
  }
}

function approvers(option: PlanOption, options: Proposed['options'], instalments: number, limits: ApprovalLimits): Role[] {
  const roles = new Set<Role>([...(Object.keys(limits.feeWaiver) as Role[]), ...limits.interestFreeze, ...(Object.keys(limits.termExtension) as Role[]), ...(Object.keys(limits.settlementBasisPoints) as Role[])]);
  return [...roles].filter((role) => mayGrant(role, option, options, instalments, limits));
}

function describe(option: PlanOption, options: Proposed['options'], instalments: number): string {
  switch (option) {
    case 'fee-waiver':
      return `waives ${options.feeWaiver?.waived.minor ?? 0} ${options.feeWaiver?.waived.currency ?? ''} of fees`;
    case 'interest-freeze':
      return 'freezes interest';
    case 'term-extension':
      return `runs ${instalments} instalments`;
    case 'settlement':
      return `settles at a discount of ${options.settlement?.discountBasisPoints ?? 0} basis points`;
    default:
      return unreachable(option);
  }
}

function optionField(option: PlanOption): string {
  return { 'fee-waiver': 'feeWaiver', 'interest-freeze': 'interestFreeze', 'term-extension': 'termExtension', settlement: 'settlement' }[option];
}

function approve(command: Command<'ApprovePlan'>, state: CasePlans, limits: ApprovalLimits): PlanEvent[] {
  const { data, metadata } = command;
  const plan = currentPlan(state, data.planId);
  if (plan.awaitingApproval.length === 0) return [];
  if (metadata.actorId === plan.proposedBy) {
    throw new ArrearsError(ErrorCode.FORBIDDEN, 'A plan is approved by someone other than who proposed it', { field: 'metadata.actorId' });
  }
  const beyond = plan.awaitingApproval.filter((option) => !mayGrant(metadata.actorRole, option, plan.options, plan.instalments.length, limits));
  if (beyond.length > 0) {
    throw new ArrearsError(ErrorCode.FORBIDDEN, `A ${metadata.actorRole} may not approve ${beyond.join(', ')} on this plan`, { field: 'metadata.actorRole', details: { options: beyond } });
  }
  return [{ type: 'PlanApproved', data: { planId: plan.planId, accountId: data.accountId, options: [...plan.awaitingApproval], approvedBy: metadata.actorId, ...(data.note ? { note: data.note } : {}) } }];
}

function accept(command: Command<'AcceptPlan'>, state: CasePlans): PlanEvent[] {
  const { data, metadata, account } = command;
  const plan = currentPlan(state, data.planId);
  if (plan.status === 'accepted') {
    if (plan.commitment?.documentId === data.commitment.documentId && plan.commitment.sha256 === data.commitment.sha256) return [];
    throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Plan ${plan.planId} was already accepted with document ${plan.commitment?.documentId ?? ''}`, { field: 'data.commitment' });
  }
  if (plan.awaitingApproval.length > 0) {
    throw new ArrearsError(ErrorCode.STATE_CONFLICT, `Plan ${plan.planId} awaits approval of ${plan.awaitingApproval.join(', ')}`, { field: 'data.planId', details: { awaitingApproval: plan.awaitingApproval } });
  }
  const today = metadata.now.slice(0, 10);
  if (today > plan.firstDueDate) {
    throw new ArrearsError(ErrorCode.STATE_CONFLICT, `The first instalment was due ${plan.firstDueDate}: propose the plan again with new dates`, { field: 'data.planId' });
  }
  const balance = openBalance(account, data.accountId);
  if (balance !== plan.balance) {
    throw new ArrearsError(ErrorCode.STATE_CONFLICT, `The balance changed since the plan was proposed (${plan.balance} → ${balance} ${plan.total.currency}): propose it again`, {
      field: 'data.planId',
      details: { proposedOn: plan.balance, now: balance },
    });
  }
  return [
    {
      type: 'PlanAccepted',
      data: {
        planId: plan.planId,
        accountId: data.accountId,
        commitment: data.commitment,
        acceptedOn: today,
        total: plan.total,
        outcome: plan.outcome,
        schedule: plan.instalments.map((instalment) => ({
          number: instalment.number,
          dueDate: instalment.dueDate,
          amount: { minor: instalment.amount, currency: plan.total.currency },
          missesAt: missesAt(instalment.dueDate, plan.graceDays),
        })),
        acceptedVia: metadata.actorId,
      },
    },
  ];
}

function cancel(command: Command<'CancelPlan'>, state: CasePlans): PlanEvent[] {
  const { data } = command;
  if (state.ended[data.planId] === 'cancelled') return [];
  const plan = currentPlan(state, data.planId);
  return [{ type: 'PlanCancelled', data: { planId: plan.planId, accountId: data.accountId, reason: data.reason, wasAccepted: plan.status === 'accepted' } }];
}

/** The case's current plan if it is `planId`; otherwise NOT_FOUND, or STATE_CONFLICT for one that has ended. */
function currentPlan(state: CasePlans, planId: string): CurrentPlan {
  if (state.current?.planId === planId) return state.current;
  const ended = state.ended[planId];
  throw new ArrearsError(ended === undefined ? ErrorCode.NOT_FOUND : ErrorCode.STATE_CONFLICT, ended === undefined ? `No plan ${planId} on this case` : `Plan ${planId} has ${ended === 'completed' ? 'completed' : ended === 'defaulted' ? 'defaulted' : 'been cancelled'}`, {
    field: 'data.planId',
  });
}

/**
 * A payment counts towards the running plan when it was received on or after the day the plan was accepted, in the
 * plan's currency: the oldest unpaid instalment first (a missed one before the current one), then the next ones
 * (paying ahead). What exceeds the plan stays with the account as credit. A payment already applied changes nothing.
 */
function applyPayment(command: Command<'ApplyPayment'>, state: CasePlans): PlanEvent[] {
  const { data } = command;
  const plan = state.current;
  if (plan?.status !== 'accepted' || state.appliedPayments.includes(data.paymentReference)) return [];
  if (data.amount.currency !== plan.total.currency || data.receivedOn < (plan.acceptedOn ?? '')) return [];
  let left = data.amount.minor;
  const events: PlanEvent[] = [];
  let paidOff = 0;
  for (const instalment of plan.instalments) {
    const applied = Math.min(left, instalment.amount - instalment.paid);
    if (applied <= 0) {
      if (isPaid(instalment)) paidOff += 1;
      continue;
    }
    left -= applied;
    const paidTotal = instalment.paid + applied;
    const base = {
      planId: plan.planId,
      accountId: data.accountId,
      number: instalment.number,
      dueDate: instalment.dueDate,
      paymentReference: data.paymentReference,
      receivedOn: data.receivedOn,
      applied: { minor: applied, currency: plan.total.currency },
      paidTotal: { minor: paidTotal, currency: plan.total.currency },
      amount: { minor: instalment.amount, currency: plan.total.currency },
      late: data.receivedOn > instalment.dueDate,
    };
    if (paidTotal >= instalment.amount) {
      paidOff += 1;
      events.push({ type: 'InstalmentPaid', data: { ...base, wasMissed: instalment.missed } });
    } else {
      events.push({ type: 'InstalmentPartiallyPaid', data: base });
    }
  }
  if (paidOff === plan.instalments.length && events.length > 0) {
    events.push({ type: 'PlanCompleted', data: { planId: plan.planId, accountId: data.accountId, outcome: plan.outcome, total: plan.total, paid: plan.total, completedOn: data.receivedOn } });
  }
  return events;
}

/**
 * The timer's check when an instalment's grace ends: still unpaid → missed; as many missed and unpaid as the plan
 * allows → defaulted. Paid, already missed, early, or a plan no longer running → nothing.
 */
function checkInstalment(command: Command<'CheckInstalment'>, state: CasePlans): PlanEvent[] {
  const { data, metadata } = command;
  const plan = state.current;
  if (plan?.planId !== data.planId || plan.status !== 'accepted') return [];
  const instalment = plan.instalments.find((candidate) => candidate.number === data.number);
  if (instalment === undefined || isPaid(instalment) || instalment.missed || Date.parse(metadata.now) < Date.parse(instalment.missesAt)) return [];
  const missed = plan.instalments.filter((candidate) => (candidate.missed || candidate.number === instalment.number) && !isPaid(candidate)).map((candidate) => candidate.number);
  const currency = plan.total.currency;
  const events: PlanEvent[] = [
    {
      type: 'InstalmentMissed',
      data: {
        planId: plan.planId,
        accountId: data.accountId,
        number: instalment.number,
        dueDate: instalment.dueDate,
        amount: { minor: instalment.amount, currency },
        paid: { minor: instalment.paid, currency },
        missedOutstanding: missed.length,
      },
    },
  ];
  if (missed.length >= plan.missedToDefault) {
    const paid = plan.instalments.reduce((sum, candidate) => sum + candidate.paid, 0);
    events.push({
      type: 'PlanDefaulted',
      data: { planId: plan.planId, accountId: data.accountId, missedInstalments: missed, total: plan.total, paid: { minor: paid, currency }, outstanding: { minor: plan.total.minor - paid, currency }, defaultedOn: metadata.now.slice(0, 10) },
    });
  }
  return events;
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
}
