import type { accounts, caseWorkflow, contactAttempts, legalEscalation, paymentPlans, promisesToPay } from '@arrears/contracts';
import { unreachable, type DecodedEvent, type SagaEffect } from './decode';
import { formatMoney, money } from './money';
import { ENCRYPTED } from './personal-data';

/*
 * One line per event, for a person reading the history. Every switch is exhaustive: an event added to the contracts
 * fails to compile here until someone says how an auditor should read it. Personal fields are never quoted — they
 * are ciphertexts, shown as [encrypted] — and the reasons of a decision are listed apart (reasons.ts).
 */

const total = (balance: accounts.Balance) => balance.principal + balance.fees + balance.interest;
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const list = (items: readonly string[], none = 'none') => (items.length === 0 ? none : items.join(', '));

export function describeEvent(decoded: DecodedEvent): string {
  switch (decoded.service) {
    case 'accounts':
      return describeAccountEvent(decoded.event);
    case 'contact-attempts':
      return describeContactEvent(decoded.event);
    case 'promises-to-pay':
      return describePromiseEvent(decoded.event);
    case 'payment-plans':
      return describePlanEvent(decoded.event);
    case 'case-workflow':
      return describeCaseEvent(decoded.event);
    case 'legal-escalation':
      return describeLegalEvent(decoded.event);
    default:
      return unreachable(decoded);
  }
}

function describeAccountEvent(event: accounts.AccountEvent): string {
  switch (event.type) {
    case 'AccountPlaced': {
      const { balance, currency, creditor, creditorReference, product, dueDate, debtor } = event.data;
      const parts = `principal ${formatMoney(balance.principal, currency)}, fees ${formatMoney(balance.fees, currency)}, interest ${formatMoney(balance.interest, currency)}`;
      return `Account placed by ${creditor.name} (ref. ${creditorReference}), ${product}: ${formatMoney(total(balance), currency)} owed (${parts}), due ${dueDate}; debtor ${ENCRYPTED}, ${debtor.jurisdiction}`;
    }
    case 'PaymentPosted': {
      const { paymentReference, amount, receivedOn, channel, balanceAfter, creditAfter } = event.data;
      const credit = creditAfter > 0 ? `, ${formatMoney(creditAfter, amount.currency)} held as credit` : '';
      return `Payment ${paymentReference} of ${money(amount)} received ${receivedOn} via ${channel}: ${formatMoney(total(balanceAfter), amount.currency)} left${credit}`;
    }
    case 'BalanceAdjusted': {
      const { kind, amount, approvedBy, balanceAfter } = event.data;
      if (kind === 'interest-freeze') return `Interest frozen, approved by ${approvedBy}`;
      if (kind === 'interest-unfreeze') return `Interest unfrozen, approved by ${approvedBy}`;
      return `${kind === 'fee-waiver' ? 'Fees' : 'Interest'} of ${money(amount)} waived, approved by ${approvedBy}: ${formatMoney(total(balanceAfter), amount.currency)} left`;
    }
    case 'AccountFlagged': {
      const { flag, endsOn, attorneyContact } = event.data;
      return `Flagged ${flag}${endsOn === undefined ? '' : ` until ${endsOn}`}${attorneyContact === undefined ? '' : `; attorney contact ${ENCRYPTED}`}`;
    }
    case 'FlagCleared':
      return `Flag ${event.data.flag} cleared`;
    case 'ContactDetailsUpdated': {
      const { phones, emails, postalAddress, timeZone, language } = event.data;
      const address = postalAddress === undefined ? '' : `, postal address ${ENCRYPTED}`;
      return `Contact details replaced: ${count(phones.length, 'phone')} ${ENCRYPTED}, ${count(emails.length, 'email')} ${ENCRYPTED}${address}; time zone ${timeZone ?? 'unknown'}, language ${language}`;
    }
    case 'AccountClosed': {
      // The event names no currency: the amounts are the account's minor units, shown as such.
      const owed = total(event.data.balanceAtClose);
      return `Account closed as ${event.data.reason}: ${owed === 0 ? 'nothing' : `${owed} minor units`} owed${event.data.creditAtClose > 0 ? `, ${event.data.creditAtClose} minor units held as credit` : ''}`;
    }
    case 'DebtorDataErased':
      return "Debtor's personal data erased: their key is deleted, every personal field of theirs now reads as erased";
    case 'AgingBucketChanged':
      return `Aging bucket ${event.data.from ?? 'none'} -> ${event.data.to} at ${event.data.daysPastDue} days past due (as of ${event.data.asOf})`;
    case 'RiskTierChanged':
      return `Risk tier ${event.data.from ?? 'none'} -> ${event.data.to}, score ${event.data.score} (as of ${event.data.asOf})`;
    case 'BrokenPromiseNoted':
      return `Broken promise ${event.data.promiseId} (due ${event.data.dueDate}) counted against the account`;
    default:
      return unreachable(event);
  }
}

