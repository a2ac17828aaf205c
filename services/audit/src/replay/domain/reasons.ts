import type { accounts, caseWorkflow, contactAttempts, legalEscalation, paymentPlans, promisesToPay } from '@arrears/contracts';
import { unreachable, type DecodedEvent, type SagaEffect } from './decode';

/** One reason a decision gives: what an auditor asks "why?" of. */
export interface Reason {
  /** What gave it: a compliance rule id, a flag that holds, a plan option, an error code, an assignment factor… null when the reason is prose alone. */
  readonly code: string | null;
  readonly message: string;
  /** The figures it rested on (counted, limit, nextAllowedAt, points…), as the event gives them; empty when none. */
  readonly facts: Readonly<Record<string, string | number | boolean>>;
}

type Facts = Record<string, string | number | boolean | undefined>;

function reason(code: string | null, message: string, facts: Facts = {}): Reason {
  const given = Object.entries(facts).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
  return { code, message, facts: Object.fromEntries(given) };
}

const holds = (flags: readonly string[]): Reason[] => flags.map((flag) => reason(flag, `hold: ${flag}`));
const prose = (reasons: readonly string[]): Reason[] => reasons.map((text) => reason(null, text));

/**
 * The reasons of each decision, in the order the event gives them: every rule of a compliance decision, the reason
 * of a stage entry, a missed deadline, a saga's command or its refusal, an escalation and its holds, the factors of
 * an assignment, the approvals a plan needs… Events that decide nothing give none. Exhaustive like describe.ts.
 */
export function reasonsOf(decoded: DecodedEvent): Reason[] {
  switch (decoded.service) {
    case 'accounts':
      return accountReasons(decoded.event);
    case 'contact-attempts':
      return contactReasons(decoded.event);
    case 'promises-to-pay':
      return promiseReasons(decoded.event);
    case 'payment-plans':
      return planReasons(decoded.event);
    case 'case-workflow':
      return caseReasons(decoded.event);
    case 'legal-escalation':
      return legalReasons(decoded.event);
    default:
      return unreachable(decoded);
  }
}

function accountReasons(event: accounts.AccountEvent): Reason[] {
  switch (event.type) {
    case 'BalanceAdjusted':
      return [reason(event.data.kind, event.data.reason, { approvedBy: event.data.approvedBy })];
    case 'AccountFlagged':
      return [reason(event.data.flag, event.data.reason, { endsOn: event.data.endsOn })];
    case 'FlagCleared':
      return [reason(event.data.flag, event.data.reason)];
    case 'AccountClosed':
      return [reason(event.data.reason, event.data.note ?? `closed as ${event.data.reason}`)];
    case 'DebtorDataErased':
      return [reason(null, event.data.reason)];
    case 'RiskTierChanged':
      return Object.entries(event.data.factors)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([factor, points]) => reason(factor, `${points} points`, { points }));
    case 'AccountPlaced':
    case 'PaymentPosted':
    case 'ContactDetailsUpdated':
    case 'AgingBucketChanged':
    case 'BrokenPromiseNoted':
      return [];
    default:
      return unreachable(event);
  }
}

const complianceReasons = (reasons: readonly contactAttempts.ComplianceReason[]): Reason[] =>
  reasons.map(({ ruleId, message, counted, limit, nextAllowedAt }) => reason(ruleId, message, { counted, limit, nextAllowedAt }));

function contactReasons(event: contactAttempts.ContactEvent | contactAttempts.ScriptEvent): Reason[] {
  switch (event.type) {
    case 'ContactAllowed':
    case 'ContactBlocked':
      return complianceReasons(event.data.reasons);
    case 'ProhibitedLanguageDetected':
    case 'ScriptRejected':
      return event.data.hits.map((hit) => reason(hit.ruleId, `${hit.category}: "${hit.term}"`, { category: hit.category }));
    case 'ComplaintResolved':
      return [reason(event.data.upheld ? 'upheld' : 'not-upheld', event.data.resolution)];
    case 'AttemptOutcomeRecorded':
    case 'ContactPreferenceSet':
    case 'ComplaintRecorded':
    case 'DialTargetReleased':
    case 'ScriptSaved':
      return [];
    default:
      return unreachable(event);
  }
}

