import { decideContact } from './decide-contact';
import { CONFIG, profile, request } from './testing/builders';
import type { ContactDecision, ContactFlags, ContactRequest } from './types';

const blockedBy = (decision: ContactDecision) => (decision.allowed ? [] : decision.reasons.map((reason) => reason.ruleId));

const call = request();
const letter = (purpose: ContactRequest['purpose']) => request({ channel: 'letter', target: { kind: 'address', value: 'address-key' }, purpose });
const email = (purpose: ContactRequest['purpose']) =>
  request({ channel: 'email', target: { kind: 'email', value: 'email-key' }, purpose, messageText: 'Final notice about your account. To unsubscribe, reply STOP.' });
const smsFinal = request({ channel: 'sms', purpose: 'final-notice', messageText: 'Final notice. Reply STOP to opt out.' });
const attorneyCall = request({ target: { kind: 'attorney', value: 'attorney-phone-key' } });

describe('holds', () => {
  it.each<[string, ContactFlags, ContactRequest, string[]]>([
    ['cease communication: a collection call', { ceaseCommunication: true }, call, ['hold.cease-communication']],
    ['cease communication: a collection letter', { ceaseCommunication: true }, letter('collection'), ['hold.cease-communication']],
    ['cease communication: a final notice by letter', { ceaseCommunication: true }, letter('final-notice'), []],
    ['cease communication: a final notice by email', { ceaseCommunication: true }, email('final-notice'), []],
    ['cease communication: a final notice by SMS', { ceaseCommunication: true }, smsFinal, ['hold.cease-communication']],
    ['cease communication: a call to the attorney', { ceaseCommunication: true }, attorneyCall, ['hold.cease-communication']],
    ['attorney: a call to the debtor', { attorneyRepresented: true }, call, ['hold.attorney']],
    ['attorney: a letter to the debtor', { attorneyRepresented: true }, letter('collection'), ['hold.attorney']],
    ['attorney: a call to the attorney', { attorneyRepresented: true }, attorneyCall, []],
    ['dispute not verified: a collection call', { dispute: { verified: false } }, call, ['hold.dispute']],
    ['dispute not verified: a final notice', { dispute: { verified: false } }, letter('final-notice'), ['hold.dispute']],
    ['dispute not verified: the validation notice', { dispute: { verified: false } }, letter('validation-notice'), []],
    ['dispute verified: a collection call', { dispute: { verified: true } }, call, []],
    ['bankruptcy: a call', { bankruptcy: true }, call, ['hold.bankruptcy']],
    ['bankruptcy: a call to the attorney', { bankruptcy: true }, attorneyCall, ['hold.bankruptcy']],
    ['deceased: a letter', { deceased: true }, letter('collection'), ['hold.deceased']],
    ['every hold at once: a call', { ceaseCommunication: true, attorneyRepresented: true, dispute: { verified: false }, bankruptcy: true, deceased: true }, call, [
      'hold.cease-communication',
      'hold.attorney',
      'hold.dispute',
      'hold.bankruptcy',
      'hold.deceased',
    ]],
  ])('%s', (_, flags, contact, expected) => {
    const decision = decideContact(contact, profile({ flags }), [], CONFIG);
    expect(blockedBy(decision)).toEqual(expected);
    expect(decision.allowed).toBe(expected.length === 0);
    if (!decision.allowed) expect(decision.nextAllowedAt).toBeUndefined(); // only clearing the flag lifts a hold
  });

  it('lists a hold beside time rules, and then cannot say when the contact will be allowed', () => {
    const decision = decideContact(request({ intendedAt: '2026-03-02T22:00:00-05:00' }), profile({ flags: { attorneyRepresented: true } }), [], CONFIG);
    expect(blockedBy(decision)).toEqual(['hold.attorney', 'reg-f.quiet-hours']);
    expect(decision.reasons[1]?.nextAllowedAt).toBe('2026-03-03T08:00:00-05:00');
    expect(decision.nextAllowedAt).toBeUndefined();
  });

  describe('a breathing space, up to and including its last day', () => {
    const breathing = (zones: string[]) => profile({ candidateTimeZones: zones, flags: { breathingSpace: { endsOn: '2026-03-05' } } });

    it.each([
      ['on its last evening', '2026-03-05T20:59:00-05:00', false],
      ['the next morning', '2026-03-06T08:00:00-05:00', true],
    ])('%s (%s)', (_, intendedAt, allowed) => {
      expect(decideContact(request({ intendedAt }), breathing(['America/New_York']), [], CONFIG).allowed).toBe(allowed);
    });

    it('ends at local midnight, and the next contact is at 08:00', () => {
      const decision = decideContact(request({ intendedAt: '2026-03-05T20:00:00-05:00' }), breathing(['America/New_York']), [], CONFIG);
      expect(decision.reasons).toEqual([expect.objectContaining({ ruleId: 'hold.breathing-space', nextAllowedAt: '2026-03-06T00:00:00-05:00' })]);
      expect(decision.nextAllowedAt).toBe('2026-03-06T08:00:00-05:00');
    });

    it('ends when it has ended in every candidate zone', () => {
      // 00:30 in Chicago on the 6th is still the 5th, 23:30, in Denver.
      const decision = decideContact(request({ channel: 'letter', target: { kind: 'address', value: 'a' }, intendedAt: '2026-03-06T00:30:00-06:00' }), breathing(['America/Chicago', 'America/Denver']), [], CONFIG);
      expect(decision).toMatchObject({ allowed: false, nextAllowedAt: '2026-03-06T00:00:00-07:00' });
    });
  });
});

