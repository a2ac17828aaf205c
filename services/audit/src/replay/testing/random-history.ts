/**
 * Random case histories for the replay's properties: each service's stream a valid run of its own events (what the
 * service would write: a promise recorded before it is kept, an instalment paid on an accepted plan…), the streams
 * interleaved at random, laid down in commits of one to three events with recording times that move on by zero
 * (ties) to three days — or, with `jitter`, sometimes step back a few seconds, as PostgreSQL's `now()` (the start of
 * a transaction) does for transactions that commit out of start order. Business times are the recording time or,
 * now and then, up to two days earlier (a payment posted the day after it was received).
 */
import { randomUUID } from 'node:crypto';
import { accounts, caseWorkflow, contactAttempts, globalPosition, legalEscalation, type EventEnvelope, type NewEvent } from '@arrears/contracts';
import { accountPlaced, storedEvent, stubCiphertext } from '@arrears/testing';
import fc from 'fast-check';
import { encodeAs, SYSTEM } from './stored-events';

const caseId = '5b0e2f64-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
const accountId = caseId;
const debtorId = '0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a';
const usd = (minor: number) => ({ minor, currency: 'USD' });
const STREAM = {
  account: `account-${accountId}`,
  contact: `contact-${debtorId}`,
  promise: `promise-${accountId}`,
  plan: `plan-${accountId}`,
  case: `case-${accountId}`,
  roster: 'roster-main',
  legal: `legal-${accountId}`,
};
const T = '2026-01-01T00:00:00.000Z'; // business times are set when the log is laid down
const system = (service: string) => ({ occurredAt: T, ...SYSTEM(service) });
const RULES = ['reg-f.call-frequency', 'reg-f.call-hours', 'reg-f.after-conversation', 'cn.daily-connected', 'pref.opted-out'];
const HOLD_FLAGS = ['dispute', 'cease-communication', 'bankruptcy', 'deceased', 'vulnerable', 'time-barred'] as const;
const PROFILE: caseWorkflow.CaseProfile = { product: 'consumer-loan', currency: 'USD', balance: 85_000, daysPastDue: 40, bucket: '31-90', tier: 'high', brokenPromises: 0 };

type Entry = readonly [stream: string, event: NewEvent];
type Of<A> = A extends fc.Arbitrary<infer T> ? T : never;

// ── accounts ──
const accountOp = fc.oneof(
  fc.record({ op: fc.constant('pay' as const), minor: fc.integer({ min: 1, max: 40_000 }) }),
  fc.record({ op: fc.constant('flag' as const), flag: fc.constantFrom(...HOLD_FLAGS) }),
  fc.record({ op: fc.constant('clear' as const), flag: fc.constantFrom(...HOLD_FLAGS) }),
  fc.record({ op: fc.constant('bucket' as const), to: fc.constantFrom(...accounts.AGING_BUCKETS), days: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ op: fc.constant('tier' as const), to: fc.constantFrom(...accounts.RISK_TIERS), score: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ op: fc.constant('waive' as const), minor: fc.integer({ min: 1, max: 4_000 }) }),
  fc.record({ op: fc.constant('broken' as const) }),
  fc.record({ op: fc.constant('close' as const), reason: fc.constantFrom(...accounts.CLOSE_REASONS) }),
  fc.record({ op: fc.constant('erase' as const) }),
);

