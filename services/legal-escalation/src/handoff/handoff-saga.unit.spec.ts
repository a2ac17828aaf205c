import { randomUUID } from 'node:crypto';
import { caseWorkflow, ErrorCode, EventCatalog, type accounts, type Role } from '@arrears/contracts';
import type { SagaInput } from '@arrears/sagas';
import { input, published, sagaSpec } from '@arrears/sagas/src/testing/saga-spec';
import { storedEvent } from '@arrears/testing';
import type { LegalEvent } from './domain/handoff-state';
import { LEGAL_HOLDS } from './domain/holds';
import { handoffSaga, LEGAL_EVENT_CATALOG } from './handoff-saga';

const caseId = '7a2d4c61-3b9e-4f10-8c5d-2e6f1a9b0c42';
const saga = handoffSaga();
const given = sagaSpec(saga, caseId);
const CASES = new EventCatalog(caseWorkflow.CASE_EVENTS);

const T0 = '2026-12-01T09:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
const justBefore = (hours: number) => new Date(Date.parse(at(hours)) - 1).toISOString();
const PACKAGE = 'a'.repeat(64);
const OTHER_PACKAGE = 'b'.repeat(64);
const reasons = ['95 days past due with 2 broken promises'];

// ── Inputs ─────────────────────────────────────────────────────────────────────────────────────────────────
const caseEvent = (event: caseWorkflow.CaseEvent, when: string) =>
  published(storedEvent(CASES.encode(event), caseId, { occurredAt: when, actorId: 'system:case-workflow' }), `case-${caseId}`, 7);
const requested = (when = T0) => input.event(caseEvent({ type: 'LegalEscalationRequested', data: { caseId, accountId: caseId, reasons, requestedBy: 'system:case-workflow' } }, when));
const command = (type: string, data: Record<string, unknown>, when: string, actorRole: Role, actorId: string): SagaInput => ({
  kind: 'command',
  id: randomUUID(),
  at: when,
  command: { commandId: randomUUID(), type, schemaVersion: 1, data: { accountId: caseId, ...data }, metadata: { correlationId: randomUUID(), actorId, actorRole, now: when } },
});
const supervisorRequest = (holds: accounts.Flag[] = [], when = T0, role: Role = 'supervisor') =>
  command('RequestLegalEscalation', { reason: 'assets moved to a relative', holds }, when, role, 'supervisor-2');
const items = [
  { name: 'manifest.json', sha256: 'c'.repeat(64), bytes: 2_048 },
  { name: 'statement.pdf', sha256: 'd'.repeat(64), bytes: 81_920 },
];
const recordEvidence = (when: string, handoff = 1, packageId = PACKAGE, role: Role = 'system') =>
  command('RecordEvidence', { handoff, packageId, items, events: 42, signature: 'c2lnbmF0dXJl', keyId: 'legal-2026-1' }, when, role, 'system:legal-escalation');
const acknowledge = (when: string, packageId = PACKAGE, role: Role = 'legal', actorId = 'legal-officer-3') => command('AcknowledgeHandoff', { packageId }, when, role, actorId);
const report = (status: string, when: string, extra: Record<string, unknown> = {}, role: Role = 'legal') => command('ReportLitigationStatus', { status, ...extra }, when, role, 'legal-officer-3');
const timer = (kind: string, when: string, handoff = 1) => input.timer({ kind, payload: { handoff }, firedAt: when });
const refusal = (commandId: string, message: string, when: string): SagaInput => ({
  kind: 'refusal',
  id: commandId,
  at: when,
  refusal: { commandId, service: 'legal-escalation', command: 'FixEvidence', code: ErrorCode.STATE_CONFLICT, message },
});

/** Runs the inputs in order from a case never handed to legal and returns everything decided. */
function run(...inputs: readonly SagaInput[]): LegalEvent[] {
  const history: LegalEvent[] = [];
  for (const next of inputs) history.push(...given(...history).when(next).events());
  return history;
}
const types = (events: readonly LegalEvent[]) => events.map((event) => event.type);
/** The id of the FixEvidence the saga sent for a handoff, as its refusal would name it. */
const fixCommandId = (history: readonly LegalEvent[], handoff = 1) => {
  const issued = history.find((event) => event.type === 'SagaCommandIssued' && event.data.command === 'FixEvidence' && event.data.data['handoff'] === handoff);
  return issued?.type === 'SagaCommandIssued' ? issued.data.commandId : '';
};
/** The ids of the timers a handoff set, by kind. */
const timerIds = (history: readonly LegalEvent[], handoff = 1) =>
  Object.fromEntries(history.flatMap((event) => (event.type === 'SagaTimerSet' && event.data.payload['handoff'] === handoff ? [[event.data.kind, event.data.timerId]] : [])));
