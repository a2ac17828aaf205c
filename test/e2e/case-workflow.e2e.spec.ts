import { randomUUID } from 'node:crypto';
import { eventually } from '@arrears/testing';
import { DAY_MS, PlatformProcesses, type StoredEvent } from './platform-processes';

/**
 * The case saga across every service, each its own process beside the relay: the case-workflow service opens a case
 * when accounts places an account, has its roster assign it, and moves it through its stages on what
 * contact-attempts, promises-to-pay, payment-plans and accounts publish — until the case closes, paid off by a plan,
 * or handed to legal after promises broken by a debtor long past due.
 */
describe('the case workflow across six processes', () => {
  let platform: PlatformProcesses;
  const collectorId = 'collector-7';
  const wait = { timeoutMs: 30_000, intervalMs: 200 };

  beforeAll(async () => {
    platform = await PlatformProcesses.create('e2e_cases');
    await platform.startRelay();
    // The first service migrates the shared event store; the others start once it has.
    await platform.start('accounts');
    await Promise.all([platform.start('contact-attempts'), platform.start('promises-to-pay'), platform.start('payment-plans'), platform.start('case-workflow')]);
    await platform.registerCollector(collectorId);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  const caseEvents = (accountId: string) => platform.events(`case-${accountId}`);
  const ofType = (events: readonly StoredEvent[], type: string) => events.filter((event) => event.type === type);
  const stages = async (accountId: string) => ofType(await caseEvents(accountId), 'StageEntered').map((event) => event.data['stage']);
  const rosterEvents = async (caseId: string) => (await platform.events('roster-main')).filter((event) => event.data['caseId'] === caseId);
  const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
  const daysFromToday = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

  /** Placed → the roster's CaseAssigned → the saga starts the first-attempt clock. */
  async function placeAndAssign(accountId: string, daysPastDue: number): Promise<void> {
    await platform.placeAccount(accountId, daysPastDue);
    await eventually(async () => expect(ofType(await caseEvents(accountId), 'ChecklistDeadlineSet')).toHaveLength(1), wait);
    expect((await rosterEvents(accountId)).map((event) => [event.type, event.data['collectorId'], event.data['reason']])).toEqual([['CaseAssigned', collectorId, 'new-case']]);
  }

  /**
   * A promise made ten days ago, due eight days ago: with the default three days of grace it broke four days ago, so
   * promises-to-pay's timer (on the real clock) breaks it at its next poll.
   */
  async function promiseThatBreaks(accountId: string): Promise<string> {
    const promiseId = randomUUID();
    const recorded = await platform.send<{ events: { type: string }[] }>(
      'promises-to-pay',
      'RecordPromise',
      { promiseId, accountId, amount: { minor: 20_000, currency: 'USD' }, dueDate: isoDaysAgo(8).slice(0, 10), channel: 'call' },
      'collector',
      isoDaysAgo(10),
    );
    expect(recorded.events.map((event) => event.type)).toEqual(['PromiseRecorded']);
    await eventually(async () => expect((await platform.events(`promise-${accountId}`)).filter((event) => event.type === 'PromiseBroken' && event.data['promiseId'] === promiseId)).toHaveLength(1), wait);
    return promiseId;
  }

  it('A: assigned, reached, a promise broken, a plan accepted and paid in full → the case closes as plan-completed, the account as paid in full', async () => {
    const accountId = randomUUID();
    await placeAndAssign(accountId, 60);

    // An allowed call (10:00 or 11:00 in Chicago, inside 08:00–21:00) in which the debtor was reached.
    const contactId = randomUUID();
    const intendedAt = `${new Date().toISOString().slice(0, 10)}T16:00:00.000Z`;
    const requested = await platform.send<{ events: { type: string }[] }>(
      'contact-attempts',
      'RequestContact',
      { contactId, accountId, channel: 'call', target: { kind: 'phone', value: '(312) 555-0142' }, intendedAt },
      'collector',
    );
    expect(requested.events[0]?.type).toBe('ContactAllowed');
    await platform.send('contact-attempts', 'RecordAttemptOutcome', { contactId, accountId, outcome: 'right-party-contact', durationSeconds: 240 }, 'collector');
    await eventually(async () => expect(ofType(await caseEvents(accountId), 'ChecklistItemDone').map((event) => event.data['item'])).toEqual(['first-attempt', 'right-party-contact']), wait);

    // A promise (→ negotiate) that breaks (→ pressure).
    const promiseId = await promiseThatBreaks(accountId);
    await eventually(async () => expect(await stages(accountId)).toEqual(['contact', 'negotiate', 'pressure']), wait);

    // A plan for the whole balance, proposed (→ negotiate) and accepted in writing (its commitment done).
    const planId = randomUUID();
    await platform.send('payment-plans', 'ProposePlan', { planId, accountId, instalments: 2, frequency: 'monthly', firstDueDate: daysFromToday(10) }, 'collector');
    await platform.send('payment-plans', 'AcceptPlan', { planId, accountId, commitment: { documentId: 'doc-e2e-case-a', sha256: 'a'.repeat(64) } }, 'collector');
    await eventually(async () => expect(ofType(await caseEvents(accountId), 'ChecklistItemDone').map((event) => event.data['by'])).toContain('plan-accepted'), wait);
    expect(await stages(accountId)).toEqual(['contact', 'negotiate', 'pressure', 'negotiate']);

    // Paid in full through accounts: payment-plans completes the plan, the saga closes the case, accounts the account.
    const today = new Date().toISOString().slice(0, 10);
    for (const reference of ['CARD-A1', 'CARD-A2']) {
      await platform.send('accounts', 'PostPayment', { accountId, paymentReference: reference, amount: { minor: 60_000, currency: 'USD' }, receivedOn: today, channel: 'card' }, 'collector');
    }
    await eventually(async () => expect(ofType(await rosterEvents(accountId), 'CaseReleased')).toHaveLength(1), wait);
    await eventually(async () => expect(ofType(await platform.events(`account-${accountId}`), 'AccountClosed')).toHaveLength(1), wait);

    const events = await caseEvents(accountId);
    expect(ofType(events, 'CaseOpened')[0]?.data).toMatchObject({ caseId: accountId, accountId, profile: { product: 'credit-card', balance: 120_000, daysPastDue: 60, bucket: '31-90' } });
    expect(ofType(events, 'StageEntered').map((event) => ({ stage: event.data['stage'], from: event.data['from'], entry: event.data['entry'], closeReason: event.data['closeReason'] }))).toEqual([
      { stage: 'contact', from: undefined, entry: 1, closeReason: undefined },
      { stage: 'negotiate', from: 'contact', entry: 2, closeReason: undefined },
      { stage: 'pressure', from: 'negotiate', entry: 3, closeReason: undefined },
      { stage: 'negotiate', from: 'pressure', entry: 4, closeReason: undefined },
      { stage: 'close', from: 'negotiate', entry: 5, closeReason: 'plan-completed' },
    ]);
    expect(ofType(events, 'StageEntered').map((event) => event.data['reason'])).toEqual([
      'the account was placed',
      `promise recorded (promise ${promiseId})`,
      `promise broken (promise ${promiseId})`,
      `plan proposed (plan ${planId})`,
      // Accounts closes the account on PlanCompleted: the saga may hear AccountClosed first, and closes the same way.
      expect.stringMatching(new RegExp(`^plan ${planId} completed( \\(the account was closed as paid\\))?$`)),
    ]);
    expect(ofType(events, 'ChecklistItemDone').map((event) => [event.data['stage'], event.data['entry'], event.data['item'], event.data['by']])).toEqual([
      ['contact', 1, 'first-attempt', 'right-party-contact'],
      ['contact', 1, 'right-party-contact', 'right-party-contact'],
      ['negotiate', 2, 'commitment', 'promise-recorded'],
      ['negotiate', 4, 'commitment', 'plan-accepted'],
    ]);
    expect(ofType(events, 'DeadlineMissed')).toEqual([]);
    expect(ofType(events, 'LegalEscalationRequested')).toEqual([]);
    expect(ofType(events, 'SagaCommandIssued').map((event) => [event.data['service'], event.data['command']])).toEqual([
      ['case-workflow', 'AssignCase'],
      ['case-workflow', 'ReleaseCase'],
    ]);
    expect(ofType(events, 'SagaCommandRefused')).toEqual([]);

    // The roster: assigned once, released once with a success counted for the collector.
    const release = ofType(events, 'SagaCommandIssued')[1]!;
    const roster = await rosterEvents(accountId);
    expect(roster.map((event) => event.type)).toEqual(['CaseAssigned', 'CaseReleased']);
    expect(roster[1]?.data).toEqual({ caseId: accountId, collectorId, outcome: 'success' });
    expect(roster[1]?.metadata.commandId).toBe(release.data['commandId']);

    const [closed] = ofType(await platform.events(`account-${accountId}`), 'AccountClosed');
    expect(closed?.data).toMatchObject({ reason: 'paid-in-full', note: `Plan ${planId} completed` });
  }, 180_000);

  it('B: 120 days past due, a second promise broken → legal escalation with its reason, the case closed as handed to legal', async () => {
    const accountId = randomUUID();
    await placeAndAssign(accountId, 120);

    // The first break moves the case to pressure; one broken promise is not enough for legal.
    await promiseThatBreaks(accountId);
    await eventually(async () => expect(await stages(accountId)).toEqual(['contact', 'negotiate', 'pressure']), wait);
    expect(ofType(await caseEvents(accountId), 'LegalEscalationRequested')).toEqual([]);

    // One open promise per case: the second is recorded once the first has broken.
    await promiseThatBreaks(accountId);
    await eventually(async () => expect(ofType(await rosterEvents(accountId), 'CaseReleased')).toHaveLength(1), wait);

    const events = await caseEvents(accountId);
    expect(ofType(events, 'StageEntered').map((event) => [event.data['stage'], event.data['closeReason']])).toEqual([
      ['contact', undefined],
      ['negotiate', undefined],
      ['pressure', undefined],
      ['negotiate', undefined],
      ['pressure', undefined],
      ['close', 'handed-to-legal'],
    ]);
    const [opened] = ofType(events, 'CaseOpened');
    const [escalation] = ofType(events, 'LegalEscalationRequested');
    expect(opened?.data['profile']).toMatchObject({ daysPastDue: 120, bucket: '90+' });
    // Days past due as of the second break, when the saga decided.
    const overdue = Math.floor((Date.parse(escalation!.occurredAt) - Date.parse(`${String(opened!.data['dueDate'])}T00:00:00Z`)) / DAY_MS);
    expect(overdue).toBeGreaterThanOrEqual(120);
    expect(escalation?.data).toEqual({ caseId: accountId, accountId, reasons: [`${overdue} days past due with 2 broken promises`], requestedBy: 'system:case-workflow' });
    expect(ofType(events, 'StageEntered').at(-1)?.data['reason']).toBe(`legal escalation requested: ${overdue} days past due with 2 broken promises`);
    expect(ofType(events, 'CaseSignalRecorded').filter((event) => event.data['signal'] === 'promise-broken')).toHaveLength(2);
    expect(ofType(events, 'SagaCommandIssued').map((event) => [event.data['command'], event.data['data']])).toEqual([
      ['AssignCase', expect.objectContaining({ caseId: accountId })],
      ['ReleaseCase', { teamId: 'main', caseId: accountId, outcome: 'neutral' }],
    ]);

    const roster = await rosterEvents(accountId);
    expect(roster.map((event) => event.type)).toEqual(['CaseAssigned', 'CaseReleased']);
    expect(roster[1]?.data).toEqual({ caseId: accountId, collectorId, outcome: 'neutral' });
  }, 180_000);
});