function describeContactEvent(event: contactAttempts.ContactEvent | contactAttempts.ScriptEvent): string {
  switch (event.type) {
    case 'ContactAllowed': {
      const { channel, target, purpose, intendedAt, rulePack, reasons } = event.data;
      return `${channel} to ${target.kind} ${ENCRYPTED} ALLOWED for ${purpose} at ${intendedAt} (${rulePack}; ${count(reasons.length, 'rule')} noted)`;
    }
    case 'ContactBlocked': {
      const { channel, target, intendedAt, reasons, nextAllowedAt } = event.data;
      const next = nextAllowedAt === undefined ? '' : `; next allowed at ${nextAllowedAt}`;
      return `${channel} to ${target.kind} ${ENCRYPTED} at ${intendedAt} BLOCKED by ${list(reasons.map((reason) => reason.ruleId))}${next}`;
    }
    case 'AttemptOutcomeRecorded': {
      const { outcome, conversation, durationSeconds, recordingReference, notes, transcript } = event.data;
      return [
        `Attempt outcome: ${outcome}`,
        conversation ? ', conversation' : '',
        durationSeconds === undefined ? '' : `, ${durationSeconds} s`,
        recordingReference === undefined ? '' : `, recording ${recordingReference}`,
        notes === undefined ? '' : `; notes ${ENCRYPTED}`,
        transcript === undefined ? '' : `; transcript ${ENCRYPTED}`,
      ].join('');
    }
    case 'ProhibitedLanguageDetected':
      return `Prohibited language in the ${event.data.source} of ${event.data.operatorId}: ${list([...new Set(event.data.hits.map((hit) => hit.category))])}`;
    case 'ContactPreferenceSet': {
      const { optedOutChannels, inconvenientTimes, inconvenientPlaces, preferredTimes } = event.data;
      return `Contact preferences set: opted out of ${list(optedOutChannels, 'no channel')}; ${count(inconvenientTimes.length, 'inconvenient time')}, inconvenient places ${list(inconvenientPlaces)}, ${count(preferredTimes.length, 'preferred time')}`;
    }
    case 'ComplaintRecorded':
      return `Complaint received ${event.data.receivedAt}: ${event.data.category}${event.data.channel === undefined ? '' : ` (${event.data.channel})`}; description ${ENCRYPTED}`;
    case 'ComplaintResolved':
      return `Complaint resolved, ${event.data.upheld ? 'UPHELD' : 'not upheld'}`;
    case 'DialTargetReleased':
      return `Full ${event.data.targetKind} released to the dialer for a ${event.data.channel}`;
    case 'ScriptSaved':
      return `Script "${event.data.title}" saved as version ${event.data.version}`;
    case 'ScriptRejected':
      return `Script "${event.data.title}" rejected for prohibited language`;
    default:
      return unreachable(event);
  }
}

