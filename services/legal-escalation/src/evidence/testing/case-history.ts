/** A realistic case history for the evidence tests: every service's events, encoded by the published catalogs. */
import { randomUUID } from 'node:crypto';
import { accounts, caseWorkflow, contactAttempts, EventCatalog, legalEscalation, paymentPlans, promisesToPay, type EventEnvelope, type NewEvent } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import { accountPlaced, paymentPosted, storedEvent, stubCiphertext } from '@arrears/testing';

const catalogs = {
  accounts: new EventCatalog(accounts.ACCOUNT_EVENTS),
  contacts: new EventCatalog(contactAttempts.CONTACT_EVENTS),
  promises: new EventCatalog(promisesToPay.PROMISE_EVENTS),
  plans: new EventCatalog(paymentPlans.PLAN_EVENTS),
  cases: new EventCatalog(caseWorkflow.CASE_EVENTS),
  roster: new EventCatalog(caseWorkflow.ROSTER_EVENTS),
  legal: new EventCatalog(legalEscalation.LEGAL_EVENTS),
};

export interface CaseHistory {
  readonly caseId: string;
  readonly accountId: string;
  readonly debtorId: string;
  /** Another account of the same debtor: its contacts share the debtor's contact stream. */
  readonly otherCaseId: string;
  readonly teamId: string;
  readonly promiseId: string;
  readonly planId: string;
  readonly reasons: readonly string[];
  readonly requestedAt: string;
  /** Every stream written, the other case's included. */
  readonly streams: readonly string[];
  /** What was appended for this case, in order (as the store gave it back). */
  readonly events: readonly EventEnvelope[];
  /** What was appended for the other case (and nothing of this one). */
  readonly otherEvents: readonly EventEnvelope[];
}

const usd = (minor: number) => ({ minor, currency: 'USD' });
const TARGET_KEY = 'a'.repeat(64);
const profile = { product: 'credit-card', currency: 'USD', balance: 80_000, daysPastDue: 60, bucket: '31-90', tier: 'high', brokenPromises: 0 } as const;

/**
 * Appends, in time order, one case's life up to the escalation: placement, assignment, contacts allowed and
 * blocked with outcomes, a complaint, a broken promise, a dispute flag set and cleared, a plan accepted in writing
 * and defaulted, a fee waiver, the escalation request and the legal handoff. The debtor's contact stream and the
 * team's roster also carry another case's events, which the case's package must leave out.
 */
