/**
 * The reference the as-of property compares the replay with: written apart from it, by hand, as plainly as it can
 * be — an explicit filter and sort, then one loop with one mutable record and one `case` per event. It shares no code
 * with the replay's domain, only the contracts (which events exist and what their data holds).
 */
import {
  PlatformEventCatalog,
  type accounts,
  type caseWorkflow,
  type contactAttempts,
  type EventEnvelope,
  type legalEscalation,
  type paymentPlans,
  type promisesToPay,
} from '@arrears/contracts';
import type { CaseSnapshot } from '../domain/snapshot';

export type Basis = 'recorded' | 'occurred';

/** What the reference knows how to tell; `observe` reads the same out of a replayed snapshot. */
export interface Observed {
  events: number;
  unread: number;
  account: {
    status: string;
    total: number | null;
    credit: number;
    flags: string[];
    bucket: string | null;
    tier: string | null;
    brokenPromises: number;
    payments: number;
    paidTotal: number;
    closeReason: string | null;
    personalData: string;
  };
  contact: {
    allowed: number;
    blocked: number;
    blockedByRule: Record<string, number>;
    outcomes: Record<string, number>;
    conversations: number;
    lastOutcome: string | null;
    complaints: Record<string, string>;
    prohibitedLanguage: number;
    dialTargetsReleased: number;
  };
  promises: Record<string, { status: string; paid: number }>;
  plans: Record<string, { status: string; paid: number; instalments: Record<string, string> }>;
  legal: { escalation: string; handoffs: Record<string, { status: string; litigation: string | null }> };
  workflow: {
    stage: string | null;
    entry: number;
    checklist: Record<string, string>;
    deadlinesMissed: number;
    collector: string | null;
    assignment: string;
    sagaIssued: number;
    sagaRefused: number;
  };
}

type AnyEvent =
  | accounts.AccountEvent
  | contactAttempts.ContactEvent
  | contactAttempts.ScriptEvent
  | promisesToPay.PromiseEvent
  | paymentPlans.PlanEvent
  | caseWorkflow.CaseEvent
  | caseWorkflow.RosterEvent
  | legalEscalation.LegalEvent;

const CATALOG = new PlatformEventCatalog();

/** The events counted as of `at`: each id once, sorted by commit then prepare as numbers, kept when their instant is not after `at`. */
export function knownAt(events: readonly EventEnvelope[], at: string, basis: Basis): EventEnvelope[] {
  const unique = new Map<string, EventEnvelope>();
  for (const event of events) if (!unique.has(event.eventId)) unique.set(event.eventId, event);
  const numbers = (event: EventEnvelope) => event.globalPosition.split(':').map((part) => BigInt(part)) as [bigint, bigint];
  const sorted = [...unique.values()].sort((a, b) => {
    const [ac, ap] = numbers(a);
    const [bc, bp] = numbers(b);
    if (ac !== bc) return ac < bc ? -1 : 1;
    return ap === bp ? 0 : ap < bp ? -1 : 1;
  });
  return sorted.filter((event) => Date.parse(basis === 'recorded' ? event.recordedAt : event.occurredAt) <= Date.parse(at));
}

function readable(event: EventEnvelope): AnyEvent | null {
  try {
    return CATALOG.has(event) ? (CATALOG.decode(event) as AnyEvent) : null;
  } catch {
    return null;
  }
}