function accountStream(ops: readonly Of<typeof accountOp>[]): Entry[] {
  const out: Entry[] = [[STREAM.account, accountPlaced(accountId, { debtorId })]];
  const balance = { principal: 80_000, fees: 3_000, interest: 2_000 };
  let credit = 0;
  let bucket: accounts.AgingBucket | null = null;
  let tier: accounts.RiskTier | null = null;
  const flags = new Set<string>();
  const add = (event: accounts.AccountEvent) => out.push([STREAM.account, encodeAs.account(caseId, event, system('accounts'))]);
  // The placement's balance: AccountPlaced of @arrears/testing places 800.00 of principal alone.
  balance.fees = 0;
  balance.interest = 0;
  for (const [index, op] of ops.entries()) {
    switch (op.op) {
      case 'pay': {
        let left = op.minor;
        const allocation = { fees: 0, interest: 0, principal: 0, credit: 0 };
        for (const part of ['fees', 'interest', 'principal'] as const) {
          const applied = Math.min(left, balance[part]);
          balance[part] -= applied;
          allocation[part] = applied;
          left -= applied;
        }
        allocation.credit = left;
        credit += left;
        add({ type: 'PaymentPosted', data: { accountId, paymentReference: `PAY-${index}`, amount: usd(op.minor), receivedOn: '2026-01-01', channel: 'card', allocation, balanceAfter: { ...balance }, creditAfter: credit } });
        break;
      }
      case 'flag':
        if (!flags.has(op.flag)) add({ type: 'AccountFlagged', data: { accountId, flag: op.flag, reason: `${op.flag} reported` } });
        flags.add(op.flag);
        break;
      case 'clear':
        if (flags.has(op.flag)) add({ type: 'FlagCleared', data: { accountId, flag: op.flag, reason: `${op.flag} no longer applies` } });
        flags.delete(op.flag);
        break;
      case 'bucket':
        add({ type: 'AgingBucketChanged', data: { accountId, from: bucket, to: op.to, daysPastDue: op.days, asOf: '2026-01-01' } });
        bucket = op.to;
        break;
      case 'tier':
        add({ type: 'RiskTierChanged', data: { accountId, from: tier, to: op.to, score: op.score, factors: { score: op.score }, asOf: '2026-01-01' } });
        tier = op.to;
        break;
      case 'waive': {
        const waived = Math.min(op.minor, balance.principal);
        if (waived === 0) break;
        balance.principal -= waived; // a waiver of what the test placed: principal stands in for fees here
        add({ type: 'BalanceAdjusted', data: { accountId, kind: 'fee-waiver', amount: usd(waived), reason: 'Goodwill', approvedBy: 'supervisor-1', balanceAfter: { ...balance }, interestFrozen: false } });
        break;
      }
      case 'broken':
        add({ type: 'BrokenPromiseNoted', data: { accountId, promiseId: randomUUID(), dueDate: '2026-01-01' } });
        break;
      case 'close':
        add({ type: 'AccountClosed', data: { accountId, reason: op.reason, balanceAtClose: { ...balance }, creditAtClose: credit } });
        return out; // nothing follows a close in the account's stream here
      case 'erase':
        add({ type: 'DebtorDataErased', data: { accountId, debtorId, reason: 'Data subject request' } });
        break;
    }
  }
  return out;
}

// ── contact-attempts ──
const contactOp = fc.oneof(
  fc.record({
    op: fc.constant('decide' as const),
    allowed: fc.boolean(),
    rules: fc.subarray(RULES, { minLength: 1 }),
    released: fc.boolean(),
    outcome: fc.option(fc.constantFrom(...contactAttempts.OUTCOMES), { nil: undefined }),
  }),
  fc.record({ op: fc.constant('complaint' as const), category: fc.constantFrom('harassment' as const, 'frequency' as const, 'time-of-day' as const) }),
  fc.record({ op: fc.constant('resolve' as const), upheld: fc.boolean() }),
  fc.record({ op: fc.constant('preferences' as const), optedOut: fc.subarray([...contactAttempts.CHANNELS]) }),
  fc.record({ op: fc.constant('language' as const) }),
);

