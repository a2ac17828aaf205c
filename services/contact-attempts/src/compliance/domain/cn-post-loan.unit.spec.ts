import { decideContact } from './decide-contact';
import { CONFIG, HOURS, past, pastSeries, profile, request, sms } from './testing/builders';
import type { ContactDecision, PastContact } from './types';

const blockedBy = (decision: ContactDecision) => (decision.allowed ? [] : decision.reasons.map((reason) => reason.ruleId));

const shanghai = profile({ jurisdiction: 'CN', candidateTimeZones: ['Asia/Shanghai'] });
const call = (intendedAt: string, overrides = {}) => request({ intendedAt, recordingPlanned: true, ...overrides });

describe('China post-loan collection: no contact 22:00–08:00 local', () => {
  it.each([
    ['07:59', '2026-03-02T07:59:00+08:00', false, '2026-03-02T08:00:00+08:00'],
    ['08:00', '2026-03-02T08:00:00+08:00', true, undefined],
    ['21:59', '2026-03-02T21:59:59.999+08:00', true, undefined],
    ['22:00', '2026-03-02T22:00:00+08:00', false, '2026-03-03T08:00:00+08:00'],
    ['03:00', '2026-03-03T03:00:00+08:00', false, '2026-03-03T08:00:00+08:00'],
  ])('a call at %s', (_, intendedAt, allowed, next) => {
    const decision = decideContact(call(intendedAt), shanghai, [], CONFIG);
    expect(decision.allowed).toBe(allowed);
    expect(decision.nextAllowedAt).toBe(next);
    if (!allowed) expect(blockedBy(decision)).toEqual(['cn.quiet-hours']);
  });

  it('applies to texts too', () => {
    expect(blockedBy(decideContact(sms('您的账单已逾期。回复TD退订', { intendedAt: '2026-03-02T22:30:00+08:00' }), shanghai, [], CONFIG))).toEqual(['cn.quiet-hours']);
  });
});

describe('China post-loan collection: at most 3 connected calls a day per debtor', () => {
  const connected = (at: string, overrides: Partial<PastContact> = {}) => past(at, { outcome: 'right-party-contact', connected: true, ...overrides });

  it.each([
    ['2 connected today: the next call', [connected('2026-03-02T09:00:00+08:00'), connected('2026-03-02T10:00:00+08:00')], true, 2],
    ['3 connected today: the next call', pastSeries('2026-03-02T09:00:00+08:00', 3, HOURS(1), { outcome: 'third-party', connected: true }), false, 3],
    ['3 connected, about different debts of the debtor', [connected('2026-03-02T09:00:00+08:00'), connected('2026-03-02T10:00:00+08:00', { debtId: 'debt-2' }), connected('2026-03-02T11:00:00+08:00', { debtId: 'debt-3' })], false, 3],
    ['3 connected yesterday, the last at 23:59', pastSeries('2026-03-01T21:59:00+08:00', 3, HOURS(1), { outcome: 'third-party', connected: true }), true, 0],
  ])('%s', (_, history, allowed, counted) => {
    const decision = decideContact(call('2026-03-02T15:00:00+08:00'), shanghai, history, CONFIG);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons).toContainEqual(expect.objectContaining({ ruleId: 'cn.connected-calls', counted, limit: 3 }));
  });

  it('allows the next call the next morning', () => {
    const decision = decideContact(call('2026-03-02T15:00:00+08:00'), shanghai, pastSeries('2026-03-02T09:00:00+08:00', 3, HOURS(1), { outcome: 'refused', connected: true }), CONFIG);
    expect(decision.reasons).toEqual([expect.objectContaining({ ruleId: 'cn.connected-calls', nextAllowedAt: '2026-03-03T00:00:00+08:00' })]);
    expect(decision.nextAllowedAt).toBe('2026-03-03T08:00:00+08:00');
  });

  it('does not cap texts', () => {
    const history = pastSeries('2026-03-02T09:00:00+08:00', 3, HOURS(1), { outcome: 'right-party-contact', connected: true });
    expect(decideContact(sms('请尽快还款。回复TD退订', { intendedAt: '2026-03-02T15:00:00+08:00' }), shanghai, history, CONFIG).allowed).toBe(true);
  });

  it("counts each candidate zone's day", () => {
    // Three connected calls on the evening of the 2nd, Shanghai time. At 01:00 on the 3rd in Shanghai it is still
    // 23:00 on the 2nd in Ürümqi (+6), where they count for today. The night is narrowed so that only the cap speaks.
    const config = { ...CONFIG, packs: { ...CONFIG.packs, 'cn-post-loan': { ...CONFIG.packs['cn-post-loan'], quietFrom: '23:59', quietUntil: '00:00' } } };
    const twoZones = profile({ jurisdiction: 'CN', candidateTimeZones: ['Asia/Shanghai', 'Asia/Urumqi'] });
    const history = pastSeries('2026-03-02T19:00:00+08:00', 3, HOURS(1), { outcome: 'right-party-contact', connected: true });
    const decision = decideContact(call('2026-03-03T01:00:00+08:00'), twoZones, history, config);
    expect(blockedBy(decision)).toEqual(['cn.connected-calls']);
    expect(decision.nextAllowedAt).toBe('2026-03-03T00:00:00+06:00');
  });
});