describe('jurisdictions', () => {
  it('refuses a jurisdiction with no pack, by default, and says so beside every other reason', () => {
    const decision = decideContact(request(), profile({ jurisdiction: 'GB', candidateTimeZones: ['Europe/London'], flags: { deceased: true } }), [], CONFIG);
    expect(decision).toMatchObject({ allowed: false, rulePack: 'none', jurisdiction: 'GB' });
    expect(blockedBy(decision)).toEqual(['jurisdiction.unknown', 'hold.deceased']);
  });

  it('applies the configured pack to a jurisdiction no key matches, when told to', () => {
    const config = { ...CONFIG, unmatchedJurisdiction: 'reg-f' as const };
    const decision = decideContact(request({ intendedAt: '2026-03-02T10:00:00+00:00' }), profile({ jurisdiction: 'GB', candidateTimeZones: ['Europe/London'] }), [], config);
    expect(decision).toMatchObject({ allowed: true, rulePack: 'reg-f' });
  });

  it('cannot judge local time when no zone is known, and says what to record', () => {
    const config = { ...CONFIG, unmatchedJurisdiction: 'reg-f' as const };
    const decision = decideContact(request(), profile({ jurisdiction: 'FR', candidateTimeZones: [] }), [], config);
    expect(blockedBy(decision)).toEqual(['profile.time-zone-unknown']);
    expect(decision.timeZones).toEqual([]);
  });

  it.each([
    ['us-ca', 'reg-f', 'US-CA'],
    ['US-TX', 'reg-f', 'US-TX'],
    ['PR', 'reg-f', 'PR'],
    ['CN', 'cn-post-loan', 'CN'],
    ['CN-BJ', 'cn-post-loan', 'CN-BJ'],
    ['USA', 'none', undefined],
  ])('%s gets %s', (jurisdiction, rulePack, judged) => {
    if (judged === undefined) {
      expect(() => decideContact(request(), profile({ jurisdiction }), [], CONFIG)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'profile.jurisdiction' }));
      return;
    }
    expect(decideContact(request(), profile({ jurisdiction }), [], CONFIG)).toMatchObject({ rulePack, jurisdiction: judged });
  });
});

describe('malformed input', () => {
  it.each<[string, () => unknown, string]>([
    ['an instant without an offset', () => decideContact(request({ intendedAt: '2026-03-02T10:00:00' }), profile(), [], CONFIG), 'request.intendedAt'],
    ['an unknown time zone', () => decideContact(request(), profile({ candidateTimeZones: ['America/New_York', 'Mars/Base'] }), [], CONFIG), 'profile.candidateTimeZones[1]'],
    [
      'a history entry without an offset',
      () => decideContact(request(), profile(), [{ debtId: 'debt-1', channel: 'call', targetValue: 'k', at: 'yesterday', connected: false, allowed: true }], CONFIG),
      'history[0].at',
    ],
    ['a bad breathing-space date', () => decideContact(request(), profile({ flags: { breathingSpace: { endsOn: '5 March' } } }), [], CONFIG), 'profile.flags.breathingSpace.endsOn'],
    [
      'a bad inconvenient time',
      () => decideContact(request(), profile({ preferences: { inconvenientTimes: [{ from: '9am', to: '10:00' }] } }), [], CONFIG),
      'profile.preferences.inconvenientTimes[0].from',
    ],
  ])('refuses %s naming the field', (_, decide, field) => {
    expect(decide).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', field }));
  });
});