function contactStream(ops: readonly Of<typeof contactOp>[]): Entry[] {
  const out: Entry[] = [];
  const open: string[] = [];
  const add = (event: contactAttempts.ContactEvent) => out.push([STREAM.contact, encodeAs.contact(caseId, event, { occurredAt: T, actorId: 'collector-1', actorRole: 'collector' })]);
  for (const op of ops) {
    switch (op.op) {
      case 'decide': {
        const contactId = randomUUID();
        const request = {
          contactId,
          accountId,
          debtorId,
          channel: 'call' as const,
          target: { kind: 'phone' as const, value: stubCiphertext('+1 555 0100'), key: '0f'.repeat(32) },
          purpose: 'collection' as const,
          operatorId: 'collector-1',
          intendedAt: T,
          rulePack: 'us-reg-f',
          jurisdiction: 'US',
          timeZones: ['America/New_York'],
        };
        const reasons = op.rules.map((ruleId) => ({ ruleId, message: `${ruleId} says so`, counted: 1, limit: 7 }));
        if (!op.allowed) {
          add({ type: 'ContactBlocked', data: { ...request, reasons } });
          break;
        }
        add({ type: 'ContactAllowed', data: { ...request, reasons } });
        if (op.released) add({ type: 'DialTargetReleased', data: { contactId, accountId, debtorId, channel: 'call', targetKind: 'phone' } });
        if (op.outcome !== undefined) {
          const conversation = contactAttempts.CONVERSATION_OUTCOMES.includes(op.outcome);
          add({ type: 'AttemptOutcomeRecorded', data: { contactId, accountId, debtorId, outcome: op.outcome, conversation, connected: conversation, endedAt: T } });
        }
        break;
      }
      case 'complaint': {
        const complaintId = randomUUID();
        open.push(complaintId);
        add({ type: 'ComplaintRecorded', data: { complaintId, accountId, debtorId, category: op.category, description: stubCiphertext('complaint'), receivedAt: T } });
        break;
      }
      case 'resolve': {
        const complaintId = open.shift();
        if (complaintId !== undefined) add({ type: 'ComplaintResolved', data: { complaintId, accountId, debtorId, upheld: op.upheld, resolution: 'Looked into', resolvedAt: T } });
        break;
      }
      case 'preferences':
        add({ type: 'ContactPreferenceSet', data: { debtorId, accountId, optedOutChannels: op.optedOut, inconvenientTimes: [], inconvenientPlaces: [], preferredTimes: [] } });
        break;
      case 'language':
        add({ type: 'ProhibitedLanguageDetected', data: { accountId, debtorId, source: 'message', operatorId: 'collector-1', hits: [{ ruleId: 'us.abuse', category: 'abuse', term: 'idiot' }] } });
        break;
    }
  }
  return out;
}

// ── promises-to-pay ──
const promiseScript = fc.record({
  amount: fc.integer({ min: 100, max: 30_000 }),
  payments: fc.array(fc.integer({ min: 1, max: 20_000 }), { maxLength: 3 }),
  end: fc.constantFrom('kept' as const, 'broken' as const, 'cancelled' as const, 'open' as const),
});

function promiseStream(scripts: readonly Of<typeof promiseScript>[]): Entry[] {
  const out: Entry[] = [];
  const add = (event: Parameters<typeof encodeAs.promise>[1]) => out.push([STREAM.promise, encodeAs.promise(caseId, event, system('promises-to-pay'))]);
  for (const script of scripts) {
    const promiseId = randomUUID();
    const promised = usd(script.amount);
    add({ type: 'PromiseRecorded', data: { promiseId, accountId, amount: promised, madeOn: '2026-01-01', dueDate: '2026-01-10', graceDays: 2, breaksAt: '2026-01-13T00:00:00.000Z', channel: 'call', operatorId: 'collector-1' } });
    let paid = 0;
    let kept = false;
    for (const [index, minor] of script.payments.entries()) {
      const applied = Math.min(minor, script.amount - paid);
      paid += applied;
      kept = paid >= script.amount;
      add({ type: kept ? 'PromiseKept' : 'PromisePartiallyKept', data: { promiseId, accountId, paymentReference: `PAY-P${index}`, applied: usd(applied), paidTotal: usd(paid), promised } });
      if (kept) break;
    }
    if (kept) continue;
    if (script.end === 'kept' || script.end === 'broken') add({ type: 'PromiseBroken', data: { promiseId, accountId, promised, paid: usd(paid), dueDate: '2026-01-10', brokenOn: '2026-01-13' } });
    if (script.end === 'cancelled') add({ type: 'PromiseCancelled', data: { promiseId, accountId, reason: 'Replaced by a plan' } });
    if (script.end === 'open') break; // one open promise at a time
  }
  return out;
}

