import { decideContact } from './decide-contact';
import { CONFIG, DAYS, HOURS, past, pastSeries, plus, profile, request, sms, withConfig } from './testing/builders';
import type { ContactDecision } from './types';

const ruleIds = (decision: ContactDecision) => decision.reasons.map((reason) => reason.ruleId);
const blockedBy = (decision: ContactDecision) => (decision.allowed ? [] : ruleIds(decision));

describe('Regulation F: at most 7 calls about one debt in any 7 days', () => {
  // Seven calls a day apart, the first on Tuesday 24 February at 10:00 New York time.
  const sevenCalls = pastSeries('2026-02-24T10:00:00-05:00', 7, DAYS(1));

  it.each([
    ['the 7th call (6 before it in the window)', sevenCalls.slice(1), true, 6],
    ['the 8th call (7 before it in the window)', sevenCalls, false, 7],
  ])('%s', (_, history, allowed, counted) => {
    const decision = decideContact(request({ intendedAt: '2026-03-03T09:00:00-05:00' }), profile(), history, CONFIG);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reasons).toContainEqual(expect.objectContaining({ ruleId: 'reg-f.call-frequency', counted, limit: 7 }));
  });

  it('says the 8th is allowed when the oldest counted call leaves the window', () => {
    const decision = decideContact(request({ intendedAt: '2026-03-03T09:00:00-05:00' }), profile(), sevenCalls, CONFIG);
    expect(decision.reasons).toEqual([expect.objectContaining({ ruleId: 'reg-f.call-frequency', nextAllowedAt: '2026-03-03T10:00:00-05:00' })]);
    expect(decision.nextAllowedAt).toBe('2026-03-03T10:00:00-05:00');
  });

  // Seven calls within an hour on Monday 2 March from 10:00 EST; 7 × 24 h later is 11:00 EDT, the clocks having
  // gone forward on 8 March: the window is a rolling 168 hours, not seven calendar days.
  const burst = pastSeries('2026-03-02T10:00:00-05:00', 7, 10 * 60_000);
  it.each([
    ['one millisecond before 7 × 24 h after the oldest', '2026-03-09T10:59:59.999-04:00', false],
    ['exactly 7 × 24 h after the oldest', '2026-03-09T11:00:00-04:00', true],
  ])('%s: %s', (_, intendedAt, allowed) => {
    const decision = decideContact(request({ intendedAt }), profile(), burst, CONFIG);
    expect(decision.allowed).toBe(allowed);
    if (!allowed) expect(decision.nextAllowedAt).toBe('2026-03-09T11:00:00-04:00');
  });

  it('counts only allowed calls about this debt', () => {
    const others = [
      ...pastSeries('2026-03-01T10:00:00-05:00', 7, HOURS(1), { debtId: 'debt-2' }),
      ...pastSeries('2026-03-01T10:00:00-05:00', 7, HOURS(1), { allowed: false }),
      ...pastSeries('2026-03-01T10:00:00-05:00', 7, HOURS(1), { channel: 'letter' }),
    ];
    expect(decideContact(request(), profile(), others, CONFIG).allowed).toBe(true);
  });

  it('does not cap other channels', () => {
    const decision = decideContact(sms('Please call us back. Reply STOP to opt out.'), profile(), sevenCalls, CONFIG);
    expect(decision.allowed).toBe(true);
  });

  it('takes the cap and the window from configuration', () => {
    const config = withConfig({ packs: { ...CONFIG.packs, 'reg-f': { ...CONFIG.packs['reg-f'], maxCallAttemptsPerDebt: 3, windowDays: 2 } } });
    const three = pastSeries('2026-03-01T10:00:00-05:00', 3, HOURS(1));
    expect(decideContact(request({ intendedAt: '2026-03-03T09:59:59-05:00' }), profile(), three, config)).toMatchObject({
      allowed: false,
      nextAllowedAt: '2026-03-03T10:00:00-05:00',
    });
    expect(decideContact(request({ intendedAt: '2026-03-03T10:00:00-05:00' }), profile(), three, config).allowed).toBe(true);
  });

  it('counts calls recorded after the intended time into every window the call would share (a decision about the past)', () => {
    const later = pastSeries('2026-03-04T10:00:00-05:00', 7, HOURS(1));
    const decision = decideContact(request({ intendedAt: '2026-03-02T10:00:00-05:00' }), profile(), later, CONFIG);
    expect(blockedBy(decision)).toEqual(['reg-f.call-frequency']);
  });
});

