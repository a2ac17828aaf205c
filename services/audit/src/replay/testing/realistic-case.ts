/**
 * One delinquent credit-card account worked from placement to the courts, across every service: contact attempts
 * (blocked, allowed, dialled, answered), a promise broken, the pressure stage with a missed deadline, a complaint, a
 * dispute that held an escalation, a payment plan approved, accepted, paid, missed and cancelled, a refused saga
 * command, a handoff to legal refused under breathing space and a second one delivered, acknowledged and filed.
 * Two events the platform does not know sit among them. Each event is encoded by its owner's catalog.
 */
import { randomUUID } from 'node:crypto';
import type { caseWorkflow, EventEnvelope, NewEvent } from '@arrears/contracts';
import { accountPlaced, paymentPosted, storedEvent, stubCiphertext } from '@arrears/testing';
import { encodeAs, Log, SYSTEM, type Actor } from './stored-events';

export const CASE_ID = '3f1c2b4e-8a7d-4c1e-9b2a-5d6e7f8a9b0c';
export const DEBTOR_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const PROMISE_ID = '11111111-2222-4333-8444-555555555555';
export const PLAN_ID = '66666666-7777-4888-9999-aaaaaaaaaaaa';
export const COMPLAINT_ID = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
export const CONTACTS = ['c0000001-0000-4000-8000-000000000001', 'c0000001-0000-4000-8000-000000000002', 'c0000001-0000-4000-8000-000000000003', 'c0000001-0000-4000-8000-000000000004'] as const;
export const PACKAGE_ID = 'c3'.repeat(32);

const COLLECTOR: Actor = { actorId: 'collector-7', actorRole: 'collector' };
const SUPERVISOR: Actor = { actorId: 'supervisor-2', actorRole: 'supervisor' };
const LEGAL: Actor = { actorId: 'legal-1', actorRole: 'legal' };
const DIALER: Actor = { actorId: 'dialer-1', actorRole: 'dialer' };

const accountId = CASE_ID;
const caseId = CASE_ID;
const stream = {
  account: `account-${accountId}`,
  contact: `contact-${DEBTOR_ID}`,
  promise: `promise-${accountId}`,
  plan: `plan-${accountId}`,
  case: `case-${accountId}`,
  roster: 'roster-main',
  legal: `legal-${accountId}`,
};
const sagaId = `case-${caseId}`;
const usd = (minor: number) => ({ minor, currency: 'USD' });

/** Instants the specs look at; each named for what the platform knew by then. */
export const MOMENTS = {
  beforePlacement: '2026-11-28T00:00:00.000Z',
  afterFirstDay: '2026-11-29T23:59:59.999Z',
  promiseMade: '2026-12-01T23:59:59.999Z',
  /** The payment was received on 5 December but posted by the morning batch of the 6th. */
  paymentReceived: '2026-12-05T12:00:00.000Z',
  paymentPosted: '2026-12-06T06:00:00.000Z',
  promiseBroken: '2026-12-13T23:59:59.999Z',
  planAccepted: '2027-01-08T23:59:59.999Z',
  firstHandoffRefused: '2027-04-06T23:59:59.999Z',
  end: '2027-06-01T00:00:00.000Z',
} as const;

const PROFILE: caseWorkflow.CaseProfile = { product: 'credit-card', currency: 'USD', balance: 80_000, daysPastDue: 59, bucket: '31-90', tier: 'medium', brokenPromises: 0 };
const TARGET = { kind: 'phone' as const, value: stubCiphertext('+1 312 555 0142'), key: 'a1'.repeat(32) };

export interface RealisticCase {
  readonly events: readonly EventEnvelope[];
}