// ── payment-plans ──
const INSTALMENT_FATES = ['paid', 'missed', 'missed-then-paid', 'partly-paid', 'not-yet'] as const;
const planScript = fc.record({
  approve: fc.boolean(),
  accept: fc.boolean(),
  fates: fc.array(fc.constantFrom(...INSTALMENT_FATES), { minLength: 1, maxLength: 4 }),
  end: fc.constantFrom('completed' as const, 'defaulted' as const, 'cancelled' as const, 'running' as const),
});

function planStream(scripts: readonly Of<typeof planScript>[]): Entry[] {
  const out: Entry[] = [];
  const add = (event: Parameters<typeof encodeAs.plan>[1]) => out.push([STREAM.plan, encodeAs.plan(caseId, event, system('payment-plans'))]);
  for (const script of scripts) {
    const planId = randomUUID();
    const schedule = script.fates.map((_, index) => ({ number: index + 1, dueDate: `2026-0${index + 2}-01`, amount: usd(10_000) }));
    const total = usd(10_000 * schedule.length);
    add({
      type: 'PlanProposed',
      data: {
        planId,
        accountId,
        balance: total,
        total,
        outcome: 'paid-in-full',
        frequency: 'monthly',
        schedule,
        options: { interestFreeze: script.approve, termExtension: false },
        approvalsNeeded: script.approve ? [{ option: 'interest-freeze', reason: 'Beyond a collector' }] : [],
        graceDays: 3,
        missedToDefault: 2,
        proposedBy: 'collector-1',
      },
    });
    if (script.approve) add({ type: 'PlanApproved', data: { planId, accountId, options: ['interest-freeze'], approvedBy: 'supervisor-1' } });
    if (!script.accept) {
      if (script.end !== 'running') add({ type: 'PlanCancelled', data: { planId, accountId, reason: 'Debtor declined', wasAccepted: false } });
      continue;
    }
    add({ type: 'PlanAccepted', data: { planId, accountId, commitment: { documentId: `doc-${planId}`, sha256: '1f'.repeat(32) }, acceptedOn: '2026-01-15', total, outcome: 'paid-in-full', schedule: schedule.map((instalment) => ({ ...instalment, missesAt: `${instalment.dueDate}T00:00:00.000Z` })), acceptedVia: 'collector-1' } });
    const missed: number[] = [];
    for (const [index, fate] of script.fates.entries()) {
      const { number, dueDate, amount } = schedule[index] as (typeof schedule)[number];
      const base = { planId, accountId, number, dueDate, paymentReference: `PAY-I${number}`, receivedOn: dueDate, amount };
      if (fate === 'missed' || fate === 'missed-then-paid') {
        missed.push(number);
        add({ type: 'InstalmentMissed', data: { planId, accountId, number, dueDate, amount, paid: usd(0), missedOutstanding: missed.length } });
      }
      if (fate === 'paid' || fate === 'missed-then-paid') {
        const late = fate === 'missed-then-paid';
        if (late) missed.splice(missed.indexOf(number), 1);
        add({ type: 'InstalmentPaid', data: { ...base, applied: amount, paidTotal: amount, late, wasMissed: late } });
      }
      if (fate === 'partly-paid') add({ type: 'InstalmentPartiallyPaid', data: { ...base, applied: usd(4_000), paidTotal: usd(4_000), late: false } });
    }
    const allPaid = script.fates.every((fate) => fate === 'paid' || fate === 'missed-then-paid');
    const paid = usd(10_000 * script.fates.filter((fate) => fate === 'paid' || fate === 'missed-then-paid').length);
    if (script.end === 'completed' && allPaid) add({ type: 'PlanCompleted', data: { planId, accountId, outcome: 'paid-in-full', total, paid: total, completedOn: '2026-06-01' } });
    else if (script.end === 'defaulted' && missed.length > 0) add({ type: 'PlanDefaulted', data: { planId, accountId, missedInstalments: missed, total, paid, outstanding: usd(total.minor - paid.minor), defaultedOn: '2026-06-01' } });
    else if (script.end !== 'running') add({ type: 'PlanCancelled', data: { planId, accountId, reason: 'Withdrawn', wasAccepted: true } });
  }
  return out;
}