describe('China post-loan collection: at most 6 unanswered calls a day to one number', () => {
  const unanswered = (count: number, targetValue = 'phone-key-1') =>
    pastSeries('2026-03-02T08:00:00+08:00', count, HOURS(1), { outcome: 'no-answer', connected: false, targetValue });

  it.each([
    ['5 unanswered to this number: the 6th', unanswered(5), true, 5],
    ['6 unanswered to this number: the 7th', unanswered(6), false, 6],
    ['6 unanswered to another number', unanswered(6, 'phone-key-2'), true, 0],
    ['6 of which one was answered', [...unanswered(5), past('2026-03-02T14:00:00+08:00', { outcome: 'wrong-number', connected: true })], true, 5],
  ])('%s', (_, history, allowed, counted) => {
    const decision = decideContact(call('2026-03-02T15:00:00+08:00'), shanghai, history, CONFIG);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons).toContainEqual(expect.objectContaining({ ruleId: 'cn.unanswered-per-number', counted, limit: 6 }));
    if (!allowed) expect(decision.nextAllowedAt).toBe('2026-03-03T08:00:00+08:00');
  });
});

describe('China post-loan collection: calls are recorded', () => {
  it.each([
    [true, []],
    [false, ['cn.recording']],
    [undefined, ['cn.recording']],
  ])('recordingPlanned %s', (recordingPlanned, expected) => {
    const { recordingPlanned: _default, ...contact } = request({ intendedAt: '2026-03-02T10:00:00+08:00' });
    expect(blockedBy(decideContact({ ...contact, ...(recordingPlanned === undefined ? {} : { recordingPlanned }) }, shanghai, [], CONFIG))).toEqual(expected);
  });

  it('does not ask a text to be recorded', () => {
    expect(decideContact(sms('请尽快还款。回复TD退订', { intendedAt: '2026-03-02T10:00:00+08:00', recordingPlanned: false }), shanghai, [], CONFIG).allowed).toBe(true);
  });
});

describe('each pack applies where it applies', () => {
  it('does not count Regulation F calls in China, nor China caps in the US', () => {
    const eightThisWeek = pastSeries('2026-02-24T10:00:00+08:00', 8, 20 * HOURS(1), { outcome: 'no-answer', connected: false });
    expect(decideContact(call('2026-03-02T15:00:00+08:00'), shanghai, eightThisWeek, CONFIG).allowed).toBe(true);
    const sixUnansweredToday = pastSeries('2026-03-02T08:00:00-05:00', 6, 10 * 60_000, { outcome: 'no-answer', connected: false });
    const decision = decideContact(request({ intendedAt: '2026-03-02T15:00:00-05:00', recordingPlanned: false }), profile(), sixUnansweredToday, CONFIG);
    expect(decision.allowed).toBe(true);
  });
});
