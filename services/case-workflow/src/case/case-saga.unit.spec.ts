import { randomUUID } from 'node:crypto';
import { caseWorkflow, contactAttempts, ErrorCode, EventCatalog, legalEscalation, paymentPlans, promisesToPay, type accounts, type EventEnvelope } from '@arrears/contracts';
import { input, published, sagaSpec } from '@arrears/sagas/src/testing/saga-spec';
import { accountEvent, storedEvent } from '@arrears/testing';
import { caseSaga } from './case-saga';
import type { CaseEvent } from './domain/case-state';
import { DEFAULT_WORKFLOW_POLICY } from './domain/policy';

const caseId = '6f1c1a52-8d2e-4a53-9d5e-0d7e5c1f9a01';
const promiseId = '11111111-1111-4111-8111-111111111111';
const planId = '22222222-2222-4222-8222-222222222222';
const saga = caseSaga(DEFAULT_WORKFLOW_POLICY);
const given = sagaSpec(saga, caseId);

const PROMISES = new EventCatalog(promisesToPay.PROMISE_EVENTS);
const PLANS = new EventCatalog(paymentPlans.PLAN_EVENTS);
const CONTACTS = new EventCatalog(contactAttempts.CONTACT_EVENTS);
const ROSTER = new EventCatalog(caseWorkflow.ROSTER_EVENTS);
const LEGAL = new EventCatalog(legalEscalation.LEGAL_EVENTS);
const usd = (minor: number) => ({ minor, currency: 'USD' });
const T0 = '2026-11-30T09:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
const days = (count: number) => at(count * 24);

// ── Other services' events, as they publish them ───────────────────────────────────────────────────────────
const placed = (dueDate = '2026-10-21', when = T0) =>
  published(
    accountEvent(
      {
        type: 'AccountPlaced',
        data: {
          accountId: caseId,
          creditor: { creditorId: 'acme', name: 'Acme Bank' },
          creditorReference: 'CC-1',
          product: 'credit-card',
          currency: 'USD',
          balance: { principal: 80_000, fees: 0, interest: 0 },
          dueDate,
          allocationOrder: ['fees', 'interest', 'principal'],
          debtor: { debtorId: randomUUID(), name: 'pii:v1:AAAAAAAAAAAAAAAA:bmFtZQ:BBBBBBBBBBBBBBBBBBBBBB' as never, phones: [], emails: [], timeZone: 'America/Chicago', jurisdiction: 'US-IL', language: 'en' },
        },
      },
      { occurredAt: when },
    ),
    `account-${caseId}`,
  );
const account = (event: accounts.AccountEvent, when: string) => published(accountEvent(event, { occurredAt: when }), `account-${caseId}`, 1);
const flagged = (flag: accounts.Flag, when: string) => account({ type: 'AccountFlagged', data: { accountId: caseId, flag, reason: 'recorded' } }, when);
const cleared = (flag: accounts.Flag, when: string) => account({ type: 'FlagCleared', data: { accountId: caseId, flag, reason: 'resolved' } }, when);
const of = (catalog: EventCatalog, streamId: string) => (event: { type: string; data: Record<string, unknown> }, when: string) =>
  published(storedEvent(catalog.encode(event as never), caseId, { occurredAt: when }), streamId, 1);
const promise = of(PROMISES, `promise-${caseId}`);
const plan = of(PLANS, `plan-${caseId}`);
const contact = of(CONTACTS, `contact-${randomUUID()}`);
const roster = of(ROSTER, 'roster-main');
const legal = of(LEGAL, `legal-${caseId}`);

const profile = { product: 'credit-card' as const, currency: 'USD', balance: 80_000, daysPastDue: 40, bucket: '31-90' as const, tier: 'medium' as const, brokenPromises: 0 };
const assigned = (when: string, collectorId = 'collector-7') =>
  roster({ type: 'CaseAssigned', data: { caseId, collectorId, reason: 'new-case', profile, score: 71, factors: [{ factor: 'specialty', points: 30, detail: 'credit-card' }], alternatives: [] } }, when);