// ── case-workflow: the saga and the roster ──
const stageScript = fc.record({
  stage: fc.constantFrom(...caseWorkflow.STAGES),
  items: fc.subarray([...caseWorkflow.CHECKLIST_ITEMS]),
  fates: fc.array(fc.constantFrom('done' as const, 'missed' as const, 'open' as const, 'deadline' as const), { minLength: 4, maxLength: 4 }),
  commands: fc.array(fc.constantFrom('issued' as const, 'refused' as const, 'timer' as const), { maxLength: 2 }),
});
const escalation = fc.constantFrom('none' as const, 'requested' as const, 'held' as const);

function caseStream(stages: readonly Of<typeof stageScript>[], escalate: Of<typeof escalation>): Entry[] {
  const out: Entry[] = [];
  const sagaId = `case-${caseId}`;
  const add = (event: caseWorkflow.CaseEvent) => out.push([STREAM.case, encodeAs.case(caseId, event, system('case-workflow'))]);
  add({ type: 'CaseOpened', data: { caseId, accountId, creditorId: 'acme', dueDate: '2025-11-01', profile: PROFILE } });
  for (const [index, script] of stages.entries()) {
    const entry = index + 1;
    const { stage } = script;
    add({ type: 'StageEntered', data: { caseId, stage, entry, reason: `Rule ${entry} moved the case`, checklist: script.items.map((item) => ({ item, dueAt: '2026-02-01T00:00:00.000Z' })) } });
    script.items.forEach((item, at) => {
      const fate = script.fates[at];
      if (fate === 'done') add({ type: 'ChecklistItemDone', data: { caseId, stage, entry, item, by: 'attempt', at: T } });
      if (fate === 'missed') add({ type: 'DeadlineMissed', data: { caseId, stage, entry, item, dueAt: '2026-02-01T00:00:00.000Z', reason: `${item} not done in time`, alerted: ['supervisor'] } });
      if (fate === 'deadline') add({ type: 'ChecklistDeadlineSet', data: { caseId, stage, entry, item, dueAt: '2026-03-01T00:00:00.000Z' } });
    });
    for (const command of script.commands) {
      const commandId = randomUUID();
      if (command === 'timer') add({ type: 'SagaTimerSet', data: { sagaId, timerId: commandId, kind: 'deadline', fireAt: '2026-02-01T00:00:00.000Z', payload: {} } });
      else add({ type: 'SagaCommandIssued', data: { sagaId, commandId, service: 'case-workflow', command: 'ReassignCase', data: {}, reason: 'Stalled' } });
      if (command === 'refused') add({ type: 'SagaCommandRefused', data: { sagaId, commandId, service: 'case-workflow', command: 'ReassignCase', code: 'STATE_CONFLICT', message: 'No collector free' } });
    }
  }
  if (escalate === 'requested') add({ type: 'LegalEscalationRequested', data: { caseId, accountId, reasons: ['Two promises broken'], requestedBy: 'system:case-workflow' } });
  if (escalate === 'held') add({ type: 'LegalEscalationHeld', data: { caseId, reasons: ['Two promises broken'], holds: ['dispute'] } });
  return out;
}