function describePromiseEvent(event: promisesToPay.PromiseEvent): string {
  switch (event.type) {
    case 'PromiseRecorded': {
      const { amount, dueDate, madeOn, channel, graceDays, operatorId } = event.data;
      return `Promise to pay ${money(amount)} by ${dueDate} (made ${madeOn} by ${channel} with ${operatorId}, grace ${count(graceDays, 'day')})`;
    }
    case 'PromisePartiallyKept':
      return `Payment ${event.data.paymentReference}: ${money(event.data.applied)} to the promise, ${money(event.data.paidTotal)} of ${money(event.data.promised)} paid`;
    case 'PromiseKept':
      return `Promise kept: ${money(event.data.paidTotal)} of ${money(event.data.promised)} (payment ${event.data.paymentReference})`;
    case 'PromiseBroken':
      return `Promise BROKEN on ${event.data.brokenOn}: ${money(event.data.paid)} of ${money(event.data.promised)} paid by ${event.data.dueDate}`;
    case 'PromiseCancelled':
      return 'Promise cancelled';
    default:
      return unreachable(event);
  }
}

function describePlanEvent(event: paymentPlans.PlanEvent): string {
  switch (event.type) {
    case 'PlanProposed': {
      const { schedule, frequency, total: planTotal, balance, outcome, approvalsNeeded, proposedBy } = event.data;
      const approvals = approvalsNeeded.length === 0 ? '' : `; ${count(approvalsNeeded.length, 'option')} ${approvalsNeeded.length === 1 ? 'needs' : 'need'} approval`;
      return `Plan proposed by ${proposedBy}: ${count(schedule.length, `${frequency} instalment`)}, ${money(planTotal)} of a ${money(balance)} balance (${outcome})${approvals}`;
    }
    case 'PlanApproved':
      return `Plan options approved by ${event.data.approvedBy}: ${list(event.data.options)}`;
    case 'PlanAccepted':
      return `Plan accepted in writing on ${event.data.acceptedOn} (document ${event.data.commitment.documentId}): ${count(event.data.schedule.length, 'instalment')}, ${money(event.data.total)}`;
    case 'InstalmentPartiallyPaid':
      return `Instalment ${event.data.number} partly paid${event.data.late ? ' late' : ''}: ${money(event.data.paidTotal)} of ${money(event.data.amount)}`;
    case 'InstalmentPaid':
      return `Instalment ${event.data.number} paid${event.data.wasMissed ? ' after it was missed' : event.data.late ? ' late' : ''}: ${money(event.data.paidTotal)}`;
    case 'InstalmentMissed':
      return `Instalment ${event.data.number} MISSED: ${money(event.data.paid)} of ${money(event.data.amount)} due ${event.data.dueDate}; ${event.data.missedOutstanding} missed and unpaid`;
    case 'PlanDefaulted':
      return `Plan DEFAULTED on ${event.data.defaultedOn}: ${money(event.data.paid)} of ${money(event.data.total)} paid, ${money(event.data.outstanding)} outstanding`;
    case 'PlanCompleted':
      return `Plan completed on ${event.data.completedOn}: ${money(event.data.paid)} paid (${event.data.outcome})`;
    case 'PlanCancelled':
      return `${event.data.wasAccepted ? 'Running' : 'Proposed'} plan cancelled`;
    default:
      return unreachable(event);
  }
}

function describeSagaEffect(event: SagaEffect): string {
  switch (event.type) {
    case 'SagaCommandIssued':
      return `Saga sent ${event.data.service} ${event.data.command}`;
    case 'SagaCommandRefused':
      return `${event.data.service} REFUSED the saga's ${event.data.command}: ${event.data.code}`;
    case 'SagaTimerSet':
      return `Timer ${event.data.kind} set for ${event.data.fireAt}`;
    case 'SagaTimerCleared':
      return `Timer ${event.data.kind} cleared`;
    default:
      return unreachable(event);
  }
}