export async function appendCaseHistory(store: EventStore): Promise<CaseHistory> {
  const accountId = randomUUID();
  const caseId = accountId;
  const otherCaseId = randomUUID();
  const debtorId = randomUUID();
  const teamId = `team${randomUUID().slice(0, 8)}`;
  const promiseId = randomUUID();
  const planId = randomUUID();
  const contactStream = `contact-${debtorId}`;
  const rosterStream = `roster-${teamId}`;
  const reasons = ['payment plan defaulted', 'promise to pay broken', 'no payment in 30 days'];
  const requestedAt = '2027-03-01T09:00:00.000Z';

  const events: EventEnvelope[] = [];
  const otherEvents: EventEnvelope[] = [];
  const streams = new Set<string>();
  const append = async (streamId: string, event: NewEvent, of: 'case' | 'other' = 'case') => {
    await store.appendToStream(streamId, [event], { expectedVersion: 'any' });
    const [stored] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    (of === 'case' ? events : otherEvents).push(stored as EventEnvelope);
    streams.add(streamId);
  };
  const at = (day: string, time = '10:00:00') => ({ occurredAt: `${day}T${time}.000Z` });
  const collector = (day: string, time?: string) => ({ ...at(day, time), actorId: 'collector-7', actorRole: 'collector' as const });
  const contact = (type: contactAttempts.ContactEvent['type'], data: Record<string, unknown>, options: Parameters<typeof storedEvent>[2], forCase = caseId) =>
    storedEvent(catalogs.contacts.encode({ type, data: { debtorId, accountId: forCase, ...data } } as contactAttempts.ContactEvent), forCase, options);
  const decision = (contactId: string, forAccount: string, intendedAt: string) => ({
    contactId,
    accountId: forAccount,
    channel: 'call',
    target: { kind: 'phone', value: stubCiphertext('+1 312 555 0199'), key: TARGET_KEY },
    purpose: 'collection',
    operatorId: 'collector-7',
    intendedAt,
    rulePack: 'reg-f',
    jurisdiction: 'US-IL',
    timeZones: ['America/Chicago'],
  });

  // Placement and the case.
  await append(`account-${accountId}`, { ...accountPlaced(accountId, { debtorId, phones: [{ number: stubCiphertext('+1 312 555 0199'), kind: 'mobile' }] }), ...at('2026-12-01') });
  await append(
    `case-${caseId}`,
    storedEvent(catalogs.cases.encode({ type: 'CaseOpened', data: { caseId, accountId, creditorId: 'acme', dueDate: '2026-10-01', profile } }), caseId, { ...at('2026-12-01', '10:00:01'), actorId: 'system:case-workflow', actorRole: 'system' }),
  );
  await append(
    rosterStream,
    storedEvent(
      catalogs.roster.encode({
        type: 'CaseAssigned',
        data: { caseId, collectorId: 'collector-7', reason: 'new-case', profile, score: 42, factors: [{ factor: 'specialty', points: 42, detail: 'credit cards' }], alternatives: [] },
      }),
      caseId,
      { ...at('2026-12-01', '10:00:02'), actorId: 'system:case-workflow', actorRole: 'system' },
    ),
  );
  // Another case assigned on the same roster, after a command about it alone.
  await append(
    rosterStream,
    storedEvent(
      catalogs.roster.encode({
        type: 'CaseAssigned',
        data: { caseId: otherCaseId, collectorId: 'collector-7', reason: 'new-case', profile, score: 40, factors: [{ factor: 'specialty', points: 40, detail: 'credit cards' }], alternatives: [] },
      }),
      otherCaseId,
      { ...at('2026-12-01', '11:00:00'), actorId: 'system:case-workflow', actorRole: 'system' },
    ),
    'other',
  );

  // Contacts: one allowed with a promise offered, the other case's call on the same debtor stream, one blocked.
  const firstCall = randomUUID();
  await append(contactStream, contact('ContactAllowed', { ...decision(firstCall, accountId, '2026-12-02T15:00:00.000Z'), reasons: [] }, collector('2026-12-02', '15:00:00')));
  await append(
    contactStream,
    contact(
      'AttemptOutcomeRecorded',
      { contactId: firstCall, outcome: 'promise-offered', conversation: true, connected: true, durationSeconds: 312, recordingReference: 'rec-0001', notes: stubCiphertext('debtor will pay 200 on the 15th'), endedAt: '2026-12-02T15:05:12.000Z' },
      collector('2026-12-02', '15:05:12'),
    ),
  );
  const otherCall = randomUUID();
  await append(contactStream, contact('ContactAllowed', { ...decision(otherCall, otherCaseId, '2026-12-02T16:00:00.000Z'), reasons: [] }, collector('2026-12-02', '16:00:00'), otherCaseId), 'other');

  await append(
    `promise-${accountId}`,
    storedEvent(
      catalogs.promises.encode({
        type: 'PromiseRecorded',
        data: { promiseId, accountId, amount: usd(20_000), madeOn: '2026-12-02', dueDate: '2026-12-15', graceDays: 3, breaksAt: '2026-12-19T00:00:00.000Z', channel: 'call', operatorId: 'collector-7' },
      }),
      caseId,
      collector('2026-12-02', '15:06:00'),
    ),
  );
  await append(`account-${accountId}`, paymentPosted(accountId, { reference: 'PAY-1001', minor: 5_000, receivedOn: '2026-12-14', principalAfter: 75_000 }));
  await append(
    `promise-${accountId}`,
    storedEvent(
      catalogs.promises.encode({ type: 'PromisePartiallyKept', data: { promiseId, accountId, paymentReference: 'PAY-1001', applied: usd(5_000), paidTotal: usd(5_000), promised: usd(20_000) } }),
      caseId,
      { ...at('2026-12-14', '10:00:01'), actorId: 'system:promises-to-pay', actorRole: 'system' },
    ),
  );
  await append(
    `promise-${accountId}`,
    storedEvent(
      catalogs.promises.encode({ type: 'PromiseBroken', data: { promiseId, accountId, promised: usd(20_000), paid: usd(5_000), dueDate: '2026-12-15', brokenOn: '2026-12-19' } }),
      caseId,
      { ...at('2026-12-19', '00:00:00'), actorId: 'system:promises-to-pay', actorRole: 'system' },
    ),
  );
  await append(
    `account-${accountId}`,
    storedEvent(catalogs.accounts.encode({ type: 'BrokenPromiseNoted', data: { accountId, promiseId, dueDate: '2026-12-15' } }), caseId, { ...at('2026-12-19', '00:00:01'), actorId: 'system:accounts', actorRole: 'system' }),
  );

  const blockedCall = randomUUID();
  await append(
    contactStream,
    contact(
      'ContactBlocked',
      {
        ...decision(blockedCall, accountId, '2026-12-20T22:30:00.000Z'),
        reasons: [{ ruleId: 'reg-f.call-hours', message: 'Calls are allowed only 08:00-21:00 in the debtor\'s time zone', nextAllowedAt: '2026-12-21T14:00:00.000Z' }],
        nextAllowedAt: '2026-12-21T14:00:00.000Z',
      },
      collector('2026-12-20', '22:30:00'),
    ),
  );
  const complaintId = randomUUID();
  await append(
    contactStream,
    contact('ComplaintRecorded', { complaintId, category: 'time-of-day', channel: 'call', description: stubCiphertext('called me late at night'), receivedAt: '2026-12-21T09:00:00.000Z' }, { ...collector('2026-12-21', '09:00:00') }),
  );
  await append(
    contactStream,
    contact(
      'ComplaintResolved',
      { complaintId, upheld: false, resolution: 'The 22:30 call was blocked by the compliance engine and never placed.', resolvedAt: '2026-12-22T12:00:00.000Z' },
      { ...at('2026-12-22', '12:00:00'), actorId: 'supervisor-2', actorRole: 'supervisor' },
    ),
  );

  // A dispute raised and resolved.
  await append(
    `account-${accountId}`,
    storedEvent(catalogs.accounts.encode({ type: 'AccountFlagged', data: { accountId, flag: 'dispute', reason: 'Debtor disputes the fees' } }), caseId, { ...collector('2026-12-23') }),
  );
  await append(
    `account-${accountId}`,
    storedEvent(catalogs.accounts.encode({ type: 'FlagCleared', data: { accountId, flag: 'dispute', reason: 'Fee schedule sent; dispute withdrawn' } }), caseId, { ...at('2027-01-05'), actorId: 'supervisor-2', actorRole: 'supervisor' }),
  );

  // A plan agreed in writing, then defaulted.
  const schedule = [1, 2, 3].map((number) => ({ number, dueDate: `2027-0${number}-20`, amount: usd(25_000) }));
  await append(
    `plan-${accountId}`,
    storedEvent(
      catalogs.plans.encode({
        type: 'PlanProposed',
        data: {
          planId,
          accountId,
          balance: usd(75_000),
          total: usd(75_000),
          outcome: 'paid-in-full',
          frequency: 'monthly',
          schedule,
          options: { interestFreeze: false, termExtension: false },
          approvalsNeeded: [],
          graceDays: 5,
          missedToDefault: 2,
          proposedBy: 'collector-7',
        },
      }),
      caseId,
      collector('2027-01-06'),
    ),
  );
  await append(
    `plan-${accountId}`,
    storedEvent(
      catalogs.plans.encode({
        type: 'PlanAccepted',
        data: {
          planId,
          accountId,
          commitment: { documentId: 'doc-plan-7781', sha256: 'b'.repeat(64) },
          acceptedOn: '2027-01-08',
          total: usd(75_000),
          outcome: 'paid-in-full',
          schedule: schedule.map((instalment) => ({ ...instalment, missesAt: `${instalment.dueDate.slice(0, 8)}26T00:00:00.000Z` })),
          acceptedVia: 'collector-7',
        },
      }),
      caseId,
      collector('2027-01-08'),
    ),
  );
  await append(`account-${accountId}`, paymentPosted(accountId, { reference: 'PAY-1002', minor: 25_000, receivedOn: '2027-01-19', principalAfter: 50_000 }));
  await append(
    `plan-${accountId}`,
    storedEvent(
      catalogs.plans.encode({
        type: 'InstalmentPaid',
        data: { planId, accountId, number: 1, dueDate: '2027-01-20', paymentReference: 'PAY-1002', receivedOn: '2027-01-19', applied: usd(25_000), paidTotal: usd(25_000), amount: usd(25_000), late: false, wasMissed: false },
      }),
      caseId,
      { ...at('2027-01-19', '10:00:01'), actorId: 'system:payment-plans', actorRole: 'system' },
    ),
  );
  await append(
    `plan-${accountId}`,
    storedEvent(
      catalogs.plans.encode({ type: 'InstalmentMissed', data: { planId, accountId, number: 2, dueDate: '2027-02-20', amount: usd(25_000), paid: usd(0), missedOutstanding: 1 } }),
      caseId,
      { ...at('2027-02-26', '00:00:00'), actorId: 'system:payment-plans', actorRole: 'system' },
    ),
  );
  await append(
    `plan-${accountId}`,
    storedEvent(
      catalogs.plans.encode({ type: 'PlanDefaulted', data: { planId, accountId, missedInstalments: [2], total: usd(75_000), paid: usd(25_000), outstanding: usd(50_000), defaultedOn: '2027-02-26' } }),
      caseId,
      { ...at('2027-02-26', '00:00:01'), actorId: 'system:payment-plans', actorRole: 'system' },
    ),
  );

  await append(
    `account-${accountId}`,
    storedEvent(
      catalogs.accounts.encode({
        type: 'BalanceAdjusted',
        data: { accountId, kind: 'interest-freeze', amount: usd(0), reason: 'Frozen while the plan is reviewed', approvedBy: 'supervisor-2', balanceAfter: { principal: 50_000, fees: 0, interest: 0 }, interestFrozen: true },
      }),
      caseId,
      { ...at('2027-02-26', '09:00:00'), actorId: 'supervisor-2', actorRole: 'supervisor' },
    ),
  );
  // The escalation.
  await append(
    `case-${caseId}`,
    storedEvent(catalogs.cases.encode({ type: 'LegalEscalationRequested', data: { caseId, accountId, reasons: [...reasons], requestedBy: 'system:case-workflow' } }), caseId, {
      ...at('2027-03-01', '08:59:59'),
      actorId: 'system:case-workflow',
      actorRole: 'system',
    }),
  );
  await append(
    `legal-${caseId}`,
    storedEvent(
      catalogs.legal.encode({
        type: 'HandoffStarted',
        data: {
          caseId,
          accountId,
          handoff: 1,
          reasons: [...reasons],
          requestedBy: 'system:case-workflow',
          requestedAt,
          remindAt: ['2027-03-02T09:00:00.000Z', '2027-03-02T21:00:00.000Z'],
          overdueAt: '2027-03-03T09:00:00.000Z',
        },
      }),
      caseId,
      { ...at('2027-03-01', '09:00:00'), actorId: 'system:legal-escalation', actorRole: 'system' },
    ),
  );

  return { caseId, accountId, debtorId, otherCaseId, teamId, promiseId, planId, reasons, requestedAt, streams: [...streams].sort(), events, otherEvents };
}

/** A later event of the case (the EvidenceFixed of its handoff, say): what verification reports as added since. */
export function laterLegalEvent(caseId: string, packageId: string): NewEvent {
  return storedEvent(
    catalogs.legal.encode({
      type: 'EvidenceFixed',
      data: { caseId, handoff: 1, packageId, items: [{ name: 'summary.pdf', sha256: packageId, bytes: 1 }], events: 1, signature: 'c2ln', keyId: 'key' },
    }),
    caseId,
    { occurredAt: '2027-03-01T09:05:00.000Z', actorId: 'system:legal-escalation', actorRole: 'system' },
  );
}