export function referenceState(prefix: readonly EventEnvelope[]): Observed {
  const o: Observed = {
    events: 0,
    unread: 0,
    account: { status: 'unplaced', total: null, credit: 0, flags: [], bucket: null, tier: null, brokenPromises: 0, payments: 0, paidTotal: 0, closeReason: null, personalData: 'none' },
    contact: { allowed: 0, blocked: 0, blockedByRule: {}, outcomes: {}, conversations: 0, lastOutcome: null, complaints: {}, prohibitedLanguage: 0, dialTargetsReleased: 0 },
    promises: {},
    plans: {},
    legal: { escalation: 'none', handoffs: {} },
    workflow: { stage: null, entry: 0, checklist: {}, deadlinesMissed: 0, collector: null, assignment: 'unassigned', sagaIssued: 0, sagaRefused: 0 },
  };
  const sum = (b: accounts.Balance) => b.principal + b.fees + b.interest;
  const promise = (id: string) => (o.promises[id] ??= { status: 'open', paid: 0 });
  const plan = (id: string) => (o.plans[id] ??= { status: 'proposed', paid: 0, instalments: {} });
  const handoff = (n: number) => (o.legal.handoffs[String(n)] ??= { status: 'started', litigation: null });
  const instalment = (planId: string, n: number, status: string, paid: number) => {
    const p = plan(planId);
    p.instalments[String(n)] = status;
    p.paid += paid;
  };
  const paidSoFar = new Map<string, number>(); // plan:instalment → paid, to add only what is new

  for (const envelope of prefix) {
    o.events += 1;
    const event = readable(envelope);
    if (event === null) {
      o.unread += 1;
      continue;
    }
    switch (event.type) {
      case 'AccountPlaced':
        o.account.status = 'open';
        o.account.total = sum(event.data.balance);
        o.account.personalData = 'encrypted';
        break;
      case 'PaymentPosted':
        o.account.total = sum(event.data.balanceAfter);
        o.account.credit = event.data.creditAfter;
        o.account.payments += 1;
        o.account.paidTotal += event.data.amount.minor;
        break;
      case 'BalanceAdjusted':
        o.account.total = sum(event.data.balanceAfter);
        break;
      case 'AccountFlagged':
        if (!o.account.flags.includes(event.data.flag)) o.account.flags.push(event.data.flag);
        break;
      case 'FlagCleared':
        o.account.flags = o.account.flags.filter((flag) => flag !== event.data.flag);
        break;
      case 'AccountClosed':
        o.account.status = 'closed';
        o.account.total = sum(event.data.balanceAtClose);
        o.account.credit = event.data.creditAtClose;
        o.account.closeReason = event.data.reason;
        break;
      case 'DebtorDataErased':
        o.account.personalData = 'erased';
        break;
      case 'AgingBucketChanged':
        o.account.bucket = event.data.to;
        break;
      case 'RiskTierChanged':
        o.account.tier = event.data.to;
        break;
      case 'BrokenPromiseNoted':
        o.account.brokenPromises += 1;
        break;
      case 'ContactAllowed':
        o.contact.allowed += 1;
        break;
      case 'ContactBlocked':
        o.contact.blocked += 1;
        for (const ruleId of new Set(event.data.reasons.map((reason) => reason.ruleId))) o.contact.blockedByRule[ruleId] = (o.contact.blockedByRule[ruleId] ?? 0) + 1;
        break;
      case 'AttemptOutcomeRecorded':
        o.contact.outcomes[event.data.outcome] = (o.contact.outcomes[event.data.outcome] ?? 0) + 1;
        if (event.data.conversation) o.contact.conversations += 1;
        o.contact.lastOutcome = event.data.outcome;
        break;
      case 'ComplaintRecorded':
        o.contact.complaints[event.data.complaintId] ??= 'open';
        break;
      case 'ComplaintResolved':
        o.contact.complaints[event.data.complaintId] = 'resolved';
        break;
      case 'ProhibitedLanguageDetected':
        o.contact.prohibitedLanguage += 1;
        break;
      case 'DialTargetReleased':
        o.contact.dialTargetsReleased += 1;
        break;
      case 'PromiseRecorded':
        promise(event.data.promiseId);
        break;
      case 'PromisePartiallyKept':
        promise(event.data.promiseId).paid = event.data.paidTotal.minor;
        break;
      case 'PromiseKept':
        o.promises[event.data.promiseId] = { status: 'kept', paid: event.data.paidTotal.minor };
        break;
      case 'PromiseBroken':
        o.promises[event.data.promiseId] = { status: 'broken', paid: event.data.paid.minor };
        break;
      case 'PromiseCancelled':
        promise(event.data.promiseId).status = 'cancelled';
        break;
      case 'PlanProposed':
      case 'PlanAccepted': {
        const p = plan(event.data.planId);
        p.status = event.type === 'PlanProposed' ? p.status : 'accepted';
        p.paid = 0;
        p.instalments = {};
        for (const due of event.data.schedule) {
          p.instalments[String(due.number)] = 'due';
          paidSoFar.set(`${event.data.planId}:${due.number}`, 0);
        }
        break;
      }
      case 'InstalmentPartiallyPaid':
      case 'InstalmentPaid': {
        const key = `${event.data.planId}:${event.data.number}`;
        const before = paidSoFar.get(key) ?? 0;
        paidSoFar.set(key, event.data.paidTotal.minor);
        const current = plan(event.data.planId).instalments[String(event.data.number)];
        const status = event.type === 'InstalmentPaid' ? 'paid' : current === 'missed' ? 'missed' : 'partly-paid';
        instalment(event.data.planId, event.data.number, status, event.data.paidTotal.minor - before);
        break;
      }
      case 'InstalmentMissed': {
        const key = `${event.data.planId}:${event.data.number}`;
        const before = paidSoFar.get(key) ?? 0;
        paidSoFar.set(key, event.data.paid.minor);
        instalment(event.data.planId, event.data.number, 'missed', event.data.paid.minor - before);
        break;
      }
      case 'PlanApproved':
        plan(event.data.planId);
        break;
      case 'PlanDefaulted':
        plan(event.data.planId).status = 'defaulted';
        break;
      case 'PlanCompleted':
        plan(event.data.planId).status = 'completed';
        break;
      case 'PlanCancelled':
        plan(event.data.planId).status = 'cancelled';
        break;
      case 'HandoffStarted':
        handoff(event.data.handoff);
        break;
      case 'HandoffRefused':
        handoff(event.data.handoff).status = 'refused';
        break;
      case 'EvidenceFixed': {
        const h = handoff(event.data.handoff);
        if (h.status === 'started') h.status = 'evidence-fixed';
        break;
      }
      case 'LegalPackageDelivered': {
        const h = handoff(event.data.handoff);
        if (h.status === 'started' || h.status === 'evidence-fixed') h.status = 'delivered';
        break;
      }
      case 'HandoffAcknowledged': {
        const h = handoff(event.data.handoff);
        if (h.status !== 'refused') h.status = 'acknowledged';
        break;
      }
      case 'LitigationStatusReported':
        handoff(event.data.handoff).litigation = event.data.status;
        break;
      case 'HandoffReminderSent':
      case 'LegalHandoffOverdue':
        handoff(event.data.handoff);
        break;
      case 'LegalEscalationRequested':
        o.legal.escalation = 'requested';
        break;
      case 'LegalEscalationHeld':
        o.legal.escalation = 'held';
        break;
      case 'StageEntered':
        o.workflow.stage = event.data.stage;
        o.workflow.entry = event.data.entry;
        o.workflow.checklist = {};
        for (const item of event.data.checklist) o.workflow.checklist[item.item] = 'open';
        break;
      case 'ChecklistItemDone':
        if (event.data.entry === o.workflow.entry) o.workflow.checklist[event.data.item] = 'done';
        break;
      case 'ChecklistDeadlineSet':
        if (event.data.entry === o.workflow.entry) o.workflow.checklist[event.data.item] ??= 'open';
        break;
      case 'DeadlineMissed':
        o.workflow.deadlinesMissed += 1;
        if (event.data.entry === o.workflow.entry) o.workflow.checklist[event.data.item] = 'missed';
        break;
      case 'CaseAssigned':
        o.workflow.collector = event.data.collectorId;
        o.workflow.assignment = 'assigned';
        break;
      case 'CaseUnassigned':
        o.workflow.collector = null;
        o.workflow.assignment = 'queued';
        break;
      case 'CaseReleased':
        o.workflow.assignment = 'released';
        break;
      case 'SagaCommandIssued':
        if (envelope.streamId.startsWith('case-')) o.workflow.sagaIssued += 1;
        break;
      case 'SagaCommandRefused':
        if (envelope.streamId.startsWith('case-')) o.workflow.sagaRefused += 1;
        break;
      default:
        break; // events that change nothing the reference tells
    }
  }
  o.account.flags.sort();
  return o;
}

