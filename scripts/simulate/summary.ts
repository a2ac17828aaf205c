import type { accounts } from '@arrears/contracts';
import { agingBucket } from '../../services/accounts/src/account/domain/delinquency';
import { RIGHT_PARTY_OUTCOMES } from '../../services/contact-attempts/src/read-models/collector-tally';
import type { Observations } from './observations';
import { totalPlaced, type Jurisdiction, type SimAccount } from './portfolio';

/** An account as the accounts read model shows it at the end (`GET /api/accounts`). */
export interface AccountRow {
  readonly accountId: string;
  readonly total: number;
  readonly credit: number;
  readonly agingBucket: accounts.AgingBucket | null;
  readonly riskTier: accounts.RiskTier | null;
  readonly status: 'open' | 'closed';
  readonly closeReason: string | null;
}

/** One handoff of the audit's legal-handoffs report, as far as the summary reads it. */
export interface HandoffRow {
  readonly caseId: string;
  readonly handoff: number;
  readonly status: string;
  readonly requestedAtUtc: string;
  readonly deliveryHours: number | null;
  readonly acknowledgementHours: number | null;
  readonly overdue: boolean;
  readonly overdueRecorded: boolean;
}

/** What the platform says about the run, gathered through the gateway at the end; null where a route was missing. */
export interface PlatformFacts {
  readonly accounts: readonly AccountRow[] | null;
  readonly stageCounts: Readonly<Record<string, number>> | null;
  readonly promises: { readonly made: number; readonly kept: number; readonly broken: number; readonly open: number; readonly cancelled: number } | null;
  readonly legal: { readonly deadlineHours: number; readonly periodTo: string; readonly handoffs: readonly HandoffRow[] } | null;
  readonly quietHours: { readonly contactsInQuietHours: number; readonly timeOfDay: number } | null;
  readonly frequencyCaps: { readonly calls: number; readonly byRule: readonly { readonly rule: string; readonly breaches: number }[] } | null;
  readonly blocked: { readonly allowed: number; readonly blocked: number; readonly byRule: readonly { readonly ruleId: string; readonly blocked: number }[] } | null;
  readonly ledger: { readonly ok: boolean; readonly problemCount: number; readonly behind: number; readonly entriesChecked: number; readonly storeEventsChecked: number; readonly firstProblem: unknown } | null;
}

export interface RunInfo {
  readonly accounts: number;
  readonly days: number;
  readonly speed: number;
  readonly jurisdiction: Jurisdiction;
  readonly seed: string;
  readonly collectors: number;
  readonly simulatedFrom: string;
  readonly simulatedTo: string;
  readonly realSeconds: number;
  readonly missingRoutes: readonly string[];
  /** Ctrl-C ended the simulated time before `days`. */
  readonly endedEarly: boolean;
}

