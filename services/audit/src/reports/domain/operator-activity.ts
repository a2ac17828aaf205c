import { compareText, csvDocument } from './csv';
import { historyOf, type ReportEvent, type ReportInput } from './history';
import { checkPeriod, inPeriod, type Period } from './period';

/** What one operator (an authenticated actor: a user, or `system:<service>`) did in the period. */
export interface OperatorActivity {
  /** `metadata.actorId`, or for approvals of waivers the `approvedBy` named on the adjustment. */
  readonly actorId: string;
  /** Every role the actor acted in (`metadata.actorRole`), by name; empty for an approver who never acted themselves. */
  readonly roles: readonly string[];
  readonly events: number;
  /** `<service>.<Type>` → count, by key. */
  readonly eventsByType: readonly { readonly type: string; readonly count: number }[];
  /** Contact decisions asked for by the actor (ContactAllowed + ContactBlocked). */
  readonly contactsRequested: number;
  readonly contactsAllowed: number;
  readonly contactsBlocked: number;
  readonly outcomesRecorded: number;
  readonly promisesRecorded: number;
  readonly plansProposed: number;
  readonly plansApproved: number;
  readonly plansAccepted: number;
  /** Fee and interest waivers (BalanceAdjusted) whose `approvedBy` is this actor. */
  readonly waiversApproved: number;
  /** What those waivers took off, in minor units per currency, by currency. */
  readonly waived: readonly { readonly currency: string; readonly minor: number }[];
  /** Interest freezes and unfreezes approved. */
  readonly freezesApproved: number;
}

export interface OperatorActivityReport {
  readonly period: { readonly from: string; readonly to: string };
  /** By actor id. */
  readonly operators: readonly OperatorActivity[];
  readonly unreadableEvents: number;
}

interface Tally {
  roles: Set<string>;
  events: number;
  byType: Map<string, number>;
  contactsAllowed: number;
  contactsBlocked: number;
  outcomesRecorded: number;
  promisesRecorded: number;
  plansProposed: number;
  plansApproved: number;
  plansAccepted: number;
  waiversApproved: number;
  waived: Map<string, number>;
  freezesApproved: number;
}

const emptyTally = (): Tally => ({
  roles: new Set(),
  events: 0,
  byType: new Map(),
  contactsAllowed: 0,
  contactsBlocked: 0,
  outcomesRecorded: 0,
  promisesRecorded: 0,
  plansProposed: 0,
  plansApproved: 0,
  plansAccepted: 0,
  waiversApproved: 0,
  waived: new Map(),
  freezesApproved: 0,
});

/**
 * Operator activity: every event that occurred in the period (`occurredAt`), attributed to its authenticated actor
 * (`metadata.actorId`, with `actorRole`) — events by type, contacts requested (allowed and blocked), outcomes,
 * promises, plans proposed, approved and accepted; and the waivers each person approved (`BalanceAdjusted.approvedBy`,
 * which names the approver whoever recorded the adjustment).
 */
export function operatorActivityReport(input: ReportInput, period: Period): OperatorActivityReport {
  const checked = checkPeriod(period);
  const history = historyOf(input);
  const tallies = new Map<string, Tally>();
  const tallyOf = (actorId: string) => {
    let tally = tallies.get(actorId);
    if (tally === undefined) tallies.set(actorId, (tally = emptyTally()));
    return tally;
  };
  for (const item of history.events) {
    if (!inPeriod(Date.parse(item.envelope.occurredAt), checked)) continue;
    const { actorId, actorRole } = item.envelope.metadata;
    const tally = tallyOf(actorId);
    tally.roles.add(actorRole);
    tally.events += 1;
    const type = `${item.service}.${item.event.type}`;
    tally.byType.set(type, (tally.byType.get(type) ?? 0) + 1);
    count(item, tally, tallyOf);
  }
  const operators = [...tallies.keys()].sort(compareText).map((actorId): OperatorActivity => {
    const t = tallies.get(actorId) as Tally;
    return {
      actorId,
      roles: [...t.roles].sort(compareText),
      events: t.events,
      eventsByType: [...t.byType].map(([type, n]) => ({ type, count: n })).sort((a, b) => compareText(a.type, b.type)),
      contactsRequested: t.contactsAllowed + t.contactsBlocked,
      contactsAllowed: t.contactsAllowed,
      contactsBlocked: t.contactsBlocked,
      outcomesRecorded: t.outcomesRecorded,
      promisesRecorded: t.promisesRecorded,
      plansProposed: t.plansProposed,
      plansApproved: t.plansApproved,
      plansAccepted: t.plansAccepted,
      waiversApproved: t.waiversApproved,
      waived: [...t.waived].map(([currency, minor]) => ({ currency, minor })).sort((a, b) => compareText(a.currency, b.currency)),
      freezesApproved: t.freezesApproved,
    };
  });
  return { period: { from: checked.from, to: checked.to }, operators, unreadableEvents: history.unreadable.length };
}