function promiseReasons(event: promisesToPay.PromiseEvent): Reason[] {
  switch (event.type) {
    case 'PromiseCancelled':
      return [reason(null, event.data.reason)];
    case 'PromiseBroken':
      return [reason('broken', `${event.data.paid.minor} of ${event.data.promised.minor} minor units paid by ${event.data.dueDate}`, { dueDate: event.data.dueDate, brokenOn: event.data.brokenOn })];
    case 'PromiseRecorded':
    case 'PromisePartiallyKept':
    case 'PromiseKept':
      return [];
    default:
      return unreachable(event);
  }
}

function planReasons(event: paymentPlans.PlanEvent): Reason[] {
  switch (event.type) {
    case 'PlanProposed':
      return event.data.approvalsNeeded.map((needed) => reason(needed.option, needed.reason));
    case 'PlanApproved':
      return event.data.options.map((option) => reason(option, event.data.note ?? `approved by ${event.data.approvedBy}`, { approvedBy: event.data.approvedBy }));
    case 'PlanDefaulted':
      return [reason('missed-instalments', `instalments ${event.data.missedInstalments.join(', ')} missed and unpaid`)];
    case 'PlanCancelled':
      return [reason(null, event.data.reason)];
    case 'PlanAccepted':
    case 'InstalmentPartiallyPaid':
    case 'InstalmentPaid':
    case 'InstalmentMissed':
    case 'PlanCompleted':
      return [];
    default:
      return unreachable(event);
  }
}

function sagaReasons(event: SagaEffect): Reason[] {
  switch (event.type) {
    case 'SagaCommandIssued':
      return [reason(`${event.data.service}.${event.data.command}`, event.data.reason, { commandId: event.data.commandId })];
    case 'SagaCommandRefused':
      return [reason(event.data.code, event.data.message, { service: event.data.service, command: event.data.command, commandId: event.data.commandId })];
    case 'SagaTimerSet':
    case 'SagaTimerCleared':
      return [];
    default:
      return unreachable(event);
  }
}

function caseReasons(event: caseWorkflow.CaseEvent | caseWorkflow.RosterEvent): Reason[] {
  switch (event.type) {
    case 'StageEntered':
      return [reason(event.data.closeReason ?? null, event.data.reason, { stage: event.data.stage, from: event.data.from, entry: event.data.entry })];
    case 'DeadlineMissed':
      return [reason(event.data.item, event.data.reason, { stage: event.data.stage, dueAt: event.data.dueAt, collectorId: event.data.collectorId })];
    case 'LegalEscalationRequested':
      return prose(event.data.reasons);
    case 'LegalEscalationHeld':
      return [...prose(event.data.reasons), ...holds(event.data.holds)];
    case 'CaseSignalRecorded':
      return event.data.detail.note === undefined ? [] : [reason(event.data.signal, event.data.detail.note, { by: event.data.detail.by })];
    case 'CaseAssigned':
      return [
        reason(event.data.reason, `assigned for ${event.data.reason} with score ${event.data.score}`, { score: event.data.score }),
        ...event.data.factors.map((factor) => reason(factor.factor, factor.detail, { points: factor.points })),
        ...event.data.alternatives.map((alternative) => reason('runner-up', `${alternative.collectorId} scored ${alternative.score}`, { collectorId: alternative.collectorId, score: alternative.score })),
      ];
    case 'CaseUnassigned':
      return [reason(event.data.reason, event.data.why)];
    case 'CollectorAvailabilityChanged':
      return [reason(null, event.data.reason)];
    case 'SagaCommandIssued':
    case 'SagaCommandRefused':
    case 'SagaTimerSet':
    case 'SagaTimerCleared':
      return sagaReasons(event);
    case 'CaseOpened':
    case 'ChecklistItemDone':
    case 'ChecklistDeadlineSet':
    case 'CollectorRegistered':
    case 'CollectorUpdated':
    case 'CaseReleased':
      return [];
    default:
      return unreachable(event);
  }
}

function legalReasons(event: legalEscalation.LegalEvent): Reason[] {
  switch (event.type) {
    case 'HandoffStarted':
      return prose(event.data.reasons);
    case 'HandoffRefused':
      return [reason(null, event.data.reason), ...holds(event.data.holds)];
    case 'LitigationStatusReported':
      return event.data.note === undefined ? [] : [reason(event.data.status, event.data.note)];
    case 'SagaCommandIssued':
    case 'SagaCommandRefused':
    case 'SagaTimerSet':
    case 'SagaTimerCleared':
      return sagaReasons(event);
    case 'EvidenceFixed':
    case 'LegalPackageDelivered':
    case 'HandoffReminderSent':
    case 'LegalHandoffOverdue':
    case 'HandoffAcknowledged':
      return [];
    default:
      return unreachable(event);
  }
}