const rosterOp = fc.constantFrom('assign' as const, 'unassign' as const, 'release' as const);

function rosterStream(ops: readonly Of<typeof rosterOp>[]): Entry[] {
  const out: Entry[] = [];
  const add = (event: caseWorkflow.RosterEvent) => out.push([STREAM.roster, encodeAs.roster(caseId, event, system('case-workflow'))]);
  ops.forEach((op, index) => {
    if (op === 'assign') add({ type: 'CaseAssigned', data: { caseId, collectorId: `collector-${index}`, reason: index === 0 ? 'new-case' : 'overload', profile: PROFILE, score: 50 + index, factors: [{ factor: 'load', points: 50, detail: 'light load' }], alternatives: [] } });
    if (op === 'unassign') add({ type: 'CaseUnassigned', data: { caseId, reason: 'absence', why: 'Nobody available', profile: PROFILE } });
    if (op === 'release') add({ type: 'CaseReleased', data: { caseId, outcome: 'neutral' } });
  });
  return out;
}

// ── legal-escalation ──
const handoffScript = fc.record({
  refused: fc.boolean(),
  fixed: fc.boolean(),
  delivered: fc.boolean(),
  reminders: fc.integer({ min: 0, max: 2 }),
  overdue: fc.boolean(),
  acknowledged: fc.boolean(),
  litigation: fc.subarray([...legalEscalation.LITIGATION_STATUSES]),
});

function legalStream(scripts: readonly Of<typeof handoffScript>[]): Entry[] {
  const out: Entry[] = [];
  const add = (event: legalEscalation.LegalEvent) => out.push([STREAM.legal, encodeAs.legal(caseId, event, system('legal-escalation'))]);
  for (const [index, script] of scripts.entries()) {
    const handoff = index + 1;
    const packageId = `${handoff}`.padStart(64, 'a');
    add({ type: 'HandoffStarted', data: { caseId, accountId, handoff, reasons: ['Escalated'], requestedBy: 'supervisor-1', requestedAt: T, remindAt: [T, T], overdueAt: T } });
    if (script.refused) {
      add({ type: 'HandoffRefused', data: { caseId, handoff, reason: 'A hold applies', holds: ['bankruptcy'] } });
      continue;
    }
    if (!script.fixed) continue;
    add({ type: 'EvidenceFixed', data: { caseId, handoff, packageId, items: [{ name: 'events.jsonl', sha256: 'b'.repeat(64), bytes: 10 }], events: 3, signature: 'sig', keyId: 'k1' } });
    for (let reminder = 0; reminder < script.reminders; reminder += 1) add({ type: 'HandoffReminderSent', data: { caseId, handoff, hoursSinceRequest: 24 + reminder * 12, delivered: script.delivered } });
    if (script.overdue) add({ type: 'LegalHandoffOverdue', data: { caseId, handoff, delivered: script.delivered, alerted: ['supervisor'] } });
    if (!script.delivered) continue;
    add({ type: 'LegalPackageDelivered', data: { caseId, accountId, handoff, packageId, hoursSinceRequest: 1, download: `/legal/${packageId}` } });
    if (!script.acknowledged) continue;
    add({ type: 'HandoffAcknowledged', data: { caseId, handoff, packageId, acknowledgedBy: 'legal-1', hoursSinceRequest: 2 } });
    for (const status of script.litigation) add({ type: 'LitigationStatusReported', data: { caseId, handoff, status, on: '2026-05-01', reportedBy: 'legal-1' } });
  }
  return out;
}