function count(item: ReportEvent, tally: Tally, tallyOf: (actorId: string) => Tally): void {
  switch (item.service) {
    case 'contact-attempts':
      if (item.event.type === 'ContactAllowed') tally.contactsAllowed += 1;
      if (item.event.type === 'ContactBlocked') tally.contactsBlocked += 1;
      if (item.event.type === 'AttemptOutcomeRecorded') tally.outcomesRecorded += 1;
      return;
    case 'promises-to-pay':
      if (item.event.type === 'PromiseRecorded') tally.promisesRecorded += 1;
      return;
    case 'payment-plans':
      if (item.event.type === 'PlanProposed') tally.plansProposed += 1;
      if (item.event.type === 'PlanApproved') tally.plansApproved += 1;
      if (item.event.type === 'PlanAccepted') tally.plansAccepted += 1;
      return;
    case 'accounts': {
      if (item.event.type !== 'BalanceAdjusted') return;
      const { approvedBy, kind, amount } = item.event.data;
      const approver = tallyOf(approvedBy);
      if (kind === 'fee-waiver' || kind === 'interest-waiver') {
        approver.waiversApproved += 1;
        approver.waived.set(amount.currency, (approver.waived.get(amount.currency) ?? 0) + amount.minor);
      } else {
        approver.freezesApproved += 1;
      }
      return;
    }
    case 'case-workflow':
    case 'legal-escalation':
      return;
    default:
      unreachable(item);
  }
}

function unreachable(value: never): never {
  throw new Error(`Unhandled event ${JSON.stringify(value)}`);
}

export const OPERATOR_ACTIVITY_CSV_COLUMNS = [
  'section',
  'actor_id',
  'roles',
  'events',
  'contacts_requested',
  'contacts_allowed',
  'contacts_blocked',
  'outcomes_recorded',
  'promises_recorded',
  'plans_proposed',
  'plans_approved',
  'plans_accepted',
  'waivers_approved',
  'waived',
  'freezes_approved',
  'event_type',
  'count',
] as const;

/**
 * Sections (first column): `operator` (one row per actor; roles joined by spaces; `waived` as `USD:1500 EUR:200`,
 * minor units), then `event-type` (per actor and type).
 */
export function operatorActivityCsv(report: OperatorActivityReport): string {
  return csvDocument(OPERATOR_ACTIVITY_CSV_COLUMNS, [
    ...report.operators.map((o) => [
      'operator',
      o.actorId,
      o.roles.join(' '),
      o.events,
      o.contactsRequested,
      o.contactsAllowed,
      o.contactsBlocked,
      o.outcomesRecorded,
      o.promisesRecorded,
      o.plansProposed,
      o.plansApproved,
      o.plansAccepted,
      o.waiversApproved,
      o.waived.map(({ currency, minor }) => `${currency}:${minor}`).join(' '),
      o.freezesApproved,
      null,
      null,
    ]),
    ...report.operators.flatMap((o) =>
      o.eventsByType.map(({ type, count: n }) => ['event-type', o.actorId, null, null, null, null, null, null, null, null, null, null, null, null, null, type, n]),
    ),
  ]);
}