describe('Regulation F: no call about a debt for 7 days after a telephone conversation about it', () => {
  const conversation = past('2026-03-02T10:00:00-05:00', { outcome: 'right-party-contact', connected: true });

  it.each([
    ['the same day', '2026-03-02T15:00:00-05:00', false],
    ['one millisecond before 7 × 24 h', '2026-03-09T10:59:59.999-04:00', false],
    ['exactly 7 × 24 h later', '2026-03-09T11:00:00-04:00', true],
  ])('%s (%s)', (_, intendedAt, allowed) => {
    const decision = decideContact(request({ intendedAt }), profile(), [conversation], CONFIG);
    expect(decision.allowed).toBe(allowed);
    if (!allowed) {
      expect(blockedBy(decision)).toEqual(['reg-f.post-conversation']);
      expect(decision.nextAllowedAt).toBe('2026-03-09T11:00:00-04:00');
    }
  });

  it.each([
    ['a wrong number that answered', past('2026-03-02T10:00:00-05:00', { outcome: 'wrong-number', connected: true }), true],
    ['a third party that answered', past('2026-03-02T10:00:00-05:00', { outcome: 'third-party', connected: true }), true],
    ['a voicemail', past('2026-03-02T10:00:00-05:00', { outcome: 'voicemail', connected: false }), true],
    ['a promise offered', past('2026-03-02T10:00:00-05:00', { outcome: 'promise-offered', connected: true }), false],
    ['a refusal', past('2026-03-02T10:00:00-05:00', { outcome: 'refused', connected: true }), false],
    ['a conversation about another debt', past('2026-03-02T10:00:00-05:00', { outcome: 'right-party-contact', connected: true, debtId: 'debt-2' }), true],
    ['a call marked as a conversation', past('2026-03-02T10:00:00-05:00', { outcome: 'third-party', connected: true, conversation: true }), false],
    ['a connected call whose outcome is not yet known', past('2026-03-02T10:00:00-05:00', { outcome: undefined, connected: true }), false],
  ])('after %s, a call the next day is allowed: %s', (_, before, allowed) => {
    expect(decideContact(request({ intendedAt: '2026-03-03T10:00:00-05:00' }), profile(), [before], CONFIG).allowed).toBe(allowed);
  });

  it('still allows other channels', () => {
    expect(decideContact(sms('Thanks for talking to us. Reply STOP to opt out.', { intendedAt: '2026-03-03T10:00:00-05:00' }), profile(), [conversation], CONFIG).allowed).toBe(true);
  });
});