const refusedWith = (code: string, field: string) => expect.objectContaining({ code, field });

const started = () => run(requested());
const delivered = () => run(requested(), recordEvidence(at(2)));
const acknowledged = () => run(requested(), recordEvidence(at(2)), acknowledge(at(5)));

describe('starting a handoff', () => {
  it("case-workflow's LegalEscalationRequested starts handoff 1: its 48-hour clock, three timers and the evidence to fix", () => {
    const reaction = given().when(requested());
    expect(reaction.decisions()).toEqual([
      { type: 'HandoffStarted', data: { caseId, accountId: caseId, handoff: 1, reasons, requestedBy: 'system:case-workflow', requestedAt: T0, remindAt: [at(24), at(36)], overdueAt: at(48) } },
    ]);
    expect(reaction.timersSet()).toEqual([
      expect.objectContaining({ kind: 'reminder-24', fireAt: at(24), payload: { handoff: 1, key: '1' } }),
      expect.objectContaining({ kind: 'reminder-36', fireAt: at(36), payload: { handoff: 1, key: '1' } }),
      expect.objectContaining({ kind: 'overdue', fireAt: at(48), payload: { handoff: 1, key: '1' } }),
    ]);
    expect(reaction.commands()).toEqual([expect.objectContaining({ service: 'legal-escalation', command: 'FixEvidence', data: { accountId: caseId, handoff: 1, reasons, requestedAt: T0 } })]);
  });

  it('correlates only case-workflow’s LegalEscalationRequested, by its caseId', () => {
    expect(saga.correlate(caseEvent({ type: 'LegalEscalationRequested', data: { caseId, accountId: caseId, reasons, requestedBy: 'supervisor-2' } }, T0))).toBe(caseId);
    expect(saga.correlate(caseEvent({ type: 'LegalEscalationHeld', data: { caseId, reasons, holds: ['dispute'] } }, T0))).toBeUndefined();
    const own = published(storedEvent(LEGAL_EVENT_CATALOG.encode({ type: 'HandoffRefused', data: { caseId, handoff: 1, reason: 'a hold applies', holds: ['dispute'] } }), caseId), `legal-${caseId}`);
    expect(saga.correlate(own)).toBeUndefined();
  });

  it('while a handoff is in progress — waiting for evidence, delivered, acknowledged, in litigation, after judgment — a LegalEscalationRequested decides nothing', () => {
    for (const history of [started(), delivered(), acknowledged(), run(requested(), recordEvidence(at(2)), acknowledge(at(5)), report('filed', at(30)), report('judgment', at(300)))]) {
      given(...history).when(requested(at(60))).then([]);
    }
  });

  it("a supervisor's RequestLegalEscalation starts a handoff with the supervisor's reason; an admin may ask too", () => {
    const reaction = given().when(supervisorRequest(['vulnerable', 'cease-communication', 'attorney-represented']));
    expect(reaction.decisions()).toEqual([expect.objectContaining({ type: 'HandoffStarted', data: expect.objectContaining({ handoff: 1, reasons: ['assets moved to a relative'], requestedBy: 'supervisor-2' }) })]);
    expect(reaction.timersSet()).toHaveLength(3);
    expect(reaction.commands()).toEqual([expect.objectContaining({ command: 'FixEvidence', data: { accountId: caseId, handoff: 1, reasons: ['assets moved to a relative'], requestedAt: T0 } })]);
    expect(types(given().when(supervisorRequest([], T0, 'admin')).decisions())).toEqual(['HandoffStarted']);
  });

  it.each(LEGAL_HOLDS)("a supervisor's request is refused while the account has the hold %s: no clock, no evidence", (hold) => {
    const reaction = given().when(supervisorRequest(['vulnerable', hold]));
    reaction.then([{ type: 'HandoffRefused', data: { caseId, handoff: 1, reason: `a hold applies to the account: ${hold}`, holds: [hold] } }]);
  });

  it('every hold that applies is named; the refused request used its number, so the next request is handoff 2', () => {
    const refused = run(supervisorRequest(['dispute', 'bankruptcy']));
    expect(refused).toEqual([{ type: 'HandoffRefused', data: { caseId, handoff: 1, reason: 'a hold applies to the account: dispute, bankruptcy', holds: ['dispute', 'bankruptcy'] } }]);
    expect(given(...refused).when(supervisorRequest([], at(1))).decisions()).toEqual([expect.objectContaining({ type: 'HandoffStarted', data: expect.objectContaining({ handoff: 2, requestedAt: at(1) }) })]);
  });

  it("a supervisor's request while a handoff is in progress is refused with STATE_CONFLICT, even with a hold (nothing is recorded)", () => {
    for (const history of [started(), delivered(), acknowledged()]) {
      expect(() => given(...history).when(supervisorRequest([], at(6))).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.accountId'));
      expect(() => given(...history).when(supervisorRequest(['dispute'], at(6))).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.accountId'));
    }
  });

  it('a request without the flags, or with a flag that does not exist, is VALIDATION_FAILED', () => {
    expect(() => given().when(command('RequestLegalEscalation', { reason: 'why' }, T0, 'supervisor', 'supervisor-2')).events()).toThrow(refusedWith(ErrorCode.VALIDATION_FAILED, 'data.holds'));
    expect(() => given().when(command('RequestLegalEscalation', { reason: 'why', holds: ['insolvent'] }, T0, 'supervisor', 'supervisor-2')).events()).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED, field: expect.stringMatching(/^data\.holds/) }),
    );
    expect(() => given().when(command('RequestLegalEscalation', { reason: ' ', holds: [] }, T0, 'supervisor', 'supervisor-2')).events()).toThrow(refusedWith(ErrorCode.VALIDATION_FAILED, 'data.reason'));
  });
});

