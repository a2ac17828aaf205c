import { compareGlobalPositions, globalPosition, isArrearsError, type EventEnvelope } from '@arrears/contracts';
import { caseTimeline, toJsonl, timelineCsv, type TimelineEntry } from './index';
import { CASE_ID, DEBTOR_ID, PACKAGE_ID, realisticCase } from './testing/realistic-case';

describe("a case's timeline", () => {
  const { events } = realisticCase();
  const timeline = caseTimeline(events);
  const one = (type: string, nth = 0): TimelineEntry => {
    const found = timeline.filter((entry) => entry.type === type)[nth];
    if (found === undefined) throw new Error(`no ${type} #${nth} in the timeline`);
    return found;
  };

  it('lists every event once, across every service, in global order, whatever order and how often they are handed in', () => {
    expect(timeline).toHaveLength(events.length);
    const positions = timeline.map((entry) => entry.position);
    expect([...positions].sort(compareGlobalPositions)).toEqual(positions);
    expect(new Set(timeline.map((entry) => entry.service))).toEqual(new Set(['accounts', 'contact-attempts', 'promises-to-pay', 'payment-plans', 'case-workflow', 'legal-escalation', null]));

    const scrambled = [...events].reverse().concat(events.slice(3, 9));
    expect(caseTimeline(scrambled)).toEqual(timeline);
  });

  it('gives each entry its position, times, service, stream, type, actor and a summary', () => {
    const blocked = one('ContactBlocked');
    expect(blocked).toMatchObject({
      time: '2026-11-30T13:10:00.000Z',
      recordedAt: '2026-11-30T13:10:00.250Z',
      service: 'contact-attempts',
      stream: `contact-${DEBTOR_ID}`,
      streamPosition: 0,
      schemaVersion: 1,
      known: true,
      actor: { id: 'collector-7', role: 'collector' },
      summary: 'call to phone [encrypted] at 2026-11-30T13:10:00.000Z BLOCKED by reg-f.call-hours; next allowed at 2026-11-30T14:00:00.000Z',
    });
    expect(one('DialTargetReleased').actor).toEqual({ id: 'dialer-1', role: 'dialer' });
    expect(one('AccountPlaced').summary).toBe(
      'Account placed by Acme Bank (ref. CC-1), credit-card: USD 800.00 owed (principal USD 800.00, fees USD 0.00, interest USD 0.00), due 2026-10-01; debtor [encrypted], US-IL',
    );
    expect(one('PaymentPosted').summary).toBe('Payment PAY-1001 of USD 50.00 received 2026-12-05 via bank-transfer: USD 750.00 left');
    expect(one('PaymentPosted')).toMatchObject({ time: '2026-12-05T10:00:00.000Z', recordedAt: '2026-12-06T06:00:00.000Z' });
    expect(one('PromiseBroken').summary).toBe('Promise BROKEN on 2026-12-13: USD 50.00 of USD 200.00 paid by 2026-12-10');
    expect(one('InstalmentPaid', 1).summary).toBe('Instalment 2 paid after it was missed: USD 250.00');
    expect(one('HandoffAcknowledged').summary).toBe(`Legal (legal-1) acknowledged package ${PACKAGE_ID}, 30 h after the request`);
    expect(one('CaseAssigned').service).toBe('case-workflow'); // the roster stream is case-workflow's
    for (const entry of timeline) expect(entry.summary).not.toMatch(/[\r\n]/);
  });

  it('gives the reasons of every compliance decision: each rule, its message and what it counted', () => {
    expect(one('ContactBlocked', 1).reasons).toEqual([
      { code: 'reg-f.after-conversation', message: 'A conversation about this debt took place on 2026-12-01: no calls for 7 days', facts: { counted: 1, limit: 0, nextAllowedAt: '2026-12-08T14:00:00.000Z' } },
      { code: 'pref.inconvenient-time', message: 'The debtor said 09:00-17:00 on weekdays is inconvenient', facts: {} },
    ]);
    expect(one('ContactAllowed').reasons).toEqual([{ code: 'reg-f.call-frequency', message: 'No call about this debt in the last 7 days (limit 7)', facts: { counted: 0, limit: 7 } }]);
    expect(one('ProhibitedLanguageDetected').reasons).toEqual([{ code: 'us.threat-arrest', message: 'threat-arrest: "arrest"', facts: { category: 'threat-arrest' } }]);
  });

  it("gives the reasons of the workflow's and the sagas' decisions", () => {
    expect(one('StageEntered', 1).reasons).toEqual([{ code: null, message: 'Promise broken: USD 50.00 of USD 200.00 paid by 2026-12-10', facts: { stage: 'pressure', from: 'contact', entry: 2 } }]);
    expect(one('StageEntered', 3).reasons).toEqual([{ code: 'handed-to-legal', message: 'Handed to legal', facts: { stage: 'close', from: 'negotiate', entry: 4 } }]);
    expect(one('DeadlineMissed').reasons).toEqual([
      { code: 'legal-consequences-notice', message: 'No legal-consequences notice was sent within 7 days of entering pressure', facts: { stage: 'pressure', dueAt: '2026-12-20T00:00:20.000Z', collectorId: 'collector-7' } },
    ]);
    const issued = one('SagaCommandIssued', 1);
    expect(issued.reasons).toEqual([{ code: 'case-workflow.ReassignCase', message: 'Two deadlines missed: reassign the stalled case', facts: { commandId: expect.any(String) } }]);
    expect(one('SagaCommandRefused').reasons).toEqual([
      { code: 'STATE_CONFLICT', message: 'No other collector with spare capacity for credit-card cases', facts: { service: 'case-workflow', command: 'ReassignCase', commandId: issued.reasons[0]?.facts['commandId'] } },
    ]);
    expect(one('SagaCommandRefused').summary).toBe("case-workflow REFUSED the saga's ReassignCase: STATE_CONFLICT");
    expect(one('CaseAssigned').reasons).toEqual([
      { code: 'new-case', message: 'assigned for new-case with score 82.5', facts: { score: 82.5 } },
      { code: 'specialty', message: 'credit-card specialist', facts: { points: 40 } },
      { code: 'load', message: '12 of 40 open cases', facts: { points: 30 } },
      { code: 'success-rate', message: '62% of closed cases recovered', facts: { points: 12.5 } },
      { code: 'runner-up', message: 'collector-3 scored 71', facts: { collectorId: 'collector-3', score: 71 } },
    ]);
    expect(one('PlanProposed').reasons).toEqual([{ code: 'interest-freeze', message: 'A collector may not freeze interest; a supervisor must approve', facts: {} }]);
    expect(one('PlanApproved').reasons).toEqual([{ code: 'interest-freeze', message: 'Debtor lost their job in November', facts: { approvedBy: 'supervisor-2' } }]);
    expect(one('RiskTierChanged').reasons.map((reason) => reason.code)).toEqual(['balance', 'daysPastDue', 'product']);
  });

  it('gives the reasons of escalations, holds and handoff refusals', () => {
    expect(one('LegalEscalationHeld').reasons).toEqual([
      { code: null, message: 'Supervisor supervisor-2 asked for legal escalation', facts: {} },
      { code: 'dispute', message: 'hold: dispute', facts: {} },
    ]);
    expect(one('LegalEscalationRequested').reasons.map((reason) => reason.message)).toEqual(['Wilful default flagged by supervisor-2', 'Instalment 3 of the plan missed']);
    expect(one('LegalEscalationRequested').actor).toEqual({ id: 'supervisor-2', role: 'supervisor' });
    expect(one('HandoffRefused').reasons).toEqual([
      { code: null, message: 'Breathing space applies until 2027-05-06: no legal action', facts: {} },
      { code: 'breathing-space', message: 'hold: breathing-space', facts: {} },
    ]);
    expect(one('CaseSignalRecorded', 6).reasons).toEqual([{ code: 'wilful-default-flagged', message: 'Debtor stopped paying after moving funds abroad', facts: { by: 'supervisor-2' } }]);
    expect(one('LitigationStatusReported').reasons).toEqual([{ code: 'filed', message: 'Claim filed at the Cook County Circuit Court', facts: {} }]);
  });

  it('lists events the platform does not know with their raw type, unapplied but never dropped', () => {
    expect(one('CaseNoteAdded')).toMatchObject({
      service: 'case-workflow',
      known: false,
      stream: `case-${CASE_ID}`,
      reasons: [],
      summary: 'Unread event CaseNoteAdded (v1): case-workflow publishes no event CaseNoteAdded',
    });
    expect(one('CrmTicketOpened')).toMatchObject({ service: null, known: false, schemaVersion: 2, summary: 'Unread event CrmTicketOpened (v2): no service owns streams of category "crm"' });
    expect(timeline.filter((entry) => !entry.known)).toHaveLength(2);
  });

  it('lists an event whose data its schema refuses, with why', () => {
    const placed = events[0] as EventEnvelope;
    const broken = { ...placed, eventId: '0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e', globalPosition: globalPosition(9_999, 0), data: { ...placed.data, currency: 'dollars' } } as EventEnvelope;
    const entry = caseTimeline([broken])[0];
    expect(entry).toMatchObject({ type: 'AccountPlaced', known: false, service: 'accounts' });
    expect(entry?.summary).toMatch(/^Unread event AccountPlaced \(v1\): AccountPlaced v1 could not be read: .*currency/);
  });

  it('never shows a personal field: ciphertexts stay in the events and read as [encrypted]', () => {
    const outputs = [toJsonl(timeline), timelineCsv(timeline)];
    for (const output of outputs) {
      expect(output).not.toContain('pii:v1:');
      expect(output).toContain('[encrypted]');
    }
    expect(one('AttemptOutcomeRecorded', 1).summary).toBe('Attempt outcome: right-party-contact, conversation, 420 s, recording rec-2026-12-01-0042; notes [encrypted]');
    expect(one('ComplaintRecorded').summary).toBe('Complaint received 2026-12-14T10:00:00.000Z: frequency (call); description [encrypted]');
  });

  it('shows a ciphertext pasted into free text as [encrypted] too', () => {
    const flagged = events.find((event) => event.type === 'AccountFlagged') as EventEnvelope;
    const pasted = { ...flagged, data: { ...flagged.data, reason: 'Attorney pii:v1:AAAAAAAAAAAAAAAA:c2VjcmV0:BBBBBBBBBBBBBBBBBBBBBB called' } } as EventEnvelope;
    expect(caseTimeline([pasted])[0]?.reasons).toEqual([{ code: 'dispute', message: 'Attorney [encrypted] called', facts: {} }]);
  });

  it('refuses one event id with two different contents, and an envelope that is not one, naming the field', () => {
    const first = events[1] as EventEnvelope;
    expect(() => caseTimeline([first, { ...first, recordedAt: '2026-11-29T10:00:00.000Z' }])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'events[1]' }));
    try {
      caseTimeline([{ ...first, globalPosition: 'seven' } as unknown as EventEnvelope]);
      throw new Error('accepted a bad position');
    } catch (error) {
      expect(isArrearsError(error, 'VALIDATION_FAILED')).toBe(true);
      expect((error as { field?: string }).field).toBe('events[0].globalPosition');
    }
  });
});