const outcome = (kind: string, when: string) =>
  contact(
    { type: 'AttemptOutcomeRecorded', data: { contactId: randomUUID(), accountId: caseId, debtorId: randomUUID(), outcome: kind, conversation: kind !== 'no-answer', connected: kind !== 'no-answer', endedAt: when } },
    when,
  );
const finalNotice = (when: string) =>
  contact(
    {
      type: 'ContactAllowed',
      data: {
        contactId: randomUUID(),
        accountId: caseId,
        debtorId: randomUUID(),
        channel: 'letter',
        target: { kind: 'address' as const, value: 'pii:v1:AAAAAAAAAAAAAAAA:YWRkcg:BBBBBBBBBBBBBBBBBBBBBB', key: 'c'.repeat(64) },
        purpose: 'final-notice',
        operatorId: 'collector-7',
        intendedAt: when,
        rulePack: 'us-reg-f',
        jurisdiction: 'US-IL',
        timeZones: ['America/Chicago'],
        reasons: [],
      },
    },
    when,
  );
const promiseRecorded = (when: string, id = promiseId) =>
  promise(
    { type: 'PromiseRecorded', data: { promiseId: id, accountId: caseId, amount: usd(20_000), madeOn: when.slice(0, 10), dueDate: '2026-12-20', graceDays: 3, breaksAt: '2026-12-24T00:00:00.000Z', channel: 'call', operatorId: 'collector-7' } },
    when,
  );
const promiseBroken = (when: string, id = promiseId) =>
  promise({ type: 'PromiseBroken', data: { promiseId: id, accountId: caseId, promised: usd(20_000), paid: usd(0), dueDate: '2026-12-20', brokenOn: when.slice(0, 10) } }, when);
const planEvent = (type: string, data: Record<string, unknown>, when: string) => plan({ type, data: { planId, accountId: caseId, ...data } }, when);
const planProposed = (when: string) =>
  planEvent(
    'PlanProposed',
    {
      balance: usd(80_000),
      total: usd(80_000),
      outcome: 'paid-in-full',
      frequency: 'monthly',
      schedule: [{ number: 1, dueDate: '2027-01-15', amount: usd(80_000) }],
      options: { interestFreeze: false, termExtension: false },
      approvalsNeeded: [],
      graceDays: 5,
      missedToDefault: 2,
      proposedBy: 'collector-7',
    },
    when,
  );
const planAccepted = (when: string) =>
  planEvent(
    'PlanAccepted',
    {
      commitment: { documentId: 'doc-1', sha256: 'a'.repeat(64) },
      acceptedOn: when.slice(0, 10),
      total: usd(80_000),
      outcome: 'paid-in-full',
      schedule: [{ number: 1, dueDate: '2027-01-15', amount: usd(80_000), missesAt: '2027-01-21T00:00:00.000Z' }],
      acceptedVia: 'collector-7',
    },
    when,
  );
const planDefaulted = (when: string) => planEvent('PlanDefaulted', { missedInstalments: [1, 2], total: usd(80_000), paid: usd(0), outstanding: usd(80_000), defaultedOn: when.slice(0, 10) }, when);
const deadline = (entry: number, item: caseWorkflow.ChecklistItem, when: string) => input.timer({ kind: 'deadline', payload: { entry, item }, firedAt: when });
const wilful = (when: string, actor = 'supervisor-2', actorRole: 'supervisor' | 'collector' = 'supervisor') =>
  ({
    kind: 'command',
    id: randomUUID(),
    at: when,
    command: { commandId: randomUUID(), type: 'FlagWilfulDefault', schemaVersion: 1, data: { accountId: caseId, reason: 'moved assets abroad' }, metadata: { correlationId: randomUUID(), actorId: actor, actorRole, now: when } },
  }) as const;

/** Runs the inputs in order from an empty case and returns everything decided. */
function run(...inputs: ReturnType<typeof input.event>[]): CaseEvent[] {
  const history: CaseEvent[] = [];
  for (const next of inputs) history.push(...given(...history).when(next).events());
  return history;
}
const ev = (event: EventEnvelope) => input.event(event);
const opened = () => run(ev(placed()));
const stages = (events: readonly CaseEvent[]) => events.filter((event) => event.type === 'StageEntered').map((event) => event.data.stage);