describe('the evidence', () => {
  it('RecordEvidence from the FixEvidence handler: EvidenceFixed, then the package delivered with the hours since the request', () => {
    given(...started())
      .when(recordEvidence(at(2.5)))
      .then([
        { type: 'EvidenceFixed', data: { caseId, handoff: 1, packageId: PACKAGE, items, events: 42, signature: 'c2lnbmF0dXJl', keyId: 'legal-2026-1' } },
        { type: 'LegalPackageDelivered', data: { caseId, accountId: caseId, handoff: 1, packageId: PACKAGE, hoursSinceRequest: 2.5, download: `/api/legal/packages/${PACKAGE}` } },
      ]);
    // Hours to the hundredth: 1 h 20 min.
    expect(given(...started()).when(recordEvidence(at(4 / 3))).decisions()[1]?.data).toMatchObject({ hoursSinceRequest: 1.33 });
  });

  it('RecordEvidence again, for another handoff, or with no handoff in progress decides nothing', () => {
    given(...delivered()).when(recordEvidence(at(3))).then([]);
    given(...delivered()).when(recordEvidence(at(3), 1, OTHER_PACKAGE)).then([]);
    given(...started()).when(recordEvidence(at(3), 2)).then([]);
    given().when(recordEvidence(at(3))).then([]);
    given(...run(supervisorRequest(['deceased']))).when(recordEvidence(at(3))).then([]);
    given(...acknowledged()).when(recordEvidence(at(6))).then([]);
  });

  it('a malformed RecordEvidence is VALIDATION_FAILED on the field', () => {
    expect(() => given(...started()).when(recordEvidence(at(2), 1, 'not-a-hash')).events()).toThrow(refusedWith(ErrorCode.VALIDATION_FAILED, 'data.packageId'));
  });

  it('a refusal of the FixEvidence (a hold found when fixing the evidence) refuses the handoff with its reason and clears its timers', () => {
    const history = started();
    const reaction = given(...history).when(refusal(fixCommandId(history), 'a hold applies to the account: bankruptcy', at(0.1)));
    expect(reaction.decisions()).toEqual([{ type: 'HandoffRefused', data: { caseId, handoff: 1, reason: 'a hold applies to the account: bankruptcy', holds: [] } }]);
    const ids = timerIds(history);
    expect(reaction.timersCleared()).toEqual([
      { kind: 'reminder-24', timerId: ids['reminder-24'] },
      { kind: 'reminder-36', timerId: ids['reminder-36'] },
      { kind: 'overdue', timerId: ids['overdue'] },
    ]);
  });

  it('after a refused FixEvidence the timers decide nothing, and a new request starts handoff 2', () => {
    const history = started();
    const refused = [...history, ...given(...history).when(refusal(fixCommandId(history), 'dispute pending', at(0.1))).events()];
    given(...refused).when(timer('reminder-24', at(24))).then([]);
    given(...refused).when(timer('overdue', at(48))).then([]);
    expect(given(...refused).when(requested(at(100))).decisions()).toEqual([expect.objectContaining({ type: 'HandoffStarted', data: expect.objectContaining({ handoff: 2 }) })]);
  });

  it('a refusal of another command, or of a handoff already delivered, decides nothing', () => {
    given(...started()).when(refusal(randomUUID(), 'not ours', at(0.1))).then([]);
    const history = delivered();
    given(...history).when(refusal(fixCommandId(history), 'too late', at(3))).then([]);
  });
});