function describeCaseEvent(event: caseWorkflow.CaseEvent | caseWorkflow.RosterEvent): string {
  switch (event.type) {
    case 'CaseOpened': {
      const { profile } = event.data;
      return `Case opened: ${profile.product}, ${formatMoney(profile.balance, profile.currency)} owed, ${profile.daysPastDue} days past due (${profile.bucket}, ${profile.tier} risk)`;
    }
    case 'CaseSignalRecorded':
      return `Case saga noted ${event.data.signal} (from ${event.data.sourceType})`;
    case 'StageEntered': {
      const { stage, from, entry, closeReason, checklist } = event.data;
      const closed = closeReason === undefined ? '' : ` as ${closeReason}`;
      return `Stage ${stage} entered${from === undefined ? '' : ` from ${from}`}${closed} (entry ${entry}); checklist ${list(checklist.map((item) => item.item))}`;
    }
    case 'ChecklistItemDone':
      return `Checklist ${event.data.item} done (${event.data.stage}, by ${event.data.by})`;
    case 'ChecklistDeadlineSet':
      return `Checklist ${event.data.item} due by ${event.data.dueAt} (${event.data.stage})`;
    case 'DeadlineMissed':
      return `Deadline MISSED: ${event.data.item} (${event.data.stage}) was due ${event.data.dueAt}; alerted ${list(event.data.alerted)}`;
    case 'LegalEscalationRequested':
      return `Legal escalation requested by ${event.data.requestedBy}`;
    case 'LegalEscalationHeld':
      return `Legal escalation HELD: ${list(event.data.holds)}`;
    case 'SagaCommandIssued':
    case 'SagaCommandRefused':
    case 'SagaTimerSet':
    case 'SagaTimerCleared':
      return describeSagaEffect(event);
    case 'CollectorRegistered':
      return `Collector ${event.data.collectorId} joined the team: capacity ${event.data.capacity}, specialties ${list(event.data.specialties)}`;
    case 'CollectorUpdated':
      return `Collector ${event.data.collectorId} updated: capacity ${event.data.capacity}, specialties ${list(event.data.specialties)}`;
    case 'CollectorAvailabilityChanged':
      return `Collector ${event.data.collectorId} ${event.data.available ? 'available again' : `absent${event.data.until === undefined ? '' : ` until ${event.data.until}`}`}`;
    case 'CaseAssigned': {
      const { collectorId, previousCollectorId, reason, score } = event.data;
      return `Assigned to ${collectorId}${previousCollectorId === undefined ? '' : ` (from ${previousCollectorId})`} for ${reason}, score ${score}`;
    }
    case 'CaseUnassigned':
      return `No collector could take the case (${event.data.reason}): queued for a supervisor`;
    case 'CaseReleased':
      return `Case released from ${event.data.collectorId ?? 'the queue'}: ${event.data.outcome}`;
    default:
      return unreachable(event);
  }
}

function describeLegalEvent(event: legalEscalation.LegalEvent): string {
  switch (event.type) {
    case 'HandoffStarted':
      return `Handoff ${event.data.handoff} to legal started, requested by ${event.data.requestedBy}; overdue at ${event.data.overdueAt}`;
    case 'HandoffRefused':
      return `Handoff ${event.data.handoff} REFUSED${event.data.holds.length === 0 ? '' : `: hold ${list(event.data.holds)}`}`;
    case 'EvidenceFixed':
      return `Evidence package ${event.data.packageId} fixed: ${count(event.data.items.length, 'item')}, ${count(event.data.events, 'event')}, signed with key ${event.data.keyId}`;
    case 'LegalPackageDelivered':
      return `Package ${event.data.packageId} delivered to legal ${event.data.hoursSinceRequest} h after the request`;
    case 'HandoffReminderSent':
      return `Legal reminded of handoff ${event.data.handoff}, ${event.data.hoursSinceRequest} h after the request${event.data.delivered ? '' : ' (package not yet delivered)'}`;
    case 'LegalHandoffOverdue':
      return `Handoff ${event.data.handoff} OVERDUE: alerted ${list(event.data.alerted)}`;
    case 'HandoffAcknowledged':
      return `Legal (${event.data.acknowledgedBy}) acknowledged package ${event.data.packageId}, ${event.data.hoursSinceRequest} h after the request`;
    case 'LitigationStatusReported':
      return `Litigation ${event.data.status} on ${event.data.on}${event.data.hearingDate === undefined ? '' : `, hearing ${event.data.hearingDate}`} (reported by ${event.data.reportedBy})`;
    case 'SagaCommandIssued':
    case 'SagaCommandRefused':
    case 'SagaTimerSet':
    case 'SagaTimerCleared':
      return describeSagaEffect(event);
    default:
      return unreachable(event);
  }
}