describe('opening a case', () => {
  it('an AccountPlaced opens the case in contact, sets the right-party-contact deadline and asks the roster for a collector', () => {
    const reaction = given().when(ev(placed()));
    expect(reaction.decisions()).toEqual([
      { type: 'CaseOpened', data: { caseId, accountId: caseId, creditorId: 'acme', dueDate: '2026-10-21', profile } },
      {
        type: 'StageEntered',
        data: { caseId, stage: 'contact', entry: 1, reason: 'the account was placed', checklist: [{ item: 'first-attempt' }, { item: 'right-party-contact', dueAt: days(14) }] },
      },
    ]);
    expect(reaction.timersSet()).toEqual([expect.objectContaining({ kind: 'deadline', fireAt: days(14), payload: { entry: 1, item: 'right-party-contact', key: '1/right-party-contact' } })]);
    expect(reaction.commands()).toEqual([expect.objectContaining({ service: 'case-workflow', command: 'AssignCase', data: { teamId: 'main', caseId, profile } })]);
  });

  it('a second AccountPlaced decides nothing; an event that overtook the placement is refused as not yet, to be delivered again', () => {
    given(...opened()).when(ev(placed())).then([]);
    expect(() => given().when(ev(promiseBroken(days(1)))).events()).toThrow(expect.objectContaining({ code: ErrorCode.UNAVAILABLE }));
  });

  it('the first attempt is due a day after assignment: the deadline starts with the CaseAssigned', () => {
    const reaction = given(...opened()).when(ev(assigned(at(2))));
    expect(reaction.decisions()).toEqual([
      expect.objectContaining({ type: 'CaseSignalRecorded', data: expect.objectContaining({ signal: 'assigned', detail: { collectorId: 'collector-7' } }) }),
      { type: 'ChecklistDeadlineSet', data: { caseId, stage: 'contact', entry: 1, item: 'first-attempt', dueAt: at(26) } },
    ]);
    expect(reaction.timersSet()).toEqual([expect.objectContaining({ fireAt: at(26), payload: { entry: 1, item: 'first-attempt', key: '1/first-attempt' } })]);
  });

  it('stage rules follow the tier and bucket: 90+ days past due gets its first attempt within 8 hours; a high tier seven days to reach the debtor', () => {
    const late = run(ev(placed('2026-08-01')), ev(assigned(at(1))));
    expect(late.find((event) => event.type === 'ChecklistDeadlineSet')?.data).toMatchObject({ dueAt: at(9) });
    const risky = run(ev(placed()), ev(account({ type: 'RiskTierChanged', data: { accountId: caseId, from: 'medium', to: 'high', score: 70, factors: { brokenPromises: 10 }, asOf: '2026-11-30' } } as never, at(1))), ev(promiseBroken(days(7))));
    // Entered pressure with the high tier's three days for the notice.
    expect(risky.filter((event) => event.type === 'StageEntered').at(-1)?.data).toMatchObject({ stage: 'pressure', checklist: [{ item: 'legal-consequences-notice', dueAt: days(10) }, expect.anything()] });
  });
});

