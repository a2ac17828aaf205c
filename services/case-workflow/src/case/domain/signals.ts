import { accounts, caseWorkflow, contactAttempts, EventCatalog, legalEscalation, paymentPlans, promisesToPay, type EventEnvelope } from '@arrears/contracts';

type Signal = caseWorkflow.Signal;
type Detail = Extract<caseWorkflow.CaseEvent, { type: 'CaseSignalRecorded' }>['data']['detail'];

/** What the case saga reads of another service's event: the case it is for, and what it means for the case. */
export type Reading =
  | { readonly kind: 'placed'; readonly caseId: string; readonly placed: Extract<accounts.AccountEvent, { type: 'AccountPlaced' }>['data'] }
  | { readonly kind: 'signal'; readonly caseId: string; readonly signal: Signal; readonly detail: Detail };

const CATALOGS = new Map<string, EventCatalog>([
  ['account', new EventCatalog(accounts.ACCOUNT_EVENTS)],
  ['contact', new EventCatalog(contactAttempts.CONTACT_EVENTS)],
  ['promise', new EventCatalog(promisesToPay.PROMISE_EVENTS)],
  ['plan', new EventCatalog(paymentPlans.PLAN_EVENTS)],
  ['roster', new EventCatalog(caseWorkflow.ROSTER_EVENTS)],
  ['legal', new EventCatalog(legalEscalation.LEGAL_EVENTS)],
]);

const CONVERSATIONS: readonly string[] = ['right-party-contact', 'refused', 'dispute-raised'];
const ACCOUNT_CLOSE_REASONS: Record<accounts.CloseReason, string> = { 'paid-in-full': 'paid', settled: 'settled', 'written-off': 'written-off', 'returned-to-creditor': 'returned', sold: 'sold' };

/** The events the saga takes, by the category of the stream they are stored in, each read in its current schema. */
export function readEvent(event: EventEnvelope): Reading | undefined {
  const catalog = CATALOGS.get(event.streamId.slice(0, event.streamId.indexOf('-')));
  if (catalog === undefined || !catalog.has(event.type)) return undefined;
  const decoded = catalog.decode(event) as { type: string; data: Record<string, unknown> };
  const signal = (caseId: unknown, kind: Signal, detail: Detail = {}): Reading => ({ kind: 'signal', caseId: String(caseId), signal: kind, detail });
  const { data } = decoded;
  switch (decoded.type) {
    case 'AccountPlaced':
      return { kind: 'placed', caseId: String(data['accountId']), placed: data as Extract<Reading, { kind: 'placed' }>['placed'] };
    case 'PaymentPosted': {
      const after = data['balanceAfter'] as accounts.Balance;
      return signal(data['accountId'], 'payment', { balance: after.principal + after.fees + after.interest });
    }
    case 'AgingBucketChanged':
      return signal(data['accountId'], 'bucket-changed', { bucket: data['to'] as accounts.AgingBucket });
    case 'RiskTierChanged':
      return signal(data['accountId'], 'tier-changed', { tier: data['to'] as accounts.RiskTier });
    case 'AccountFlagged':
      return signal(data['accountId'], 'flagged', { flag: data['flag'] as accounts.Flag });
    case 'FlagCleared':
      return signal(data['accountId'], 'flag-cleared', { flag: data['flag'] as accounts.Flag });
    case 'AccountClosed':
      return signal(data['accountId'], 'account-closed', { closeReason: ACCOUNT_CLOSE_REASONS[data['reason'] as accounts.CloseReason] });
    case 'AttemptOutcomeRecorded': {
      const outcome = String(data['outcome']);
      return signal(data['accountId'], outcome === 'promise-offered' ? 'promise-offered' : CONVERSATIONS.includes(outcome) ? 'right-party-contact' : 'attempt', { note: outcome });
    }
    case 'ContactAllowed':
      return data['purpose'] === 'final-notice' ? signal(data['accountId'], 'final-notice-sent') : undefined;
    case 'PromiseRecorded':
      return signal(data['accountId'], 'promise-recorded', { promiseId: String(data['promiseId']) });
    case 'PromiseKept':
      return signal(data['accountId'], 'promise-kept', { promiseId: String(data['promiseId']) });
    case 'PromiseBroken':
      return signal(data['accountId'], 'promise-broken', { promiseId: String(data['promiseId']) });
    case 'PromiseCancelled':
      return signal(data['accountId'], 'promise-cancelled', { promiseId: String(data['promiseId']) });
    case 'PlanProposed':
      return signal(data['accountId'], 'plan-proposed', { planId: String(data['planId']) });
    case 'PlanAccepted':
      return signal(data['accountId'], 'plan-accepted', { planId: String(data['planId']) });
    case 'InstalmentMissed':
      return signal(data['accountId'], 'instalment-missed', { planId: String(data['planId']) });
    case 'PlanDefaulted':
      return signal(data['accountId'], 'plan-defaulted', { planId: String(data['planId']) });
    case 'PlanCompleted':
      return signal(data['accountId'], 'plan-completed', { planId: String(data['planId']) });
    case 'PlanCancelled':
      return signal(data['accountId'], 'plan-cancelled', { planId: String(data['planId']) });
    case 'HandoffStarted':
      return signal(data['caseId'], 'legal-handoff-started', { note: (data['reasons'] as string[]).join('; ').slice(0, 500), by: String(data['requestedBy']).slice(0, 200) });
    case 'HandoffRefused':
      return signal(data['caseId'], 'legal-handoff-refused', { note: String(data['reason']).slice(0, 500) });
    case 'LitigationStatusReported':
      return signal(data['caseId'], 'litigation-status', { note: String(data['status']), by: String(data['reportedBy']) });
    case 'CaseAssigned':
      return signal(data['caseId'], 'assigned', { collectorId: String(data['collectorId']) });
    default:
      return undefined;
  }
}
