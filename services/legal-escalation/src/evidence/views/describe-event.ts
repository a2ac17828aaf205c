import { formatMoney } from './money';
import type { KnownEvent } from './decode';

const money = (amount: { readonly minor: number; readonly currency: string }) => formatMoney(amount.minor, amount.currency);
const rules = (reasons: readonly { readonly ruleId: string }[]) => (reasons.length === 0 ? 'no rule objected' : reasons.map((reason) => reason.ruleId).join(', '));

/** What one event says, in a line. Events without a line of their own are shown by type. */
export function describeEvent(event: KnownEvent): string {
  switch (event.type) {
    case 'AccountPlaced': {
      const { balance, currency, creditor, creditorReference } = event.data;
      return `Placed by ${creditor.name} (ref. ${creditorReference}): ${formatMoney(balance.principal + balance.fees + balance.interest, currency)} owed, due ${event.data.dueDate}`;
    }
    case 'PaymentPosted':
      return `Payment ${event.data.paymentReference} of ${money(event.data.amount)} received ${event.data.receivedOn} via ${event.data.channel}`;
    case 'BalanceAdjusted':
      return `${event.data.kind} of ${money(event.data.amount)} approved by ${event.data.approvedBy}: ${event.data.reason}`;
    case 'AccountFlagged':
      return `Flag set: ${event.data.flag} (${event.data.reason})`;
    case 'FlagCleared':
      return `Flag cleared: ${event.data.flag} (${event.data.reason})`;
    case 'AccountClosed':
      return `Account closed: ${event.data.reason}`;
    case 'AgingBucketChanged':
      return `Aging bucket ${event.data.from ?? 'none'} -> ${event.data.to} (${event.data.daysPastDue} days past due)`;
    case 'RiskTierChanged':
      return `Risk tier ${event.data.from ?? 'none'} -> ${event.data.to} (score ${event.data.score})`;
    case 'ContactDetailsUpdated':
      return 'Contact details replaced (encrypted)';
    case 'BrokenPromiseNoted':
      return `Broken promise noted (due ${event.data.dueDate})`;
    case 'DebtorDataErased':
      return `Debtor's personal data erased: ${event.data.reason}`;
    case 'ContactAllowed':
      return `${event.data.channel} to ${event.data.target.kind} allowed (${event.data.purpose}; ${rules(event.data.reasons)})`;
    case 'ContactBlocked':
      return `${event.data.channel} to ${event.data.target.kind} BLOCKED by ${rules(event.data.reasons)}`;
    case 'AttemptOutcomeRecorded':
      return `Attempt outcome: ${event.data.outcome}${event.data.conversation ? ', conversation' : ''}${event.data.durationSeconds === undefined ? '' : `, ${event.data.durationSeconds} s`}`;
    case 'ComplaintRecorded':
      return `Complaint received: ${event.data.category}`;
    case 'ComplaintResolved':
      return `Complaint resolved, ${event.data.upheld ? 'upheld' : 'not upheld'}: ${event.data.resolution}`;
    case 'ProhibitedLanguageDetected':
      return `Prohibited language detected in ${event.data.source}: ${event.data.hits.map((hit) => hit.category).join(', ')}`;
    case 'PromiseRecorded':
      return `Promise to pay ${money(event.data.amount)} by ${event.data.dueDate} (grace ${event.data.graceDays} days)`;
    case 'PromisePartiallyKept':
      return `Promise partly kept: ${money(event.data.paidTotal)} of ${money(event.data.promised)}`;
    case 'PromiseKept':
      return `Promise kept: ${money(event.data.paidTotal)} of ${money(event.data.promised)}`;
    case 'PromiseBroken':
      return `Promise BROKEN: ${money(event.data.paid)} of ${money(event.data.promised)} paid by ${event.data.dueDate}`;
    case 'PromiseCancelled':
      return `Promise cancelled: ${event.data.reason}`;
    case 'PlanProposed':
      return `Plan proposed: ${event.data.schedule.length} ${event.data.frequency} instalments, ${money(event.data.total)} in all`;
    case 'PlanApproved':
      return `Plan options approved by ${event.data.approvedBy}: ${event.data.options.join(', ')}`;
    case 'PlanAccepted':
      return `Plan accepted in writing on ${event.data.acceptedOn} (document ${event.data.commitment.documentId})`;
    case 'InstalmentPartiallyPaid':
      return `Instalment ${event.data.number} partly paid: ${money(event.data.paidTotal)} of ${money(event.data.amount)}`;
    case 'InstalmentPaid':
      return `Instalment ${event.data.number} paid${event.data.late ? ' late' : ''}`;
    case 'InstalmentMissed':
      return `Instalment ${event.data.number} MISSED (${money(event.data.paid)} of ${money(event.data.amount)} due ${event.data.dueDate})`;
    case 'PlanDefaulted':
      return `Plan DEFAULTED: ${money(event.data.outstanding)} outstanding`;
    case 'PlanCompleted':
      return `Plan completed: ${money(event.data.paid)} paid`;
    case 'PlanCancelled':
      return `Plan cancelled: ${event.data.reason}`;
    case 'CaseOpened':
      return 'Case opened';
    case 'StageEntered':
      return `Stage ${event.data.stage} entered: ${event.data.reason}`;
    case 'ChecklistItemDone':
      return `Checklist: ${event.data.item} done (${event.data.stage})`;
    case 'DeadlineMissed':
      return `Deadline missed: ${event.data.item} (${event.data.stage}), due ${event.data.dueAt}`;
    case 'LegalEscalationRequested':
      return `Legal escalation requested by ${event.data.requestedBy}: ${event.data.reasons.join('; ')}`;
    case 'LegalEscalationHeld':
      return `Legal escalation held by ${event.data.holds.join(', ')}`;
    case 'CaseAssigned':
      return `Assigned to collector ${event.data.collectorId} (${event.data.reason})`;
    case 'CaseUnassigned':
      return `Unassigned: ${event.data.why}`;
    case 'CaseReleased':
      return `Released from the roster (${event.data.outcome})`;
    case 'HandoffStarted':
      return `Handoff ${event.data.handoff} to legal started: ${event.data.reasons.join('; ')}`;
    case 'HandoffRefused':
      return `Handoff ${event.data.handoff} refused: ${event.data.reason}`;
    case 'EvidenceFixed':
      return `Evidence fixed: package ${event.data.packageId}`;
    case 'LitigationStatusReported':
      return `Litigation: ${event.data.status} on ${event.data.on}`;
    default:
      return event.type;
  }
}