describe('contact', () => {
  const working = () => run(ev(placed()), ev(assigned(at(2))));

  it('an attempt meets the first-attempt item and clears its deadline', () => {
    const reaction = given(...working()).when(ev(outcome('no-answer', at(5))));
    expect(reaction.decisions().map((event) => event.type)).toEqual(['CaseSignalRecorded', 'ChecklistItemDone']);
    expect(reaction.timersCleared()).toEqual([expect.objectContaining({ kind: 'deadline' })]);
  });

  it('a first attempt not made by its deadline is missed — exactly then, alerting supervisor and collector', () => {
    given(...working()).when(deadline(1, 'first-attempt', new Date(Date.parse(at(26)) - 1).toISOString())).then([]);
    expect(given(...working()).when(deadline(1, 'first-attempt', at(26))).events()).toEqual([
      { type: 'DeadlineMissed', data: { caseId, stage: 'contact', entry: 1, item: 'first-attempt', dueAt: at(26), reason: 'contact: no contact attempt was made in time after assignment', collectorId: 'collector-7', alerted: ['supervisor', 'collector'] } },
    ]);
  });

  it('a deadline of an item already met, of an earlier visit, or fired twice decides nothing', () => {
    const attempted = [...working(), ...given(...working()).when(ev(outcome('no-answer', at(5)))).events()];
    given(...attempted).when(deadline(1, 'first-attempt', at(26))).then([]);
    const missed = [...working(), ...given(...working()).when(deadline(1, 'first-attempt', at(26))).events()];
    given(...missed).when(deadline(1, 'first-attempt', at(27))).then([]);
    const pressed = [...working(), ...given(...working()).when(ev(promiseBroken(days(1)))).events()];
    given(...pressed).when(deadline(1, 'right-party-contact', days(14))).then([]);
  });

  it('no right-party contact by the deadline moves the case to pressure, its deadlines cleared and the new ones set', () => {
    const reaction = given(...working()).when(deadline(1, 'right-party-contact', days(14)));
    expect(reaction.decisions().map((event) => event.type)).toEqual(['DeadlineMissed', 'StageEntered']);
    expect(reaction.decisions()[1]?.data).toMatchObject({ stage: 'pressure', from: 'contact', entry: 2, reason: 'no right-party contact by the deadline' });
    expect(reaction.timersCleared().map((timer) => timer.kind)).toEqual(['deadline']); // the first attempt's
    expect(reaction.timersSet().map((timer) => timer.payload['item'])).toEqual(['legal-consequences-notice', 'right-party-contact']);
  });

  it('a right-party contact meets both items; a promise offered moves the case to negotiate', () => {
    expect(given(...working()).when(ev(outcome('right-party-contact', at(5)))).decisions().filter((event) => event.type === 'ChecklistItemDone').map((event) => event.data.item)).toEqual(['first-attempt', 'right-party-contact']);
    const offered = given(...working()).when(ev(outcome('promise-offered', at(5)))).decisions();
    expect(stages(offered)).toEqual(['negotiate']);
    expect(offered.find((event) => event.type === 'StageEntered')?.data).toMatchObject({ checklist: [{ item: 'commitment', dueAt: at(5 + 7 * 24) }] });
  });
});