describe("Regulation F: contact only 08:00–21:00 in the debtor's local time", () => {
  it.each([
    // zone, intended, allowed, next allowed
    ['America/New_York', '2026-03-02T07:59:00-05:00', false, '2026-03-02T08:00:00-05:00'],
    ['America/New_York', '2026-03-02T07:59:59.999-05:00', false, '2026-03-02T08:00:00-05:00'],
    ['America/New_York', '2026-03-02T08:00:00-05:00', true, undefined],
    ['America/New_York', '2026-03-02T20:59:00-05:00', true, undefined],
    ['America/New_York', '2026-03-02T20:59:59.999-05:00', true, undefined],
    ['America/New_York', '2026-03-02T21:00:00-05:00', false, '2026-03-03T08:00:00-05:00'],
    ['America/New_York', '2026-03-02T23:30:00-05:00', false, '2026-03-03T08:00:00-05:00'],
    // The day the clocks go forward (2026-03-08 in New York, 2026-03-29 in London) and back (2026-11-01, 2026-10-25).
    ['America/New_York', '2026-03-08T01:59:00-05:00', false, '2026-03-08T08:00:00-04:00'],
    ['America/New_York', '2026-03-08T07:59:00-04:00', false, '2026-03-08T08:00:00-04:00'],
    ['America/New_York', '2026-03-08T08:00:00-04:00', true, undefined],
    ['America/New_York', '2026-03-07T21:00:00-05:00', false, '2026-03-08T08:00:00-04:00'],
    ['America/New_York', '2026-11-01T01:30:00-04:00', false, '2026-11-01T08:00:00-05:00'],
    ['America/New_York', '2026-11-01T01:30:00-05:00', false, '2026-11-01T08:00:00-05:00'],
    ['America/New_York', '2026-11-01T07:59:00-05:00', false, '2026-11-01T08:00:00-05:00'],
    ['America/New_York', '2026-11-01T20:59:00-05:00', true, undefined],
    ['America/New_York', '2026-10-31T21:00:00-04:00', false, '2026-11-01T08:00:00-05:00'],
    ['Europe/London', '2026-03-29T00:30:00+00:00', false, '2026-03-29T08:00:00+01:00'],
    ['Europe/London', '2026-03-29T08:00:00+01:00', true, undefined],
    ['Europe/London', '2026-10-25T01:30:00+00:00', false, '2026-10-25T08:00:00+00:00'],
    ['Europe/London', '2026-10-25T20:59:00+00:00', true, undefined],
    // Half-hour and 45-minute offsets.
    ['Asia/Kolkata', '2026-03-02T07:59:00+05:30', false, '2026-03-02T08:00:00+05:30'],
    ['Asia/Kolkata', '2026-03-02T08:00:00+05:30', true, undefined],
    ['Asia/Kolkata', '2026-03-02T21:00:00+05:30', false, '2026-03-03T08:00:00+05:30'],
    ['Australia/Adelaide', '2026-03-02T07:59:00+10:30', false, '2026-03-02T08:00:00+10:30'],
    ['Australia/Adelaide', '2026-04-04T21:00:00+10:30', false, '2026-04-05T08:00:00+09:30'], // summer time ends overnight
    ['Asia/Kathmandu', '2026-03-02T20:59:00+05:45', true, undefined],
    ['Asia/Kathmandu', '2026-03-02T21:00:00+05:45', false, '2026-03-03T08:00:00+05:45'],
    ['Pacific/Chatham', '2026-03-02T07:59:00+13:45', false, '2026-03-02T08:00:00+13:45'],
    ['Pacific/Chatham', '2026-04-04T21:00:00+13:45', false, '2026-04-05T08:00:00+12:45'],
    // Either side of the date line.
    ['Pacific/Kiritimati', '2026-03-02T07:59:00+14:00', false, '2026-03-02T08:00:00+14:00'],
    ['Pacific/Kiritimati', '2026-03-02T08:00:00+14:00', true, undefined],
    ['Pacific/Pago_Pago', '2026-03-02T21:00:00-11:00', false, '2026-03-03T08:00:00-11:00'],
    ['Pacific/Pago_Pago', '2026-03-02T20:59:00-11:00', true, undefined],
  ])('in %s at %s: allowed %s, next %s', (zone, intendedAt, allowed, next) => {
    const config = withConfig({ rulePacks: { ...CONFIG.rulePacks, GB: 'reg-f', IN: 'reg-f', AU: 'reg-f', NP: 'reg-f', NZ: 'reg-f', KI: 'reg-f' } });
    const decision = decideContact(request({ intendedAt }), profile({ candidateTimeZones: [zone] }), [], config);
    expect(decision.allowed).toBe(allowed);
    expect(decision.nextAllowedAt).toBe(next);
    if (!allowed) expect(decision.reasons).toEqual([expect.objectContaining({ ruleId: 'reg-f.quiet-hours', nextAllowedAt: next })]);
  });

  describe('with several candidate zones, in every one of them', () => {
    const chicagoOrDenver = profile({ candidateTimeZones: ['America/Chicago', 'America/Denver'] });

    it.each([
      ['08:30 in Chicago is 07:30 in Denver', '2026-03-02T08:30:00-06:00', false, '2026-03-02T08:00:00-07:00'],
      ['09:00 in Chicago is 08:00 in Denver', '2026-03-02T09:00:00-06:00', true, undefined],
      ['20:59 in Chicago', '2026-03-02T20:59:00-06:00', true, undefined],
      // Chicago closes first and Denver opens last: the next morning at 08:00 in Denver.
      ['21:00 in Chicago is 20:00 in Denver', '2026-03-02T21:00:00-06:00', false, '2026-03-03T08:00:00-07:00'],
    ])('%s', (_, intendedAt, allowed, next) => {
      const decision = decideContact(request({ intendedAt }), chicagoOrDenver, [], CONFIG);
      expect(decision.allowed).toBe(allowed);
      expect(decision.nextAllowedAt).toBe(next);
    });

    it('either side of the date line (Kiritimati +14 and Pago Pago −11 are 25 hours apart)', () => {
      const both = profile({ candidateTimeZones: ['Pacific/Kiritimati', 'Pacific/Pago_Pago'] });
      // 18:59 UTC: 07:59 in Pago Pago on the 2nd, 08:59 in Kiritimati on the 3rd.
      expect(decideContact(request({ intendedAt: '2026-03-02T18:59:00Z' }), both, [], CONFIG)).toMatchObject({ allowed: false, nextAllowedAt: '2026-03-02T08:00:00-11:00' });
      expect(decideContact(request({ intendedAt: '2026-03-02T19:00:00Z' }), both, [], CONFIG).allowed).toBe(true);
    });

    it("falls back on every zone listed for the jurisdiction when the debtor's is unknown", () => {
      // 10:00 in New York is 05:00 in Honolulu: every US state must be awake.
      const unknown = profile({ candidateTimeZones: [] });
      const decision = decideContact(request({ intendedAt: '2026-03-02T10:00:00-05:00' }), unknown, [], CONFIG);
      expect(decision).toMatchObject({ allowed: false, nextAllowedAt: '2026-03-02T08:00:00-10:00' });
      expect(decision.timeZones).toContain('Pacific/Honolulu');
      expect(decideContact(request({ intendedAt: '2026-03-02T08:00:00-10:00' }), unknown, [], CONFIG).allowed).toBe(true);
      expect(decideContact(request({ intendedAt: '2026-03-02T07:00:00-08:00' }), profile({ jurisdiction: 'US-CA', candidateTimeZones: [] }), [], CONFIG)).toMatchObject({
        allowed: false,
        timeZones: ['America/Los_Angeles'],
      });
    });
  });

  it('applies to texts, emails and visits, not to letters', () => {
    const night = '2026-03-02T22:00:00-05:00';
    expect(blockedBy(decideContact(sms('Reply STOP to opt out.', { intendedAt: night }), profile(), [], CONFIG))).toEqual(['reg-f.quiet-hours']);
    expect(blockedBy(decideContact(request({ channel: 'visit', target: { kind: 'address', value: 'address-key' }, intendedAt: night }), profile(), [], CONFIG))).toEqual([
      'reg-f.quiet-hours',
    ]);
    expect(decideContact(request({ channel: 'letter', target: { kind: 'address', value: 'address-key' }, intendedAt: night }), profile(), [], CONFIG).allowed).toBe(true);
  });

  it('gives the earliest instant every time rule allows when several block', () => {
    // Seven calls from 17:00 on Monday and a conversation on Tuesday at 09:00 EST make eight calls in the window: two
    // must leave it, the second at 17:30 EST next Monday (18:30 EDT, the clocks having changed). The conversation keeps
    // calls off until 7 × 24 h after it (10:00 EDT next Tuesday); and it is night.
    const history = [...pastSeries('2026-03-02T17:00:00-05:00', 7, 30 * 60_000), past('2026-03-03T09:00:00-05:00', { outcome: 'refused', connected: true })];
    const decision = decideContact(request({ intendedAt: '2026-03-03T22:00:00-05:00' }), profile(), history, CONFIG);
    expect(ruleIds(decision)).toEqual(['reg-f.call-frequency', 'reg-f.post-conversation', 'reg-f.quiet-hours']);
    expect(decision.reasons.map((reason) => reason.nextAllowedAt)).toEqual(['2026-03-09T18:30:00-04:00', '2026-03-10T10:00:00-04:00', '2026-03-04T08:00:00-05:00']);
    expect(decision.nextAllowedAt).toBe('2026-03-10T10:00:00-04:00');
    expect(decideContact(request({ intendedAt: '2026-03-10T10:00:00-04:00' }), profile(), history, CONFIG).allowed).toBe(true);
    expect(decideContact(request({ intendedAt: plus('2026-03-10T10:00:00-04:00', -1) }), profile(), history, CONFIG).allowed).toBe(false);
  });
});

describe('what an allowed decision records', () => {
  it('names the pack, the zones and what was counted', () => {
    const decision = decideContact(request(), profile(), pastSeries('2026-03-01T10:00:00-05:00', 2, HOURS(1)), CONFIG);
    expect(decision).toMatchObject({ allowed: true, rulePack: 'reg-f', jurisdiction: 'US', timeZones: ['America/New_York'] });
    expect(ruleIds(decision)).toEqual(['info.rule-pack', 'info.time-zones', 'reg-f.call-frequency', 'reg-f.quiet-hours']);
    expect(decision.reasons).toContainEqual(expect.objectContaining({ ruleId: 'reg-f.call-frequency', counted: 2, limit: 7 }));
    expect(decision.nextAllowedAt).toBeUndefined();
  });
});