export function realisticCase(): RealisticCase {
  const log = new Log();
  const one = (streamId: string, event: NewEvent, recordedAt?: string) => log.append([{ stream: streamId, event }], recordedAt === undefined ? {} : { recordedAt })[0] as EventEnvelope;
  const many = (...entries: [string, NewEvent][]) => log.append(entries.map(([streamId, event]) => ({ stream: streamId, event })));
  const signal = (signal: caseWorkflow.Signal, source: EventEnvelope, detail: Record<string, unknown> = {}, actor: Actor = SYSTEM('case-workflow')) =>
    one(stream.case, encodeAs.case(caseId, { type: 'CaseSignalRecorded', data: { caseId, signal, sourceEventId: source.eventId, sourceType: source.type, at: source.occurredAt, detail } }, { occurredAt: new Date(Date.parse(source.recordedAt) + 100).toISOString(), ...actor }));
  const contactRequest = (contactId: string, intendedAt: string) => ({
    contactId,
    accountId,
    debtorId: DEBTOR_ID,
    channel: 'call' as const,
    target: TARGET,
    purpose: 'collection' as const,
    operatorId: 'collector-7',
    intendedAt,
    rulePack: 'us-reg-f',
    jurisdiction: 'US-IL',
    timeZones: ['America/Chicago'],
  });

  // ── 29 November: placed, aged, opened, assigned ──
  many([stream.account, accountPlaced(accountId, { debtorId: DEBTOR_ID, name: stubCiphertext('Jane Debtor') })]);
  many(
    [stream.account, encodeAs.account(caseId, { type: 'AgingBucketChanged', data: { accountId, from: null, to: '31-90', daysPastDue: 59, asOf: '2026-11-29' } }, { occurredAt: '2026-11-29T09:00:01.000Z', ...SYSTEM('accounts') })],
    [stream.account, encodeAs.account(caseId, { type: 'RiskTierChanged', data: { accountId, from: null, to: 'medium', score: 55, factors: { daysPastDue: 30, balance: 20, product: 5 }, asOf: '2026-11-29' } }, { occurredAt: '2026-11-29T09:00:01.000Z', ...SYSTEM('accounts') })],
  );
  many(
    [stream.case, encodeAs.case(caseId, { type: 'CaseOpened', data: { caseId, accountId, creditorId: 'acme', dueDate: '2026-10-01', profile: PROFILE } }, { occurredAt: '2026-11-29T09:00:02.000Z', ...SYSTEM('case-workflow') })],
    [stream.case, encodeAs.case(caseId, { type: 'StageEntered', data: { caseId, stage: 'contact', entry: 1, reason: 'Case opened: reach the debtor', checklist: [{ item: 'first-attempt' }, { item: 'right-party-contact', dueAt: '2026-12-13T09:00:02.000Z' }] } }, { occurredAt: '2026-11-29T09:00:02.000Z', ...SYSTEM('case-workflow') })],
    [stream.case, encodeAs.case(caseId, { type: 'SagaTimerSet', data: { sagaId, timerId: randomUUID(), kind: 'checklist-deadline', fireAt: '2026-12-13T09:00:02.000Z', payload: { entry: 1, item: 'right-party-contact' } } }, { occurredAt: '2026-11-29T09:00:02.000Z', ...SYSTEM('case-workflow') })],
  );
  const assigned = one(
    stream.roster,
    encodeAs.roster(caseId, {
      type: 'CaseAssigned',
      data: {
        caseId,
        collectorId: 'collector-7',
        reason: 'new-case',
        profile: PROFILE,
        score: 82.5,
        factors: [
          { factor: 'specialty', points: 40, detail: 'credit-card specialist' },
          { factor: 'load', points: 30, detail: '12 of 40 open cases' },
          { factor: 'success-rate', points: 12.5, detail: '62% of closed cases recovered' },
        ],
        alternatives: [{ collectorId: 'collector-3', score: 71 }],
      },
    }, { occurredAt: '2026-11-29T09:00:03.000Z', ...SYSTEM('case-workflow') }),
  );
  signal('assigned', assigned, { collectorId: 'collector-7' });
  one(stream.case, encodeAs.case(caseId, { type: 'ChecklistDeadlineSet', data: { caseId, stage: 'contact', entry: 1, item: 'first-attempt', dueAt: '2026-11-30T09:00:03.000Z' } }, { occurredAt: '2026-11-29T09:00:04.000Z', ...SYSTEM('case-workflow') }));

  // ── 30 November: too early, then allowed, dialled, no answer ──
  one(stream.contact, encodeAs.contact(caseId, {
    type: 'ContactBlocked',
    data: {
      ...contactRequest(CONTACTS[0], '2026-11-30T13:10:00.000Z'),
      reasons: [{ ruleId: 'reg-f.call-hours', message: 'It is 07:10 in America/Chicago: calls only between 08:00 and 21:00 local time', nextAllowedAt: '2026-11-30T14:00:00.000Z' }],
      nextAllowedAt: '2026-11-30T14:00:00.000Z',
    },
  }, { occurredAt: '2026-11-30T13:10:00.000Z', ...COLLECTOR }));
  one(stream.contact, encodeAs.contact(caseId, {
    type: 'ContactAllowed',
    data: { ...contactRequest(CONTACTS[1], '2026-11-30T15:00:00.000Z'), reasons: [{ ruleId: 'reg-f.call-frequency', message: 'No call about this debt in the last 7 days (limit 7)', counted: 0, limit: 7 }] },
  }, { occurredAt: '2026-11-30T15:00:00.000Z', ...COLLECTOR }));
  one(stream.contact, encodeAs.contact(caseId, { type: 'DialTargetReleased', data: { contactId: CONTACTS[1], accountId, debtorId: DEBTOR_ID, channel: 'call', targetKind: 'phone' } }, { occurredAt: '2026-11-30T15:00:01.000Z', ...DIALER }));
  const noAnswer = one(stream.contact, encodeAs.contact(caseId, { type: 'AttemptOutcomeRecorded', data: { contactId: CONTACTS[1], accountId, debtorId: DEBTOR_ID, outcome: 'no-answer', conversation: false, connected: false, durationSeconds: 40, endedAt: '2026-11-30T15:01:00.000Z' } }, { occurredAt: '2026-11-30T15:01:00.000Z', ...COLLECTOR }));
  signal('attempt', noAnswer);
  one(stream.case, encodeAs.case(caseId, { type: 'ChecklistItemDone', data: { caseId, stage: 'contact', entry: 1, item: 'first-attempt', by: 'attempt', at: noAnswer.occurredAt } }, { occurredAt: '2026-11-30T15:01:01.000Z', ...SYSTEM('case-workflow') }));

  // ── 1 December: a conversation, prohibited language in the notes, a promise, preferences ──
  one(stream.contact, encodeAs.contact(caseId, {
    type: 'ContactAllowed',
    data: { ...contactRequest(CONTACTS[2], '2026-12-01T15:30:00.000Z'), reasons: [{ ruleId: 'reg-f.call-frequency', message: '1 call about this debt in the last 7 days (limit 7)', counted: 1, limit: 7 }] },
  }, { occurredAt: '2026-12-01T15:30:00.000Z', ...COLLECTOR }));
  const spoke = one(stream.contact, encodeAs.contact(caseId, {
    type: 'AttemptOutcomeRecorded',
    data: { contactId: CONTACTS[2], accountId, debtorId: DEBTOR_ID, outcome: 'right-party-contact', conversation: true, connected: true, durationSeconds: 420, recordingReference: 'rec-2026-12-01-0042', notes: stubCiphertext('Debtor will pay 200 by the 10th'), endedAt: '2026-12-01T15:37:00.000Z' },
  }, { occurredAt: '2026-12-01T15:37:00.000Z', ...COLLECTOR }));
  signal('right-party-contact', spoke);
  one(stream.contact, encodeAs.contact(caseId, { type: 'ProhibitedLanguageDetected', data: { accountId, debtorId: DEBTOR_ID, contactId: CONTACTS[2], source: 'notes', operatorId: 'collector-7', hits: [{ ruleId: 'us.threat-arrest', category: 'threat-arrest', term: 'arrest' }] } }, { occurredAt: '2026-12-01T15:37:01.000Z', ...SYSTEM('contact-attempts') }));
  one(stream.case, encodeAs.case(caseId, { type: 'ChecklistItemDone', data: { caseId, stage: 'contact', entry: 1, item: 'right-party-contact', by: 'right-party-contact', at: spoke.occurredAt } }, { occurredAt: '2026-12-01T15:37:03.000Z', ...SYSTEM('case-workflow') }));
  one(stream.promise, encodeAs.promise(caseId, {
    type: 'PromiseRecorded',
    data: { promiseId: PROMISE_ID, accountId, amount: usd(20_000), madeOn: '2026-12-01', dueDate: '2026-12-10', graceDays: 2, breaksAt: '2026-12-13T00:00:00.000Z', channel: 'call', operatorId: 'collector-7' },
  }, { occurredAt: '2026-12-01T15:40:00.000Z', ...COLLECTOR }));
  one(stream.contact, encodeAs.contact(caseId, {
    type: 'ContactPreferenceSet',
    data: { debtorId: DEBTOR_ID, accountId, optedOutChannels: ['sms'], inconvenientTimes: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }], inconvenientPlaces: ['work'], preferredTimes: [{ from: '18:00', to: '20:00' }] },
  }, { occurredAt: '2026-12-01T15:41:00.000Z', ...COLLECTOR }));

  // ── 2 December: blocked by the conversation rule; a note the platform does not know ──
  one(stream.contact, encodeAs.contact(caseId, {
    type: 'ContactBlocked',
    data: {
      ...contactRequest(CONTACTS[3], '2026-12-02T16:00:00.000Z'),
      reasons: [
        { ruleId: 'reg-f.after-conversation', message: 'A conversation about this debt took place on 2026-12-01: no calls for 7 days', counted: 1, limit: 0, nextAllowedAt: '2026-12-08T14:00:00.000Z' },
        { ruleId: 'pref.inconvenient-time', message: 'The debtor said 09:00-17:00 on weekdays is inconvenient' },
      ],
      nextAllowedAt: '2026-12-08T23:00:00.000Z',
    },
  }, { occurredAt: '2026-12-02T16:00:00.000Z', ...COLLECTOR }));
  one(stream.case, storedEvent({ type: 'CaseNoteAdded', schemaVersion: 1, data: { caseId, note: 'Debtor sounded cooperative' } }, caseId, { occurredAt: '2026-12-02T16:05:00.000Z', ...COLLECTOR }));

  // ── 5–6 December: a payment received on the 5th, posted by the batch of the 6th, partly keeping the promise ──
  const payment = one(stream.account, paymentPosted(accountId, { reference: 'PAY-1001', minor: 5_000, receivedOn: '2026-12-05', principalAfter: 75_000 }), MOMENTS.paymentPosted);
  signal('payment', payment, { balance: 75_000 });
  one(stream.promise, encodeAs.promise(caseId, { type: 'PromisePartiallyKept', data: { promiseId: PROMISE_ID, accountId, paymentReference: 'PAY-1001', applied: usd(5_000), paidTotal: usd(5_000), promised: usd(20_000) } }, { occurredAt: '2026-12-06T06:00:01.000Z', ...SYSTEM('promises-to-pay') }));

  // ── 13 December: the promise breaks; pressure ──
  const broken = one(stream.promise, encodeAs.promise(caseId, { type: 'PromiseBroken', data: { promiseId: PROMISE_ID, accountId, promised: usd(20_000), paid: usd(5_000), dueDate: '2026-12-10', brokenOn: '2026-12-13' } }, { occurredAt: '2026-12-13T00:00:05.000Z', ...SYSTEM('promises-to-pay') }));
  signal('promise-broken', broken, { promiseId: PROMISE_ID });
  one(stream.account, encodeAs.account(caseId, { type: 'BrokenPromiseNoted', data: { accountId, promiseId: PROMISE_ID, dueDate: '2026-12-10' } }, { occurredAt: '2026-12-13T00:00:10.000Z', ...SYSTEM('accounts') }));
  many(
    [stream.case, encodeAs.case(caseId, { type: 'StageEntered', data: { caseId, stage: 'pressure', from: 'contact', entry: 2, reason: 'Promise broken: USD 50.00 of USD 200.00 paid by 2026-12-10', checklist: [{ item: 'legal-consequences-notice', dueAt: '2026-12-20T00:00:20.000Z' }] } }, { occurredAt: '2026-12-13T00:00:20.000Z', ...SYSTEM('case-workflow') })],
    [stream.case, encodeAs.case(caseId, { type: 'SagaCommandIssued', data: { sagaId, commandId: randomUUID(), service: 'contact-attempts', command: 'RequestContact', data: { accountId, channel: 'letter', purpose: 'final-notice' }, reason: 'Pressure stage: the legal-consequences notice is due by 2026-12-20' } }, { occurredAt: '2026-12-13T00:00:20.000Z', ...SYSTEM('case-workflow') })],
  );

  // ── 14–28 December: a complaint, a dispute that holds an escalation, a missed deadline ──
  one(stream.contact, encodeAs.contact(caseId, { type: 'ComplaintRecorded', data: { complaintId: COMPLAINT_ID, accountId, debtorId: DEBTOR_ID, category: 'frequency', channel: 'call', description: stubCiphertext('They keep calling me at work'), receivedAt: '2026-12-14T10:00:00.000Z' } }, { occurredAt: '2026-12-14T10:05:00.000Z', ...SUPERVISOR }));
  one(`crm-${accountId}`, storedEvent({ type: 'CrmTicketOpened', schemaVersion: 2, data: { ticket: 'CRM-88' } }, caseId, { occurredAt: '2026-12-14T10:06:00.000Z', ...SUPERVISOR }));
  one(stream.account, encodeAs.account(caseId, { type: 'AccountFlagged', data: { accountId, flag: 'dispute', reason: 'Debtor disputes the interest charged' } }, { occurredAt: '2026-12-14T10:10:00.000Z', ...SUPERVISOR }));
  one(stream.case, encodeAs.case(caseId, { type: 'LegalEscalationHeld', data: { caseId, reasons: ['Supervisor supervisor-2 asked for legal escalation'], holds: ['dispute'] } }, { occurredAt: '2026-12-15T09:00:00.000Z', ...SYSTEM('case-workflow') }));
  one(stream.case, encodeAs.case(caseId, {
    type: 'DeadlineMissed',
    data: { caseId, stage: 'pressure', entry: 2, item: 'legal-consequences-notice', dueAt: '2026-12-20T00:00:20.000Z', reason: 'No legal-consequences notice was sent within 7 days of entering pressure', collectorId: 'collector-7', alerted: ['supervisor', 'collector'] },
  }, { occurredAt: '2026-12-20T00:00:21.000Z', ...SYSTEM('case-workflow') }));
  one(stream.contact, encodeAs.contact(caseId, { type: 'ComplaintResolved', data: { complaintId: COMPLAINT_ID, accountId, debtorId: DEBTOR_ID, upheld: false, resolution: 'Calls were within the Regulation F limits; explained to the debtor', resolvedAt: '2026-12-22T11:00:00.000Z' } }, { occurredAt: '2026-12-22T11:00:00.000Z', ...SUPERVISOR }));
  one(stream.account, encodeAs.account(caseId, { type: 'FlagCleared', data: { accountId, flag: 'dispute', reason: 'Interest confirmed by the creditor; debtor informed' } }, { occurredAt: '2026-12-28T09:00:00.000Z', ...SUPERVISOR }));

  // ── January: negotiate; a plan proposed, approved, accepted ──
  const schedule = [
    { number: 1, dueDate: '2027-02-01', amount: usd(25_000) },
    { number: 2, dueDate: '2027-03-01', amount: usd(25_000) },
    { number: 3, dueDate: '2027-04-01', amount: usd(25_000) },
  ];
  many(
    [stream.plan, encodeAs.plan(caseId, {
      type: 'PlanProposed',
      data: {
        planId: PLAN_ID,
        accountId,
        balance: usd(75_000),
        total: usd(75_000),
        outcome: 'paid-in-full',
        frequency: 'monthly',
        schedule,
        options: { interestFreeze: true, termExtension: false },
        approvalsNeeded: [{ option: 'interest-freeze', reason: 'A collector may not freeze interest; a supervisor must approve' }],
        graceDays: 3,
        missedToDefault: 2,
        proposedBy: 'collector-7',
      },
    }, { occurredAt: '2027-01-05T10:00:00.000Z', ...COLLECTOR })],
  );
  one(stream.case, encodeAs.case(caseId, { type: 'StageEntered', data: { caseId, stage: 'negotiate', from: 'pressure', entry: 3, reason: 'Plan proposed: agree its terms', checklist: [{ item: 'commitment', dueAt: '2027-01-19T10:00:01.000Z' }] } }, { occurredAt: '2027-01-05T10:00:01.000Z', ...SYSTEM('case-workflow') }));
  one(stream.plan, encodeAs.plan(caseId, { type: 'PlanApproved', data: { planId: PLAN_ID, accountId, options: ['interest-freeze'], approvedBy: 'supervisor-2', note: 'Debtor lost their job in November' } }, { occurredAt: '2027-01-06T09:00:00.000Z', ...SUPERVISOR }));
  one(stream.account, encodeAs.account(caseId, { type: 'BalanceAdjusted', data: { accountId, kind: 'interest-freeze', amount: usd(0), reason: 'Interest frozen for the payment plan', approvedBy: 'supervisor-2', balanceAfter: { principal: 75_000, fees: 0, interest: 0 }, interestFrozen: true } }, { occurredAt: '2027-01-06T09:01:00.000Z', ...SUPERVISOR }));
  const accepted = one(stream.plan, encodeAs.plan(caseId, {
    type: 'PlanAccepted',
    data: {
      planId: PLAN_ID,
      accountId,
      commitment: { documentId: 'doc-plan-0001', sha256: 'ab'.repeat(32) },
      acceptedOn: '2027-01-08',
      total: usd(75_000),
      outcome: 'paid-in-full',
      schedule: schedule.map((instalment) => ({ ...instalment, missesAt: `${instalment.dueDate.slice(0, 8)}05T00:00:00.000Z` })),
      acceptedVia: 'collector-7',
    },
  }, { occurredAt: '2027-01-08T14:00:00.000Z', ...COLLECTOR }));
  signal('plan-accepted', accepted, { planId: PLAN_ID });
  one(stream.case, encodeAs.case(caseId, { type: 'ChecklistItemDone', data: { caseId, stage: 'negotiate', entry: 3, item: 'commitment', by: 'plan-accepted', at: accepted.occurredAt } }, { occurredAt: '2027-01-08T14:00:02.000Z', ...SYSTEM('case-workflow') }));

  // ── February–April: paid, missed, paid late, a refused reassignment, missed again ──
  const instalment = (number: number, reference: string, receivedOn: string, late: boolean, wasMissed: boolean) =>
    encodeAs.plan(caseId, {
      type: 'InstalmentPaid',
      data: { planId: PLAN_ID, accountId, number, dueDate: schedule[number - 1]?.dueDate ?? '', paymentReference: reference, receivedOn, applied: usd(25_000), paidTotal: usd(25_000), amount: usd(25_000), late, wasMissed },
    }, { occurredAt: `${receivedOn}T10:00:01.000Z`, ...SYSTEM('payment-plans') });
  one(stream.account, paymentPosted(accountId, { reference: 'PAY-1002', minor: 25_000, receivedOn: '2027-02-01', principalAfter: 50_000 }));
  one(stream.plan, instalment(1, 'PAY-1002', '2027-02-01', false, false));
  one(stream.plan, encodeAs.plan(caseId, { type: 'InstalmentMissed', data: { planId: PLAN_ID, accountId, number: 2, dueDate: '2027-03-01', amount: usd(25_000), paid: usd(0), missedOutstanding: 1 } }, { occurredAt: '2027-03-05T00:00:00.000Z', ...SYSTEM('payment-plans') }));
  one(stream.account, paymentPosted(accountId, { reference: 'PAY-1003', minor: 25_000, receivedOn: '2027-03-10', principalAfter: 25_000 }));
  one(stream.plan, instalment(2, 'PAY-1003', '2027-03-10', true, true));
  const reassign = randomUUID();
  one(stream.case, encodeAs.case(caseId, { type: 'SagaCommandIssued', data: { sagaId, commandId: reassign, service: 'case-workflow', command: 'ReassignCase', data: { caseId, reason: 'stalled' }, reason: 'Two deadlines missed: reassign the stalled case' } }, { occurredAt: '2027-03-20T09:00:00.000Z', ...SYSTEM('case-workflow') }));
  one(stream.case, encodeAs.case(caseId, { type: 'SagaCommandRefused', data: { sagaId, commandId: reassign, service: 'case-workflow', command: 'ReassignCase', code: 'STATE_CONFLICT', message: 'No other collector with spare capacity for credit-card cases' } }, { occurredAt: '2027-03-20T09:00:01.000Z', ...SYSTEM('case-workflow') }));
  one(stream.plan, encodeAs.plan(caseId, { type: 'InstalmentMissed', data: { planId: PLAN_ID, accountId, number: 3, dueDate: '2027-04-01', amount: usd(25_000), paid: usd(0), missedOutstanding: 1 } }, { occurredAt: '2027-04-05T00:00:00.000Z', ...SYSTEM('payment-plans') }));

  // ── 6 April: wilful default; escalation requested; the handoff refused under breathing space ──
  const firstReasons = ['Wilful default flagged by supervisor-2', 'Instalment 3 of the plan missed'];
  many(
    [stream.case, encodeAs.case(caseId, { type: 'CaseSignalRecorded', data: { caseId, signal: 'wilful-default-flagged', sourceEventId: randomUUID(), sourceType: 'FlagWilfulDefault', at: '2027-04-06T10:00:00.000Z', detail: { note: 'Debtor stopped paying after moving funds abroad', by: 'supervisor-2' } } }, { occurredAt: '2027-04-06T10:00:00.000Z', ...SUPERVISOR })],
    [stream.case, encodeAs.case(caseId, { type: 'LegalEscalationRequested', data: { caseId, accountId, reasons: firstReasons, requestedBy: 'supervisor-2' } }, { occurredAt: '2027-04-06T10:00:00.000Z', ...SUPERVISOR })],
  );
  one(stream.account, encodeAs.account(caseId, { type: 'AccountFlagged', data: { accountId, flag: 'breathing-space', reason: 'Debt advice breathing space registered', endsOn: '2027-05-06' } }, { occurredAt: '2027-04-06T10:00:30.000Z', ...SUPERVISOR }));
  many(
    [stream.legal, encodeAs.legal(caseId, { type: 'HandoffStarted', data: { caseId, accountId, handoff: 1, reasons: firstReasons, requestedBy: 'supervisor-2', requestedAt: '2027-04-06T10:00:00.000Z', remindAt: ['2027-04-07T10:00:00.000Z', '2027-04-07T22:00:00.000Z'], overdueAt: '2027-04-08T10:00:00.000Z' } }, { occurredAt: '2027-04-06T10:01:00.000Z', ...SYSTEM('legal-escalation') })],
    [stream.legal, encodeAs.legal(caseId, { type: 'HandoffRefused', data: { caseId, handoff: 1, reason: 'Breathing space applies until 2027-05-06: no legal action', holds: ['breathing-space'] } }, { occurredAt: '2027-04-06T10:01:00.000Z', ...SYSTEM('legal-escalation') })],
  );

  // ── May: breathing space over; escalated again, closed, handed over, acknowledged, filed ──
  one(stream.account, encodeAs.account(caseId, { type: 'FlagCleared', data: { accountId, flag: 'breathing-space', reason: 'Breathing space ended on 2027-05-06' } }, { occurredAt: '2027-05-07T00:00:00.000Z', ...SYSTEM('accounts') }));
  const secondReasons = ['Wilful default flagged by supervisor-2', 'Breathing space ended on 2027-05-06'];
  many(
    [stream.case, encodeAs.case(caseId, { type: 'LegalEscalationRequested', data: { caseId, accountId, reasons: secondReasons, requestedBy: 'system:case-workflow' } }, { occurredAt: '2027-05-08T09:00:00.000Z', ...SYSTEM('case-workflow') })],
    [stream.case, encodeAs.case(caseId, { type: 'StageEntered', data: { caseId, stage: 'close', from: 'negotiate', entry: 4, reason: 'Handed to legal', checklist: [], closeReason: 'handed-to-legal' } }, { occurredAt: '2027-05-08T09:00:00.000Z', ...SYSTEM('case-workflow') })],
    [stream.case, encodeAs.case(caseId, { type: 'SagaCommandIssued', data: { sagaId, commandId: randomUUID(), service: 'case-workflow', command: 'ReleaseCase', data: { caseId, outcome: 'neutral' }, reason: 'Case closed: handed to legal' } }, { occurredAt: '2027-05-08T09:00:00.000Z', ...SYSTEM('case-workflow') })],
  );
  one(stream.plan, encodeAs.plan(caseId, { type: 'PlanCancelled', data: { planId: PLAN_ID, accountId, reason: 'Case handed to legal', wasAccepted: true } }, { occurredAt: '2027-05-08T09:00:01.000Z', ...SYSTEM('payment-plans') }));
  one(stream.roster, encodeAs.roster(caseId, { type: 'CaseReleased', data: { caseId, collectorId: 'collector-7', outcome: 'neutral' } }, { occurredAt: '2027-05-08T09:00:02.000Z', ...SYSTEM('case-workflow') }));
  one(stream.legal, encodeAs.legal(caseId, { type: 'HandoffStarted', data: { caseId, accountId, handoff: 2, reasons: secondReasons, requestedBy: 'system:case-workflow', requestedAt: '2027-05-08T09:00:00.000Z', remindAt: ['2027-05-09T09:00:00.000Z', '2027-05-09T21:00:00.000Z'], overdueAt: '2027-05-10T09:00:00.000Z' } }, { occurredAt: '2027-05-08T09:01:00.000Z', ...SYSTEM('legal-escalation') }));
  one(stream.legal, encodeAs.legal(caseId, { type: 'EvidenceFixed', data: { caseId, handoff: 2, packageId: PACKAGE_ID, items: [{ name: 'events.jsonl', sha256: 'd4'.repeat(32), bytes: 48_213 }, { name: 'summary.pdf', sha256: 'e5'.repeat(32), bytes: 91_004 }], events: 70, signature: 'c2lnbmF0dXJl', keyId: 'evidence-2027' } }, { occurredAt: '2027-05-08T09:20:00.000Z', ...SYSTEM('legal-escalation') }));
  one(stream.legal, encodeAs.legal(caseId, { type: 'LegalPackageDelivered', data: { caseId, accountId, handoff: 2, packageId: PACKAGE_ID, hoursSinceRequest: 0.5, download: `/legal/packages/${PACKAGE_ID}` } }, { occurredAt: '2027-05-08T09:30:00.000Z', ...SYSTEM('legal-escalation') }));
  one(stream.legal, encodeAs.legal(caseId, { type: 'HandoffReminderSent', data: { caseId, handoff: 2, hoursSinceRequest: 24, delivered: true } }, { occurredAt: '2027-05-09T09:00:00.000Z', ...SYSTEM('legal-escalation') }));
  one(stream.legal, encodeAs.legal(caseId, { type: 'HandoffAcknowledged', data: { caseId, handoff: 2, packageId: PACKAGE_ID, acknowledgedBy: 'legal-1', hoursSinceRequest: 30 } }, { occurredAt: '2027-05-09T15:00:00.000Z', ...LEGAL }));
  one(stream.legal, encodeAs.legal(caseId, { type: 'LitigationStatusReported', data: { caseId, handoff: 2, status: 'filed', on: '2027-05-30', reportedBy: 'legal-1', note: 'Claim filed at the Cook County Circuit Court' } }, { occurredAt: '2027-05-30T16:00:00.000Z', ...LEGAL }));

  return { events: log.events };
}