describe('negotiate and pressure', () => {
  const negotiating = () => run(ev(placed()), ev(assigned(at(2))), ev(promiseRecorded(at(5))));

  it('a promise recorded moves the case to negotiate with its commitment met', () => {
    const history = negotiating();
    expect(stages(history)).toEqual(['contact', 'negotiate']);
    expect(history.filter((event) => event.type === 'ChecklistItemDone').at(-1)).toMatchObject({ data: { stage: 'negotiate', item: 'commitment', by: 'promise-recorded' } });
  });

  it('a broken promise moves it to pressure; the notice of legal consequences meets the pressure item', () => {
    const pressed = [...negotiating(), ...given(...negotiating()).when(ev(promiseBroken(days(20)))).events()];
    expect(stages(pressed).at(-1)).toBe('pressure');
    expect(given(...pressed).when(ev(finalNotice(days(21)))).decisions().at(-1)).toMatchObject({ type: 'ChecklistItemDone', data: { item: 'legal-consequences-notice', by: 'final-notice-sent' } });
  });

  it('a missed instalment moves a negotiating case to pressure; in pressure it stays', () => {
    const withPlan = run(ev(placed()), ev(planProposed(at(3))), ev(planAccepted(at(4))));
    const missed = planEvent('InstalmentMissed', { number: 1, dueDate: '2027-01-15', amount: usd(80_000), paid: usd(0), missedOutstanding: 1 }, '2027-01-21T00:00:00.000Z');
    const pressed = given(...withPlan).when(ev(missed)).decisions();
    expect(stages(pressed)).toEqual(['pressure']);
    expect(stages(given(...withPlan, ...pressed).when(ev(missed)).decisions())).toEqual([]);
  });

  it('a plan proposed in pressure moves to negotiate; accepted, it meets the commitment and replaces the open promise', () => {
    const pressed = run(ev(placed()), ev(promiseRecorded(at(1))), ev(promiseRecorded(at(2), '33333333-3333-4333-8333-333333333333')), ev(promiseBroken(days(20))));
    const proposing = given(...pressed).when(ev(planProposed(days(21))));
    expect(stages(proposing.decisions())).toEqual(['negotiate']);
    const accepting = given(...pressed, ...proposing.events()).when(ev(planAccepted(days(22))));
    expect(accepting.decisions().at(-1)).toMatchObject({ type: 'ChecklistItemDone', data: { item: 'commitment', by: 'plan-accepted' } });
    expect(accepting.commands()).toEqual([
      expect.objectContaining({ service: 'promises-to-pay', command: 'CancelPromise', data: { promiseId: '33333333-3333-4333-8333-333333333333', accountId: caseId, reason: `replaced by payment plan ${planId}` } }),
    ]);
  });

  it('no commitment by the negotiate deadline moves the case back to pressure', () => {
    const offered = run(ev(placed()), ev(outcome('promise-offered', at(5))));
    const entry = offered.filter((event) => event.type === 'StageEntered').at(-1)!.data as { entry: number; checklist: { dueAt?: string }[] };
    const reaction = given(...offered).when(deadline(entry.entry, 'commitment', entry.checklist[0]!.dueAt!));
    expect(reaction.decisions().map((event) => event.type)).toEqual(['DeadlineMissed', 'StageEntered']);
    expect(reaction.decisions()[1]?.data).toMatchObject({ stage: 'pressure', reason: 'no commitment by the deadline' });
  });

  it('two deadlines missed in one visit: the case has stalled and goes to another collector', () => {
    const pressed = run(ev(placed()), ev(assigned(at(1))), ev(promiseBroken(days(1))));
    const first = given(...pressed).when(deadline(2, 'legal-consequences-notice', days(6))).events();
    expect(given(...pressed).when(deadline(2, 'legal-consequences-notice', days(6))).commands()).toEqual([]);
    const second = given(...pressed, ...first).when(deadline(2, 'right-party-contact', days(11)));
    expect(second.commands()).toEqual([
      expect.objectContaining({ service: 'case-workflow', command: 'ReassignCase', data: { teamId: 'main', caseId, reason: 'stalled', profile: { ...profile, brokenPromises: 1, daysPastDue: 51 } } }),
    ]);
  });
});

describe('close', () => {
  it('a completed plan closes the case and releases it as a success; nothing is decided after', () => {
    const history = run(ev(placed()), ev(assigned(at(1))), ev(planProposed(at(2))), ev(planAccepted(at(3))));
    const completed = given(...history).when(ev(planEvent('PlanCompleted', { outcome: 'paid-in-full', total: usd(80_000), paid: usd(80_000), completedOn: '2027-01-10' }, '2027-01-10T12:00:00.000Z')));
    expect(completed.decisions().find((event) => event.type === 'StageEntered')?.data).toMatchObject({ stage: 'close', closeReason: 'plan-completed', checklist: [] });
    expect(completed.commands()).toEqual([expect.objectContaining({ command: 'ReleaseCase', data: { teamId: 'main', caseId, outcome: 'success' } })]);
    expect(completed.timersSet()).toEqual([]);
    given(...history, ...completed.events()).when(ev(promiseBroken('2027-01-11T00:00:00.000Z'))).then([]);
  });

  it("an account closed as paid while a plan runs closes the case as the plan's completion, whichever of PlanCompleted and AccountClosed arrives first", () => {
    const history = run(ev(placed()), ev(assigned(at(1))), ev(planProposed(at(2))), ev(planAccepted(at(3))));
    const paidOff = { accountId: caseId, reason: 'paid-in-full' as const, note: 'Plan completed', balanceAtClose: { principal: 0, fees: 0, interest: 0 }, creditAtClose: 0 };
    const closedFirst = given(...history).when(ev(account({ type: 'AccountClosed', data: paidOff }, '2027-01-10T12:00:01.000Z')));
    expect(closedFirst.decisions().find((event) => event.type === 'StageEntered')?.data).toMatchObject({ stage: 'close', closeReason: 'plan-completed' });
    expect(closedFirst.commands()).toEqual([expect.objectContaining({ command: 'ReleaseCase', data: expect.objectContaining({ outcome: 'success' }) })]);
    // Without a running plan the same closing is the account's own reason.
    expect(given(...opened()).when(ev(account({ type: 'AccountClosed', data: paidOff }, days(30)))).decisions().at(-1)?.data).toMatchObject({ stage: 'close', closeReason: 'paid' });
  });

  it('an account closed elsewhere closes the case with its reason: written off counts against the collector', () => {
    const written = given(...opened()).when(ev(account({ type: 'AccountClosed', data: { accountId: caseId, reason: 'written-off', balanceAtClose: { principal: 80_000, fees: 0, interest: 0 }, creditAtClose: 0 } }, days(30))));
    expect(written.decisions().at(-1)?.data).toMatchObject({ stage: 'close', closeReason: 'written-off' });
    expect(written.commands()[0]?.data).toMatchObject({ outcome: 'failure' });
  });
});