export interface Invariant {
  readonly name: 'no-compliance-breach' | 'legal-handoffs-on-time' | 'balances-reconcile' | 'audit-ledger-complete';
  readonly ok: boolean;
  readonly detail: string;
  /** The first offenders, for a person to look at. */
  readonly examples: readonly unknown[];
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

export interface Summary {
  readonly run: RunInfo;
  readonly portfolio: {
    readonly currency: string;
    readonly placedAccounts: number;
    readonly placedAmount: number;
    readonly byBucket: Readonly<Record<string, number>>;
    readonly byProduct: Readonly<Record<string, number>>;
    readonly byTierAtEnd: Readonly<Record<string, number>>;
  };
  readonly recovery: { readonly collected: number; readonly placed: number; readonly rate: number | null; readonly paymentsAccepted: number; readonly paymentsRefused: number };
  readonly contacts: {
    readonly requested: number;
    readonly allowed: number;
    readonly blocked: number;
    readonly byChannel: Readonly<Record<string, number>>;
    readonly callOutcomes: Readonly<Record<string, number>>;
    readonly rightPartyContacts: number;
    /** Right-party contacts per call with a recorded outcome. */
    readonly rightPartyContactRate: number | null;
  };
  readonly promises: {
    readonly recorded: number;
    /** Promises per right-party contact. */
    readonly promiseRate: number | null;
    readonly kept: number | null;
    readonly broken: number | null;
    readonly open: number | null;
    /** Kept ÷ (kept + broken), as the promises service settled them. */
    readonly keptRate: number | null;
  };
  readonly plans: { readonly proposed: number; readonly accepted: number; readonly declined: number };
  /** Accounts resolved (closed paid in full or settled) per account placed. */
  readonly cure: { readonly cured: number; readonly rate: number | null; readonly closedBy: Readonly<Record<string, number>> };
  /** Per bucket at placement: how many ended the run in a later bucket. */
  readonly roll: Readonly<Record<string, { readonly accounts: number; readonly rolled: number; readonly rate: number | null }>>;
  readonly stages: Readonly<Record<string, number>> | null;
  readonly legal: {
    readonly handoffs: number;
    readonly refused: number;
    readonly delivered: number;
    readonly deliveryHours: { readonly median: number | null; readonly p90: number | null; readonly max: number | null };
    readonly deliveredWithin48h: number;
    readonly acknowledged: number;
    readonly overdue: number;
  } | null;
  readonly compliance: {
    readonly blocksByRule: Readonly<Record<string, number>>;
    readonly quietHourContacts: number | null;
    readonly frequencyBreaches: Readonly<Record<string, number>> | null;
  };
  readonly complaints: { readonly recorded: number; readonly resolved: number };
  readonly disputes: { readonly flagged: number; readonly cleared: number };
  /** What the simulated supervisor and legal department did. */
  readonly backOffice: { readonly accountsClosed: number; readonly escalationsRequested: number; readonly wilfulDefaultsFlagged: number; readonly handoffsAcknowledged: number };
  readonly ledger: PlatformFacts['ledger'];
  readonly invariants: readonly Invariant[];
  readonly ok: boolean;
  readonly unexpectedAnswers: Readonly<Record<string, number>>;
}

const count = <K extends string>(keys: readonly K[]): Record<K, number> => {
  const out = {} as Record<K, number>;
  for (const key of keys) out[key] = (out[key] ?? 0) + 1;
  return out;
};

/** The summary of a run: the simulator's observations beside the platform's facts, and the invariants held. */
export function summarize(run: RunInfo, portfolio: readonly SimAccount[], seen: Observations, facts: PlatformFacts): Summary {
  const placed = portfolio.filter((account) => seen.placed.has(account.accountId));
  const rows = new Map((facts.accounts ?? []).map((row) => [row.accountId, row]));
  const rightParty = [...seen.callOutcomes].filter(([outcome]) => (RIGHT_PARTY_OUTCOMES as readonly string[]).includes(outcome)).reduce((sum, [, n]) => sum + n, 0);
  const callsWithOutcome = [...seen.callOutcomes.values()].reduce((sum, n) => sum + n, 0);
  const closed = placed.map((account) => rows.get(account.accountId)).filter((row): row is AccountRow => row?.status === 'closed');
  const cured = closed.filter((row) => row.closeReason === 'paid-in-full' || row.closeReason === 'settled').length;
  const roll: Record<string, { accounts: number; rolled: number; rate: number | null }> = {};
  const ORDER = ['current', '1-30', '31-90', '90+'];
  for (const account of placed) {
    const from = agingBucket(account.daysPastDue);
    const entry = (roll[from] ??= { accounts: 0, rolled: 0, rate: null });
    entry.accounts += 1;
    const to = rows.get(account.accountId)?.agingBucket;
    if (to != null && ORDER.indexOf(to) > ORDER.indexOf(from)) entry.rolled += 1;
  }
  for (const entry of Object.values(roll)) entry.rate = rate(entry.rolled, entry.accounts);
  const handoffs = facts.legal?.handoffs ?? [];
  const deliveries = handoffs.flatMap((h) => (h.deliveryHours === null ? [] : [h.deliveryHours])).sort((a, b) => a - b);
  const quantile = (q: number) => (deliveries.length === 0 ? null : deliveries[Math.min(deliveries.length - 1, Math.ceil(q * deliveries.length) - 1)]!);
  const invariants = checkInvariants(placed, seen, facts);
  return {
    run,
    portfolio: {
      currency: placed[0]?.currency ?? '',
      placedAccounts: placed.length,
      placedAmount: seen.placedTotal,
      byBucket: count(placed.map((account) => agingBucket(account.daysPastDue))),
      byProduct: count(placed.map((account) => account.product)),
      byTierAtEnd: count(placed.map((account) => rows.get(account.accountId)?.riskTier ?? 'unknown')),
    },
    recovery: { collected: seen.collected, placed: seen.placedTotal, rate: rate(seen.collected, seen.placedTotal), paymentsAccepted: seen.paymentsAccepted, paymentsRefused: seen.paymentsRefused },
    contacts: {
      ...seen.contacts,
      byChannel: Object.fromEntries(seen.contactsByChannel),
      callOutcomes: Object.fromEntries(seen.callOutcomes),
      rightPartyContacts: rightParty,
      rightPartyContactRate: rate(rightParty, callsWithOutcome),
    },
    promises: {
      recorded: seen.promisesRecorded,
      promiseRate: rate(seen.promisesRecorded, rightParty),
      kept: facts.promises?.kept ?? null,
      broken: facts.promises?.broken ?? null,
      open: facts.promises?.open ?? null,
      keptRate: facts.promises === null ? null : rate(facts.promises.kept, facts.promises.kept + facts.promises.broken),
    },
    plans: { proposed: seen.plansProposed, accepted: seen.plansAccepted, declined: seen.plansDeclined },
    cure: { cured, rate: rate(cured, placed.length), closedBy: count(closed.map((row) => row.closeReason ?? 'unknown')) },
    roll,
    stages: facts.stageCounts,
    legal:
      facts.legal === null
        ? null
        : {
            handoffs: handoffs.length,
            refused: handoffs.filter((h) => h.status === 'refused').length,
            delivered: deliveries.length,
            deliveryHours: { median: quantile(0.5), p90: quantile(0.9), max: deliveries.at(-1) ?? null },
            deliveredWithin48h: deliveries.filter((hours) => hours <= facts.legal!.deadlineHours).length,
            acknowledged: handoffs.filter((h) => h.acknowledgementHours !== null).length,
            overdue: handoffs.filter((h) => h.overdue).length,
          },
    compliance: {
      blocksByRule: facts.blocked === null ? Object.fromEntries(seen.blocksByRule) : Object.fromEntries(facts.blocked.byRule.map((rule) => [rule.ruleId, rule.blocked])),
      quietHourContacts: facts.quietHours?.contactsInQuietHours ?? null,
      frequencyBreaches: facts.frequencyCaps === null ? null : Object.fromEntries(facts.frequencyCaps.byRule.map((rule) => [rule.rule, rule.breaches])),
    },
    complaints: { recorded: seen.complaintsRecorded, resolved: seen.complaintsResolved },
    disputes: { flagged: seen.disputesFlagged, cleared: seen.disputesCleared },
    backOffice: { accountsClosed: seen.accountsClosed, escalationsRequested: seen.escalationsRequested, wilfulDefaultsFlagged: seen.wilfulDefaultsFlagged, handoffsAcknowledged: seen.handoffsAcknowledged },
    ledger: facts.ledger,
    invariants,
    ok: invariants.every((invariant) => invariant.ok),
    unexpectedAnswers: Object.fromEntries(seen.unexpected),
  };
}

/**
 * What must hold after every run (the CI proof): no compliance breach in the audit's reports; every legal handoff
 * delivered within its deadline or reported overdue by the saga (one younger than the deadline may still be on its
 * way); every account's balance exactly what was placed less the payments accepted; every stored event in the audit
 * ledger, which verifies.
 */
export function checkInvariants(placed: readonly SimAccount[], seen: Observations, facts: PlatformFacts): Invariant[] {
  return [breaches(facts), handoffsOnTime(facts), reconciliation(placed, seen, facts), ledger(facts)];
}

function breaches(facts: PlatformFacts): Invariant {
  const name = 'no-compliance-breach';
  if (facts.quietHours === null || facts.frequencyCaps === null) return { name, ok: false, detail: 'the audit compliance reports could not be read', examples: [] };
  const capBreaches = facts.frequencyCaps.byRule.filter((rule) => rule.breaches > 0);
  const ok = facts.quietHours.contactsInQuietHours === 0 && capBreaches.length === 0;
  return {
    name,
    ok,
    detail: `${facts.quietHours.contactsInQuietHours} contact(s) in quiet hours of ${facts.quietHours.timeOfDay}; ${capBreaches.reduce((sum, rule) => sum + rule.breaches, 0)} frequency-cap breach(es) in ${facts.frequencyCaps.calls} calls`,
    examples: capBreaches,
  };
}

function handoffsOnTime(facts: PlatformFacts): Invariant {
  const name = 'legal-handoffs-on-time';
  if (facts.legal === null) return { name, ok: false, detail: 'the audit legal-handoffs report could not be read', examples: [] };
  const { deadlineHours, periodTo, handoffs } = facts.legal;
  const asOf = Date.parse(periodTo);
  const late = handoffs.filter((h) => {
    if (h.status === 'refused') return false;
    if (h.deliveryHours !== null && h.deliveryHours <= deadlineHours) return false;
    if (h.overdueRecorded) return false;
    // Requested less than the deadline before the end: neither late nor overdue yet.
    return asOf - Date.parse(h.requestedAtUtc) > deadlineHours * 3_600_000;
  });
  const pending = handoffs.filter((h) => h.status !== 'refused' && h.deliveryHours === null && !h.overdueRecorded && !late.includes(h)).length;
  return {
    name,
    ok: late.length === 0,
    detail: `${handoffs.length} handoff(s): ${handoffs.filter((h) => h.deliveryHours !== null && h.deliveryHours <= deadlineHours).length} delivered within ${deadlineHours} h, ${handoffs.filter((h) => h.overdueRecorded).length} reported overdue, ${pending} still within their deadline, ${late.length} neither`,
    examples: late.slice(0, 10),
  };
}

function reconciliation(placed: readonly SimAccount[], seen: Observations, facts: PlatformFacts): Invariant {
  const name = 'balances-reconcile';
  if (facts.accounts === null) return { name, ok: false, detail: 'the accounts read model could not be read', examples: [] };
  const rows = new Map(facts.accounts.map((row) => [row.accountId, row]));
  const mismatches = placed.flatMap((account) => {
    const expected = totalPlaced(account) - (seen.paid.get(account.accountId) ?? 0);
    const row = rows.get(account.accountId);
    const actual = row === undefined ? null : row.total - row.credit;
    return actual === expected ? [] : [{ accountId: account.accountId, placed: totalPlaced(account), paid: seen.paid.get(account.accountId) ?? 0, expected, actual, uncertainPayment: seen.uncertainPayments.get(account.accountId) ?? 0 }];
  });
  return {
    name,
    ok: mismatches.length === 0 && seen.uncertainPayments.size === 0,
    detail: `${placed.length - mismatches.length} of ${placed.length} accounts owe exactly what was placed less the ${seen.paymentsAccepted} payments accepted${seen.uncertainPayments.size > 0 ? `; ${seen.uncertainPayments.size} payment(s) unanswered` : ''}`,
    examples: mismatches.slice(0, 10),
  };
}

function ledger(facts: PlatformFacts): Invariant {
  const name = 'audit-ledger-complete';
  if (facts.ledger === null) return { name, ok: false, detail: 'the audit ledger could not be verified', examples: [] };
  const { ok, problemCount, behind, entriesChecked, storeEventsChecked, firstProblem } = facts.ledger;
  return {
    name,
    ok: ok && problemCount === 0 && behind === 0,
    detail: `${entriesChecked} ledger entries, ${storeEventsChecked} store events compared; ${problemCount} problem(s), ${behind} event(s) not yet recorded`,
    examples: firstProblem === null ? [] : [firstProblem],
  };
}

const money = (minor: number) => (minor / 100).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`);
const list = (record: Readonly<Record<string, number>> | null) =>
  record === null || Object.keys(record).length === 0
    ? 'none'
    : Object.entries(record)
        .sort((a, b) => b[1] - a[1])
        .map(([key, value]) => `${key} ${value}`)
        .join(', ');

/** The summary as a person reads it at the end of a run. */
export function formatSummary(summary: Summary): string {
  const { run, portfolio, recovery, contacts, promises, plans, cure, roll, legal, compliance } = summary;
  const lines = [
    `Simulated ${run.endedEarly ? `${((Date.parse(run.simulatedTo) - Date.parse(run.simulatedFrom)) / 86_400_000).toFixed(1)} of ${run.days} days (ended early)` : `${run.days} days`} (${run.simulatedFrom} → ${run.simulatedTo}) of ${run.accounts} ${run.jurisdiction} accounts at ${run.speed}× in ${run.realSeconds.toFixed(0)} s, seed ${run.seed}, ${run.collectors} collectors`,
    ...(run.missingRoutes.length === 0 ? [] : [`Gateway routes missing (those parts not simulated): ${run.missingRoutes.join(', ')}`]),
    '',
    `Portfolio        ${portfolio.placedAccounts} accounts, ${money(portfolio.placedAmount)} ${portfolio.currency}; at placement ${list(portfolio.byBucket)}; tiers at the end ${list(portfolio.byTierAtEnd)}`,
    `Recovery rate    ${percent(recovery.rate)}: ${money(recovery.collected)} of ${money(recovery.placed)} ${portfolio.currency} in ${recovery.paymentsAccepted} payments (${recovery.paymentsRefused} refused)`,
    `Contacts         ${contacts.requested} requested, ${contacts.allowed} allowed, ${contacts.blocked} blocked; ${list(contacts.byChannel)}`,
    `RPC rate         ${percent(contacts.rightPartyContactRate)}: ${contacts.rightPartyContacts} right-party contacts; calls ${list(contacts.callOutcomes)}`,
    `Promise rate     ${percent(promises.promiseRate)}: ${promises.recorded} promises per ${contacts.rightPartyContacts} right-party contacts`,
    `Kept rate        ${percent(promises.keptRate)}: ${promises.kept ?? 'n/a'} kept, ${promises.broken ?? 'n/a'} broken, ${promises.open ?? 'n/a'} open`,
    `Plans            ${plans.proposed} proposed, ${plans.accepted} signed, ${plans.declined} declined`,
    `Cure rate        ${percent(cure.rate)}: ${cure.cured} resolved; closed ${list(cure.closedBy)}`,
    `Roll rates       ${Object.entries(roll).map(([bucket, r]) => `${bucket} ${percent(r.rate)} (${r.rolled}/${r.accounts})`).join(', ')}`,
    `Cases per stage  ${list(summary.stages)}`,
    legal === null
      ? 'Legal handoffs   n/a'
      : `Legal handoffs   ${legal.handoffs} (${legal.refused} refused), ${legal.delivered} delivered — hours to delivery median ${legal.deliveryHours.median ?? 'n/a'}, p90 ${legal.deliveryHours.p90 ?? 'n/a'}, max ${legal.deliveryHours.max ?? 'n/a'}; ${legal.deliveredWithin48h} within 48 h, ${legal.acknowledged} acknowledged, ${legal.overdue} overdue`,
    `Compliance       blocks by rule: ${list(compliance.blocksByRule)}`,
    `Breaches         quiet hours ${compliance.quietHourContacts ?? 'n/a'}; frequency caps ${list(compliance.frequencyBreaches)} (must be 0)`,
    `Complaints       ${summary.complaints.recorded} recorded, ${summary.complaints.resolved} resolved; disputes ${summary.disputes.flagged} flagged, ${summary.disputes.cleared} cleared`,
    `Back office      ${summary.backOffice.accountsClosed} accounts closed, ${summary.backOffice.escalationsRequested} sent to legal by the supervisor, ${summary.backOffice.wilfulDefaultsFlagged} flagged wilful default; legal acknowledged ${summary.backOffice.handoffsAcknowledged} packages`,
    ...(Object.keys(summary.unexpectedAnswers).length === 0 ? [] : [`Unexpected       ${list(summary.unexpectedAnswers)}`]),
    '',
    ...summary.invariants.map((invariant) => `${invariant.ok ? 'PASS' : 'FAIL'}  ${invariant.name}: ${invariant.detail}`),
    summary.ok ? 'Every invariant holds.' : 'INVARIANTS FAILED.',
  ];
  return `${lines.join('\n')}\n`;
}