/** The same observations, read out of a snapshot the replay made. */
export function observe(snapshot: CaseSnapshot): Observed {
  const { account, contact, workflow } = snapshot;
  return {
    events: snapshot.replayed.events,
    unread: snapshot.replayed.unread,
    account: {
      status: account.status,
      total: account.balance?.total ?? null,
      credit: account.credit,
      flags: [...account.flags].sort(),
      bucket: account.bucket,
      tier: account.tier,
      brokenPromises: account.brokenPromises,
      payments: account.payments.count,
      paidTotal: account.payments.total,
      closeReason: account.closeReason,
      personalData: account.personalData,
    },
    contact: {
      allowed: contact.attempts.allowed,
      blocked: contact.attempts.blocked,
      blockedByRule: { ...contact.attempts.blockedByRule },
      outcomes: { ...contact.attempts.outcomes },
      conversations: contact.attempts.conversations,
      lastOutcome: contact.lastOutcome?.outcome ?? null,
      complaints: Object.fromEntries(Object.entries(contact.complaints.items).map(([id, complaint]) => [id, complaint.status])),
      prohibitedLanguage: contact.prohibitedLanguage,
      dialTargetsReleased: contact.dialTargetsReleased,
    },
    promises: Object.fromEntries(Object.entries(snapshot.promises).map(([id, promise]) => [id, { status: promise.status, paid: promise.paid }])),
    plans: Object.fromEntries(
      Object.entries(snapshot.plans).map(([id, plan]) => [id, { status: plan.status, paid: plan.paid, instalments: Object.fromEntries(Object.entries(plan.instalments).map(([n, due]) => [n, due.status])) }]),
    ),
    legal: {
      escalation: snapshot.legal.escalation,
      handoffs: Object.fromEntries(Object.entries(snapshot.legal.handoffs).map(([n, handoff]) => [n, { status: handoff.status, litigation: handoff.litigation?.status ?? null }])),
    },
    workflow: {
      stage: workflow.stage,
      entry: workflow.entry,
      checklist: Object.fromEntries(Object.entries(workflow.checklist).map(([item, entry]) => [item, entry.status])),
      deadlinesMissed: workflow.deadlinesMissed,
      collector: workflow.collector,
      assignment: workflow.assignment.status,
      sagaIssued: workflow.sagaCommands.issued,
      sagaRefused: workflow.sagaCommands.refused,
    },
  };
}