describe('legal escalation', () => {
  // Due 2026-08-01: 121 days past due on 2026-11-30.
  const overdue = () => run(ev(placed('2026-08-01')), ev(promiseRecorded(at(1))), ev(promiseBroken(days(1))), ev(promiseRecorded(days(2), '44444444-4444-4444-8444-444444444444')));

  it('90+ days past due with a second broken promise: escalation requested, the case handed to legal', () => {
    const reaction = given(...overdue()).when(ev(promiseBroken(days(3), '44444444-4444-4444-8444-444444444444')));
    expect(reaction.decisions().filter((event) => event.type === 'LegalEscalationRequested')).toEqual([
      { type: 'LegalEscalationRequested', data: { caseId, accountId: caseId, reasons: ['124 days past due with 2 broken promises'], requestedBy: 'system:case-workflow' } },
    ]);
    expect(reaction.decisions().at(-1)?.data).toMatchObject({ stage: 'close', closeReason: 'handed-to-legal' });
    expect(reaction.commands().map((command) => command.command)).toEqual(['ReleaseCase']);
  });

  it('not under 90 days past due, however many promises broke', () => {
    const young = run(ev(placed('2026-10-21')), ev(promiseBroken(days(1))), ev(promiseBroken(days(2), '44444444-4444-4444-8444-444444444444')));
    expect(young.some((event) => event.type === 'LegalEscalationRequested')).toBe(false);
  });

  it.each(['dispute', 'bankruptcy', 'deceased', 'breathing-space', 'time-barred'] as const)('a %s hold holds it — once — and when the hold clears it is requested', (hold) => {
    const disputed = [...overdue(), ...given(...overdue()).when(ev(flagged(hold, days(2)))).events()];
    const broken = given(...disputed).when(ev(promiseBroken(days(3), '44444444-4444-4444-8444-444444444444'))).decisions();
    expect(broken.filter((event) => event.type === 'LegalEscalationHeld').map((event) => event.data)).toEqual([{ caseId, reasons: ['124 days past due with 2 broken promises'], holds: [hold] }]);
    const held = [...disputed, ...broken];
    expect(given(...held).when(ev(account({ type: 'PaymentPosted', data: { accountId: caseId, paymentReference: 'P', amount: usd(100), receivedOn: '2026-12-04', channel: 'card', allocation: { fees: 0, interest: 0, principal: 100, credit: 0 }, balanceAfter: { principal: 79_900, fees: 0, interest: 0 }, creditAfter: 0 } }, days(4)))).decisions().map((event) => event.type)).toEqual(['CaseSignalRecorded']);
    expect(given(...held).when(ev(cleared(hold, days(5)))).decisions().map((event) => event.type)).toEqual(['CaseSignalRecorded', 'LegalEscalationRequested', 'StageEntered']);
  });

  it('a second defaulted plan calls for escalation', () => {
    const once = run(ev(placed()), ev(planDefaulted(days(40))));
    expect(once.some((event) => event.type === 'LegalEscalationRequested')).toBe(false);
    expect(given(...once).when(ev(planDefaulted(days(90)))).decisions().find((event) => event.type === 'LegalEscalationRequested')?.data).toMatchObject({ reasons: ['2 payment plans defaulted'] });
  });

  it('a supervisor flagging suspected wilful default requests it in their name; on no open case it is refused', () => {
    const reaction = given(...opened()).when(wilful(days(1)));
    expect(reaction.decisions().find((event) => event.type === 'LegalEscalationRequested')?.data).toMatchObject({ reasons: ['suspected wilful default flagged by supervisor-2: moved assets abroad'], requestedBy: 'supervisor-2' });
    expect(() => given().when(wilful(days(1))).events()).toThrow(expect.objectContaining({ code: ErrorCode.NOT_FOUND, field: 'data.accountId' }));
    expect(() => given(...opened()).when(wilful(days(1), 'collector-7', 'collector')).events()).toThrow(expect.objectContaining({ code: ErrorCode.FORBIDDEN, field: 'metadata.actorRole' }));
  });

  it("a case a supervisor sends to legal directly is handed to legal too: the handoff's start closes it, once", () => {
    const handoff = (when: string) =>
      legal({ type: 'HandoffStarted', data: { caseId, accountId: caseId, handoff: 1, reasons: ['debtor moved assets abroad'], requestedBy: 'supervisor-2', requestedAt: when, remindAt: [when, when], overdueAt: when } }, when);
    const negotiating = run(ev(placed()), ev(promiseRecorded(days(1))));
    const started = given(...negotiating).when(ev(handoff(days(2))));
    expect(started.decisions()).toEqual([
      expect.objectContaining({ type: 'CaseSignalRecorded', data: expect.objectContaining({ signal: 'legal-handoff-started', detail: { note: 'debtor moved assets abroad', by: 'supervisor-2' } }) }),
      expect.objectContaining({ type: 'StageEntered', data: expect.objectContaining({ stage: 'close' }) }),
    ]);
    expect(started.decisions().at(-1)?.data).toMatchObject({ from: 'negotiate', closeReason: 'handed-to-legal', reason: 'sent to legal by supervisor-2: debtor moved assets abroad' });
    expect(started.commands().map((command) => command.command)).toEqual(['ReleaseCase']);
    // The start of a handoff the saga asked for finds the case closed already; and a refusal still takes it back.
    const handed = [...overdue(), ...given(...overdue()).when(ev(promiseBroken(days(3), '44444444-4444-4444-8444-444444444444'))).events()];
    given(...handed).when(ev(handoff(days(3)))).then([]);
    const closed = [...negotiating, ...started.events()];
    const refused = given(...closed).when(ev(legal({ type: 'HandoffRefused', data: { caseId, handoff: 1, reason: 'a dispute is pending', holds: ['dispute'] } }, days(4))));
    expect(refused.decisions().at(-1)?.data).toMatchObject({ stage: 'pressure', from: 'close' });
  });

  it('after the handoff, litigation status is recorded on the closed case; a handoff legal refused takes it back to pressure', () => {
    const handed = [...overdue(), ...given(...overdue()).when(ev(promiseBroken(days(3), '44444444-4444-4444-8444-444444444444'))).events()];
    const status = given(...handed).when(ev(legal({ type: 'LitigationStatusReported', data: { caseId, handoff: 1, status: 'filed', on: '2026-12-10', reportedBy: 'legal-3' } }, days(10))));
    expect(status.decisions()).toEqual([expect.objectContaining({ type: 'CaseSignalRecorded', data: expect.objectContaining({ signal: 'litigation-status', detail: { note: 'filed', by: 'legal-3' } }) })]);
    const refused = given(...handed).when(ev(legal({ type: 'HandoffRefused', data: { caseId, handoff: 1, reason: 'a dispute is pending', holds: ['dispute'] } }, days(4))));
    expect(refused.decisions().at(-1)?.data).toMatchObject({ stage: 'pressure', from: 'close', reason: 'legal refused the handoff: a dispute is pending' });
    // A case closed for another reason does not reopen.
    const written = [...opened(), ...given(...opened()).when(ev(account({ type: 'AccountClosed', data: { accountId: caseId, reason: 'written-off', balanceAtClose: { principal: 80_000, fees: 0, interest: 0 }, creditAtClose: 0 } }, days(30)))).events()];
    given(...written).when(ev(legal({ type: 'HandoffRefused', data: { caseId, handoff: 1, reason: 'a dispute is pending', holds: ['dispute'] } }, days(31)))).then([]);
  });
});
