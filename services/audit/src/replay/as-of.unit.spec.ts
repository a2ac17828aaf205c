import { isArrearsError } from '@arrears/contracts';
import { caseStateAt, initialSnapshot } from './index';
import { COMPLAINT_ID, CONTACTS, MOMENTS, PACKAGE_ID, PLAN_ID, PROMISE_ID, realisticCase } from './testing/realistic-case';

describe('the state of a case as of a moment', () => {
  const { events } = realisticCase();

  it('is the initial state before the first event, stamped with the moment asked about', () => {
    expect(caseStateAt(events, MOMENTS.beforePlacement)).toEqual({ ...initialSnapshot(), asOf: { at: MOMENTS.beforePlacement, basis: 'recorded' } });
  });

  it('after the first day: placed, aged, opened in contact, assigned', () => {
    const state = caseStateAt(events, MOMENTS.afterFirstDay);
    expect(state.account).toMatchObject({
      status: 'open',
      currency: 'USD',
      balance: { principal: 80_000, fees: 0, interest: 0, total: 80_000 },
      credit: 0,
      flags: [],
      bucket: '31-90',
      daysPastDue: 59,
      tier: 'medium',
      riskScore: 55,
      brokenPromises: 0,
      closeReason: null,
      personalData: 'encrypted',
    });
    expect(state.workflow).toMatchObject({
      opened: true,
      stage: 'contact',
      entry: 1,
      stageReason: 'Case opened: reach the debtor',
      collector: 'collector-7',
      assignment: { status: 'assigned', reason: 'new-case', score: 82.5, outcome: null },
      checklist: {
        'first-attempt': { status: 'open', dueAt: '2026-11-30T09:00:03.000Z', doneBy: null, doneAt: null },
        'right-party-contact': { status: 'open', dueAt: '2026-12-13T09:00:02.000Z', doneBy: null, doneAt: null },
      },
    });
    expect(state.contact.attempts).toEqual({ allowed: 0, blocked: 0, blockedByRule: {}, outcomes: {}, conversations: 0 });
    expect(state.replayed).toEqual({ events: 9, unread: 0, lastPosition: '5006:0' });
  });

  it('once the promise is made: the contact record, the checklist met, the promise open', () => {
    const state = caseStateAt(events, MOMENTS.promiseMade);
    expect(state.contact).toMatchObject({
      attempts: { allowed: 2, blocked: 1, blockedByRule: { 'reg-f.call-hours': 1 }, outcomes: { 'no-answer': 1, 'right-party-contact': 1 }, conversations: 1 },
      lastOutcome: { contactId: CONTACTS[2], outcome: 'right-party-contact', conversation: true, endedAt: '2026-12-01T15:37:00.000Z' },
      preferences: { optedOutChannels: ['sms'], inconvenientPlaces: ['work'] },
      prohibitedLanguage: 1,
      dialTargetsReleased: 1,
    });
    expect(state.workflow.checklist['first-attempt']).toMatchObject({ status: 'done', doneBy: 'attempt' });
    expect(state.workflow.checklist['right-party-contact']).toMatchObject({ status: 'done', doneBy: 'right-party-contact' });
    expect(state.promises).toEqual({
      [PROMISE_ID]: { status: 'open', amount: 20_000, currency: 'USD', paid: 0, madeOn: '2026-12-01', dueDate: '2026-12-10', breaksAt: '2026-12-13T00:00:00.000Z', endedAt: null },
    });
  });

  it('by recording time shows what the platform knew: a payment received on the 5th is unknown until the batch posts it on the 6th', () => {
    const known = caseStateAt(events, MOMENTS.paymentReceived);
    expect(known.account.payments).toEqual({ count: 0, total: 0 });
    expect(known.asOf).toEqual({ at: MOMENTS.paymentReceived, basis: 'recorded' });

    const happened = caseStateAt(events, MOMENTS.paymentReceived, { basis: 'occurred' });
    expect(happened.account.payments).toEqual({ count: 1, total: 5_000 });
    expect(happened.account.balance?.total).toBe(75_000);
    expect(happened.promises[PROMISE_ID]?.paid).toBe(0); // the promise learnt of it when it was posted

    const posted = caseStateAt(events, MOMENTS.paymentPosted);
    expect(posted.account.payments).toEqual({ count: 1, total: 5_000 });
    expect(caseStateAt(events, '2026-12-06T05:59:59.999Z').account.payments.count).toBe(0);
  });

  it('counts an event recorded exactly at the moment asked about, whatever offset the moment is written in', () => {
    expect(caseStateAt(events, '2026-12-06T08:00:00+02:00').account.payments.count).toBe(1);
    expect(caseStateAt(events, '2026-12-06T00:59:59.999999-05:00').account.payments.count).toBe(0);
    expect(caseStateAt(events, '2026-12-06T01:00:00.000000-05:00').account.payments.count).toBe(1);
  });

  it('once the promise broke: pressure, the promise broken and counted, a complaint that comes later not yet there', () => {
    const state = caseStateAt(events, MOMENTS.promiseBroken);
    expect(state.promises[PROMISE_ID]).toMatchObject({ status: 'broken', paid: 5_000, endedAt: '2026-12-13T00:00:05.000Z' });
    expect(state.account.brokenPromises).toBe(1);
    expect(state.workflow).toMatchObject({ stage: 'pressure', entry: 2, stageReason: 'Promise broken: USD 50.00 of USD 200.00 paid by 2026-12-10', sagaCommands: { issued: 1, refused: 0 } });
    expect(Object.keys(state.workflow.checklist)).toEqual(['legal-consequences-notice']);
    expect(state.contact.complaints).toEqual({ open: 0, resolved: 0, upheld: 0, items: {} });
  });

  it('once the plan is accepted: its schedule, approvals, commitment; the interest frozen; the complaint resolved; the dispute that held escalation cleared', () => {
    const state = caseStateAt(events, MOMENTS.planAccepted);
    expect(state.plans[PLAN_ID]).toMatchObject({
      status: 'accepted',
      approvalsNeeded: ['interest-freeze'],
      approved: ['interest-freeze'],
      commitment: { documentId: 'doc-plan-0001' },
      acceptedOn: '2027-01-08',
      instalmentsPaid: 0,
      instalmentsMissed: 0,
      instalments: { 1: { status: 'due', amount: 25_000, paid: 0 }, 2: { status: 'due' }, 3: { status: 'due' } },
    });
    expect(state.account).toMatchObject({ interestFrozen: true, flags: [] });
    expect(state.contact.complaints).toMatchObject({ open: 0, resolved: 1, upheld: 0, items: { [COMPLAINT_ID]: { category: 'frequency', status: 'resolved', upheld: false } } });
    expect(state.legal).toMatchObject({ escalation: 'held', heldFor: ['dispute'], handoffs: {} });
    expect(state.workflow).toMatchObject({ stage: 'negotiate', entry: 3, deadlinesMissed: 1, checklist: { commitment: { status: 'done', doneBy: 'plan-accepted' } } });
  });

  it('when the first handoff was refused: breathing space flagged, the handoff refused with its hold', () => {
    const state = caseStateAt(events, MOMENTS.firstHandoffRefused);
    expect(state.account.flags).toEqual(['breathing-space']);
    expect(state.legal.escalation).toBe('requested');
    expect(state.legal.handoffs['1']).toMatchObject({ status: 'refused', refusal: { reason: 'Breathing space applies until 2027-05-06: no legal action', holds: ['breathing-space'] } });
    expect(state.plans[PLAN_ID]).toMatchObject({ status: 'accepted', instalmentsPaid: 2, instalmentsMissed: 1, paid: 50_000 });
    expect(state.plans[PLAN_ID]?.instalments['2']).toMatchObject({ status: 'paid', wasMissed: true, late: true });
    expect(state.workflow.sagaCommands).toEqual({ issued: 2, refused: 1 });
  });

  it('at the end: closed as handed to legal, released, the second handoff acknowledged and filed, the two unread events counted', () => {
    const state = caseStateAt(events, MOMENTS.end);
    expect(state.workflow).toMatchObject({ stage: 'close', closeReason: 'handed-to-legal', checklist: {}, collector: 'collector-7', assignment: { status: 'released', outcome: 'neutral' } });
    expect(state.plans[PLAN_ID]).toMatchObject({ status: 'cancelled', endedOn: '2027-05-08' });
    expect(state.legal.handoffs['2']).toMatchObject({
      status: 'acknowledged',
      packageId: PACKAGE_ID,
      delivered: true,
      acknowledged: true,
      acknowledgedBy: 'legal-1',
      reminders: 1,
      overdue: false,
      litigation: { status: 'filed', on: '2027-05-30', hearingDate: null },
    });
    expect(state.account).toMatchObject({ status: 'open', balance: { total: 25_000 }, payments: { count: 3, total: 55_000 }, flags: [] });
    expect(state.replayed).toEqual({ events: events.length, unread: 2, lastPosition: '5063:0' });
  });

  it('refuses a moment that is not an instant with an offset, naming `at`', () => {
    for (const at of ['yesterday', '2026-12-06', '2026-12-06T06:00:00', '2026-12-06T06:00Z']) {
      try {
        caseStateAt(events, at);
        throw new Error(`accepted ${at}`);
      } catch (error) {
        expect(isArrearsError(error, 'VALIDATION_FAILED')).toBe(true);
        expect((error as { field?: string }).field).toBe('at');
      }
    }
  });
});