const unknownEvent = fc.constantFrom<Entry>(
  [STREAM.case, storedEvent({ type: 'CaseNoteAdded', schemaVersion: 1, data: { note: 'hello' } }, caseId, system('case-workflow'))],
  [`crm-${accountId}`, storedEvent({ type: 'CrmTicketOpened', schemaVersion: 1, data: { ticket: 'T-1' } }, caseId, system('crm'))],
  [STREAM.promise, storedEvent({ type: 'PromiseRecorded', schemaVersion: 9, data: { promiseId: 'not-a-uuid' } }, caseId, system('promises-to-pay'))],
);

interface Slot {
  /** Where the event lands among the other streams' events. */
  readonly key: number;
  /** How many events the commit that starts here holds. */
  readonly size: number;
  readonly gapMs: number;
  readonly jitterMs: number;
  readonly backdateMs: number;
}

const SLOTS = 200;
const slot: fc.Arbitrary<Slot> = fc.record({
  key: fc.nat(1_000_000),
  size: fc.integer({ min: 1, max: 3 }),
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 3 * 86_400_000 })),
  jitterMs: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }) }),
  backdateMs: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 * 86_400_000 }) }),
});

/**
 * The log of a random case: every event with its envelope, in global order. Event ids are fresh on every call
 * (the states compared never hold them), so a failing case is reproduced from its seed and path, not its ids.
 */
export function randomHistory(options: { readonly jitter: boolean }): fc.Arbitrary<readonly EventEnvelope[]> {
  return fc
    .record({
      account: fc.array(accountOp, { maxLength: 8 }),
      contact: fc.array(contactOp, { maxLength: 8 }),
      promises: fc.array(promiseScript, { maxLength: 3 }),
      plans: fc.array(planScript, { maxLength: 2 }),
      stages: fc.array(stageScript, { minLength: 1, maxLength: 4 }),
      escalation,
      roster: fc.array(rosterOp, { maxLength: 4 }),
      handoffs: fc.array(handoffScript, { maxLength: 2 }),
      unknown: fc.array(unknownEvent, { maxLength: 2 }),
      slots: fc.array(slot, { minLength: SLOTS, maxLength: SLOTS }),
    })
    .map((plan) => {
      const streams = [
        accountStream(plan.account),
        contactStream(plan.contact),
        promiseStream(plan.promises),
        planStream(plan.plans),
        caseStream(plan.stages, plan.escalation),
        rosterStream(plan.roster),
        legalStream(plan.handoffs),
        plan.unknown.map(([stream, event]): Entry => [stream, { ...event, eventId: randomUUID() }]),
      ];
      // Each stream keeps its own order: its events take the sorted keys of their slots.
      let next = 0;
      const placed = streams.flatMap((entries, streamIndex) => {
        const keys = entries.map(() => (plan.slots[next++ % SLOTS] as Slot).key).sort((a, b) => a - b);
        return entries.map((entry, index) => ({ entry, key: keys[index] as number, streamIndex, index }));
      });
      placed.sort((a, b) => a.key - b.key || a.streamIndex - b.streamIndex || a.index - b.index);
      return layDown(placed.map(({ entry }) => entry), plan.slots, options.jitter);
    });
}

function layDown(entries: readonly Entry[], slots: readonly Slot[], jitter: boolean): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  const streamPositions = new Map<string, number>();
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  let commit = 100;
  for (let at = 0, turn = 0; at < entries.length; turn += 1) {
    const { size, gapMs, jitterMs, backdateMs } = slots[turn % SLOTS] as Slot;
    clock += gapMs;
    commit += 1 + (gapMs % 3); // other cases' commits in between, now and then
    const recordedAt = new Date(clock - (jitter ? jitterMs : 0)).toISOString();
    const occurredAt = new Date(clock - backdateMs - 1).toISOString();
    entries.slice(at, at + size).forEach(([stream, event], prepare) => {
      const streamPosition = streamPositions.get(stream) ?? 0;
      streamPositions.set(stream, streamPosition + 1);
      events.push({ ...event, occurredAt, streamId: stream, streamPosition, globalPosition: globalPosition(commit, prepare), recordedAt });
    });
    at += size;
  }
  return events;
}