describe('the 48 hours', () => {
  it.each([
    ['reminder-24', 24],
    ['reminder-36', 36],
  ])('%s reminds legal exactly at its hour, not a millisecond before', (kind, hours) => {
    given(...started()).when(timer(kind, justBefore(hours))).then([]);
    given(...started())
      .when(timer(kind, at(hours)))
      .then([{ type: 'HandoffReminderSent', data: { caseId, handoff: 1, hoursSinceRequest: hours, delivered: false } }]);
    expect(given(...delivered()).when(timer(kind, at(hours))).events()).toEqual([{ type: 'HandoffReminderSent', data: { caseId, handoff: 1, hoursSinceRequest: hours, delivered: true } }]);
  });

  it('overdue exactly 48 hours after the request, not a millisecond before: the supervisor and the legal lead alerted', () => {
    given(...started()).when(timer('overdue', justBefore(48))).then([]);
    given(...started())
      .when(timer('overdue', at(48)))
      .then([{ type: 'LegalHandoffOverdue', data: { caseId, handoff: 1, delivered: false, alerted: ['supervisor', 'legal-lead'] } }]);
    expect(given(...delivered()).when(timer('overdue', at(48))).events()).toEqual([{ type: 'LegalHandoffOverdue', data: { caseId, handoff: 1, delivered: true, alerted: ['supervisor', 'legal-lead'] } }]);
  });

  it('never acknowledged: reminded at 24 and 36 hours, overdue at 48, and nothing more', () => {
    const history = run(requested(), recordEvidence(at(3)), timer('reminder-24', at(24)), timer('reminder-36', at(36)), timer('overdue', at(48)));
    expect(history.filter((event) => !event.type.startsWith('Saga'))).toEqual([
      expect.objectContaining({ type: 'HandoffStarted' }),
      expect.objectContaining({ type: 'EvidenceFixed' }),
      expect.objectContaining({ type: 'LegalPackageDelivered' }),
      { type: 'HandoffReminderSent', data: { caseId, handoff: 1, hoursSinceRequest: 24, delivered: true } },
      { type: 'HandoffReminderSent', data: { caseId, handoff: 1, hoursSinceRequest: 36, delivered: true } },
      { type: 'LegalHandoffOverdue', data: { caseId, handoff: 1, delivered: true, alerted: ['supervisor', 'legal-lead'] } },
    ]);
    // Acknowledged late, it is still acknowledged; no timer is left to clear.
    const late = given(...history).when(acknowledge(at(50)));
    expect(late.decisions()).toEqual([expect.objectContaining({ type: 'HandoffAcknowledged', data: expect.objectContaining({ hoursSinceRequest: 50 }) })]);
    expect(late.timersCleared()).toEqual([]);
  });

  it('a timer fired twice, of another handoff, or of a kind the saga does not set decides nothing', () => {
    const reminded = run(requested(), timer('reminder-24', at(24)));
    given(...reminded).when(timer('reminder-24', at(24))).then([]);
    const alerted = run(requested(), timer('overdue', at(48)));
    given(...alerted).when(timer('overdue', at(49))).then([]);
    given(...started()).when(timer('reminder-24', at(24), 2)).then([]);
    given(...started()).when(timer('deadline', at(48))).then([]);
    given().when(timer('overdue', at(48))).then([]);
  });

  it('a reminder that fires late still says which one it is; fired after the 36-hour one it is still sent once', () => {
    const history = run(requested(), timer('reminder-36', at(36)));
    given(...history)
      .when(timer('reminder-24', at(37)))
      .then([{ type: 'HandoffReminderSent', data: { caseId, handoff: 1, hoursSinceRequest: 24, delivered: false } }]);
  });
});

describe('acknowledgement', () => {
  it('acknowledged before 24 hours: HandoffAcknowledged by the legal officer, and all three timers cleared', () => {
    const history = delivered();
    const reaction = given(...history).when(acknowledge(at(5)));
    expect(reaction.decisions()).toEqual([{ type: 'HandoffAcknowledged', data: { caseId, handoff: 1, packageId: PACKAGE, acknowledgedBy: 'legal-officer-3', hoursSinceRequest: 5 } }]);
    const ids = timerIds(history);
    expect(reaction.timersCleared()).toEqual([
      { kind: 'reminder-24', timerId: ids['reminder-24'] },
      { kind: 'reminder-36', timerId: ids['reminder-36'] },
      { kind: 'overdue', timerId: ids['overdue'] },
    ]);
    expect(reaction.commands()).toEqual([]);
  });

  it('acknowledged between 36 and 48 hours: only the overdue timer is left to clear, and it decides nothing if it fires anyway', () => {
    const history = run(requested(), recordEvidence(at(30)), timer('reminder-24', at(24)), timer('reminder-36', at(36)));
    const reaction = given(...history).when(acknowledge(at(40)));
    expect(reaction.decisions()).toEqual([expect.objectContaining({ type: 'HandoffAcknowledged', data: expect.objectContaining({ hoursSinceRequest: 40 }) })]);
    expect(reaction.timersCleared()).toEqual([{ kind: 'overdue', timerId: timerIds(history)['overdue'] }]);
    const after = [...history, ...reaction.events()];
    given(...after).when(timer('overdue', at(48))).then([]);
  });

  it('once acknowledged, a timer claimed before it was cleared decides nothing', () => {
    for (const [kind, hours] of [['reminder-24', 24], ['reminder-36', 36], ['overdue', 48]] as const) given(...acknowledged()).when(timer(kind, at(hours))).then([]);
  });

  it('acknowledged again decides nothing — also once the litigation is over; an admin may acknowledge', () => {
    given(...acknowledged()).when(acknowledge(at(6))).then([]);
    given(...run(requested(), recordEvidence(at(2)), acknowledge(at(5)), report('withdrawn', at(10)))).when(acknowledge(at(11))).then([]);
    expect(types(given(...delivered()).when(acknowledge(at(5), PACKAGE, 'admin', 'admin-1')).decisions())).toEqual(['HandoffAcknowledged']);
  });

  it('refused: no handoff (NOT_FOUND), not delivered yet (STATE_CONFLICT), another package (NOT_FOUND), a refused handoff (STATE_CONFLICT)', () => {
    expect(() => given().when(acknowledge(at(1))).events()).toThrow(refusedWith(ErrorCode.NOT_FOUND, 'data.accountId'));
    expect(() => given(...started()).when(acknowledge(at(1))).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.packageId'));
    expect(() => given(...delivered()).when(acknowledge(at(3), OTHER_PACKAGE)).events()).toThrow(refusedWith(ErrorCode.NOT_FOUND, 'data.packageId'));
    expect(() => given(...acknowledged()).when(acknowledge(at(6), OTHER_PACKAGE)).events()).toThrow(refusedWith(ErrorCode.NOT_FOUND, 'data.packageId'));
    expect(() => given(...run(supervisorRequest(['dispute']))).when(acknowledge(at(1))).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.accountId'));
    expect(() => given(...delivered()).when(acknowledge(at(3), 'nope')).events()).toThrow(refusedWith(ErrorCode.VALIDATION_FAILED, 'data.packageId'));
  });
});

describe('litigation', () => {
  it('only after acknowledgement: before it STATE_CONFLICT, with no handoff NOT_FOUND', () => {
    expect(() => given().when(report('filed', at(1))).events()).toThrow(refusedWith(ErrorCode.NOT_FOUND, 'data.accountId'));
    expect(() => given(...started()).when(report('filed', at(1))).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.accountId'));
    expect(() => given(...delivered()).when(report('filed', at(3))).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.accountId'));
  });

  it('filed → hearing set → hearing set again (adjourned) → judgment → settled, each dated the day it is reported, by the reporter', () => {
    const history = run(
      requested(),
      recordEvidence(at(2)),
      acknowledge(at(5)),
      report('filed', at(24 * 7), { note: 'claim issued' }),
      report('hearing-set', at(24 * 30), { hearingDate: '2027-02-10' }),
      report('hearing-set', at(24 * 60), { hearingDate: '2027-03-03', note: 'adjourned' }),
      report('judgment', at(24 * 95)),
      report('settled', at(24 * 120)),
    );
    expect(history.filter((event) => event.type === 'LitigationStatusReported')).toEqual([
      { type: 'LitigationStatusReported', data: { caseId, handoff: 1, status: 'filed', on: '2026-12-08', reportedBy: 'legal-officer-3', note: 'claim issued' } },
      { type: 'LitigationStatusReported', data: { caseId, handoff: 1, status: 'hearing-set', on: '2026-12-31', reportedBy: 'legal-officer-3', hearingDate: '2027-02-10' } },
      { type: 'LitigationStatusReported', data: { caseId, handoff: 1, status: 'hearing-set', on: '2027-01-30', reportedBy: 'legal-officer-3', hearingDate: '2027-03-03', note: 'adjourned' } },
      { type: 'LitigationStatusReported', data: { caseId, handoff: 1, status: 'judgment', on: '2027-03-06', reportedBy: 'legal-officer-3' } },
      { type: 'LitigationStatusReported', data: { caseId, handoff: 1, status: 'settled', on: '2027-03-31', reportedBy: 'legal-officer-3' } },
    ]);
  });

  it('a hearing set needs its date', () => {
    expect(() => given(...acknowledged()).when(report('hearing-set', at(10))).events()).toThrow(refusedWith(ErrorCode.VALIDATION_FAILED, 'data.hearingDate'));
  });

  it('statuses may skip ahead: acknowledged straight to withdrawn, filed straight to settled', () => {
    expect(types(given(...acknowledged()).when(report('withdrawn', at(10))).events())).toEqual(['LitigationStatusReported']);
    expect(types(given(...run(requested(), recordEvidence(at(2)), acknowledge(at(5)), report('filed', at(10)))).when(report('settled', at(20))).events())).toEqual(['LitigationStatusReported']);
  });

  it('never back: after a hearing is set not filed again; after judgment neither filed nor hearing set (STATE_CONFLICT on the status)', () => {
    const hearing = run(requested(), recordEvidence(at(2)), acknowledge(at(5)), report('hearing-set', at(10), { hearingDate: '2027-01-20' }));
    expect(() => given(...hearing).when(report('filed', at(11))).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.status'));
    const judged = [...hearing, ...given(...hearing).when(report('judgment', at(100))).events()];
    expect(() => given(...judged).when(report('filed', at(101))).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.status'));
    expect(() => given(...judged).when(report('hearing-set', at(101), { hearingDate: '2027-05-01' })).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.status'));
    expect(types(given(...judged).when(report('withdrawn', at(200))).events())).toEqual(['LitigationStatusReported']);
  });

  it.each(['settled', 'withdrawn'])('after %s the handoff is over: no status changes any more', (final) => {
    const over = run(requested(), recordEvidence(at(2)), acknowledge(at(5)), report('filed', at(10)), report(final, at(200)));
    for (const status of ['filed', 'judgment', 'settled', 'withdrawn']) {
      expect(() => given(...over).when(report(status, at(201))).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.status'));
    }
  });

  it('after a withdrawal a new LegalEscalationRequested starts handoff 2, with its own clock; handoff 1’s leftovers decide nothing', () => {
    const withdrawn = run(requested(), recordEvidence(at(2)), acknowledge(at(5)), report('filed', at(10)), report('withdrawn', at(500)));
    const again = given(...withdrawn).when(requested(at(1_000)));
    expect(again.decisions()).toEqual([
      { type: 'HandoffStarted', data: { caseId, accountId: caseId, handoff: 2, reasons, requestedBy: 'system:case-workflow', requestedAt: at(1_000), remindAt: [at(1_024), at(1_036)], overdueAt: at(1_048) } },
    ]);
    expect(again.timersSet().map(({ kind, payload }) => [kind, payload])).toEqual([
      ['reminder-24', { handoff: 2, key: '2' }],
      ['reminder-36', { handoff: 2, key: '2' }],
      ['overdue', { handoff: 2, key: '2' }],
    ]);
    const ids1 = timerIds(withdrawn, 1);
    expect(again.timersSet().map((set) => set.timerId)).not.toContain(ids1['overdue']);
    expect(again.commands()).toEqual([expect.objectContaining({ command: 'FixEvidence', data: { accountId: caseId, handoff: 2, reasons, requestedAt: at(1_000) } })]);

    const second = [...withdrawn, ...again.events()];
    given(...second).when(timer('overdue', at(1_048), 1)).then([]);
    given(...second).when(recordEvidence(at(1_001), 1)).then([]);
    expect(() => given(...second).when(report('filed', at(1_001))).events()).toThrow(refusedWith(ErrorCode.STATE_CONFLICT, 'data.accountId'));
    const deliveredAgain = [...second, ...given(...second).when(recordEvidence(at(1_003), 2, OTHER_PACKAGE)).events()];
    expect(deliveredAgain.at(-1)).toEqual({ type: 'LegalPackageDelivered', data: { caseId, accountId: caseId, handoff: 2, packageId: OTHER_PACKAGE, hoursSinceRequest: 3, download: `/api/legal/packages/${OTHER_PACKAGE}` } });
    expect(() => given(...deliveredAgain).when(acknowledge(at(1_004), PACKAGE)).events()).toThrow(refusedWith(ErrorCode.NOT_FOUND, 'data.packageId'));
    given(...deliveredAgain)
      .when(timer('reminder-24', at(1_024), 2))
      .then([{ type: 'HandoffReminderSent', data: { caseId, handoff: 2, hoursSinceRequest: 24, delivered: true } }]);
  });
});

describe('roles', () => {
  it.each<[string, () => LegalEvent[], (role: Role) => SagaInput, Role[]]>([
    ['RequestLegalEscalation', () => [], (role) => supervisorRequest([], T0, role), ['collector', 'legal', 'auditor', 'system', 'dialer']],
    ['AcknowledgeHandoff', delivered, (role) => acknowledge(at(5), PACKAGE, role), ['collector', 'supervisor', 'auditor', 'system', 'dialer']],
    ['ReportLitigationStatus', acknowledged, (role) => report('filed', at(10), {}, role), ['collector', 'supervisor', 'auditor', 'system', 'dialer']],
    ['RecordEvidence', started, (role) => recordEvidence(at(2), 1, PACKAGE, role), ['collector', 'supervisor', 'legal', 'admin', 'auditor', 'dialer']],
  ])('%s from any other role is FORBIDDEN', (_type, history, make, roles) => {
    for (const role of roles) expect(() => given(...history()).when(make(role)).events()).toThrow(refusedWith(ErrorCode.FORBIDDEN, 'metadata.actorRole'));
  });

  it('the roles allowed: supervisor and admin ask, legal and admin acknowledge and report, the system records evidence', () => {
    expect(types(given().when(supervisorRequest([], T0, 'supervisor')).decisions())).toEqual(['HandoffStarted']);
    expect(types(given(...started()).when(recordEvidence(at(2))).decisions())).toEqual(['EvidenceFixed', 'LegalPackageDelivered']);
    expect(types(given(...delivered()).when(acknowledge(at(5), PACKAGE, 'legal')).decisions())).toEqual(['HandoffAcknowledged']);
    expect(types(given(...acknowledged()).when(report('filed', at(10), {}, 'admin')).decisions())).toEqual(['LitigationStatusReported']);
  });

  it('a command the saga does not take, or one naming another account, is VALIDATION_FAILED', () => {
    expect(() => given(...started()).when(command('VerifyPackage', { packageId: PACKAGE }, at(1), 'legal', 'legal-officer-3')).events()).toThrow(refusedWith(ErrorCode.VALIDATION_FAILED, 'type'));
    expect(() => given(...delivered()).when(command('AcknowledgeHandoff', { accountId: randomUUID(), packageId: PACKAGE }, at(5), 'legal', 'legal-officer-3')).events()).toThrow(
      refusedWith(ErrorCode.VALIDATION_FAILED, 'data.accountId'),
    );
  });
});
