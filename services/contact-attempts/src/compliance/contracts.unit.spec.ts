import { contactAttempts, InstantSchema } from '@arrears/contracts';
import { decideContact } from './domain/decide-contact';
import { checkLanguage } from './domain/language';
import { CONFIG, HOURS, past, pastSeries, profile, request, sms } from './domain/testing/builders';
import { CHANNELS, CONVERSATION_OUTCOMES, LANGUAGE_CATEGORIES, WEEKDAYS, type Channel, type ContactDecision, type Outcome, type Purpose, type RuleId, type TargetKind } from './domain/types';

// The engine keeps its own plain types (docs/compliance.md); these checks fail when they drift from the published ones.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: [
  Same<Channel, contactAttempts.Channel>,
  Same<Outcome, contactAttempts.Outcome>,
  Same<Purpose, (typeof contactAttempts.PURPOSES)[number]>,
  Same<TargetKind, contactAttempts.SealedTarget['kind']>,
] = [true, true, true, true];

describe('the engine and the published contact-attempts contracts', () => {
  it('name the same channels, outcomes, conversations, weekdays and language categories', () => {
    expect(sameTypes).toEqual([true, true, true, true]);
    expect(CHANNELS).toEqual(contactAttempts.CHANNELS);
    expect(CONVERSATION_OUTCOMES).toEqual(contactAttempts.CONVERSATION_OUTCOMES);
    expect(WEEKDAYS).toEqual(contactAttempts.WEEKDAYS);
    expect(LANGUAGE_CATEGORIES).toEqual(contactAttempts.LANGUAGE_CATEGORIES);
  });

  const shanghai = profile({ jurisdiction: 'CN', candidateTimeZones: ['Asia/Shanghai'] });
  const decisions: ContactDecision[] = [
    decideContact(request(), profile(), [], CONFIG),
    decideContact(request({ intendedAt: '2026-03-02T22:00:00-05:00' }), profile(), pastSeries('2026-03-01T10:00:00-05:00', 7, HOURS(1)), CONFIG),
    decideContact(request(), profile(), [past('2026-03-01T10:00:00-05:00', { outcome: 'right-party-contact', connected: true })], CONFIG),
    decideContact(
      request({ target: { kind: 'phone', value: 'k', place: 'work' } }),
      profile({
        jurisdiction: 'GB',
        flags: { ceaseCommunication: true, attorneyRepresented: true, dispute: { verified: false }, bankruptcy: true, deceased: true, breathingSpace: { endsOn: '2026-03-09' } },
        preferences: { optedOutChannels: ['call'], inconvenientTimes: [{ from: '09:00', to: '11:00' }], inconvenientPlaces: ['work'] },
      }),
      [],
      CONFIG,
    ),
    decideContact(request({ channel: 'sms' }), profile(), [], CONFIG),
    decideContact(sms('Pay or we will sue, idiot. '.repeat(60)), profile(), [], CONFIG),
    decideContact(request({ intendedAt: '2026-03-02T23:00:00+08:00', recordingPlanned: false }), shanghai, pastSeries('2026-03-02T09:00:00+08:00', 6, HOURS(1), { outcome: 'no-answer', connected: false }), CONFIG),
    decideContact(request({ intendedAt: '2026-03-02T15:00:00+08:00' }), shanghai, pastSeries('2026-03-02T09:00:00+08:00', 3, HOURS(1), { outcome: 'refused', connected: true }), CONFIG),
    decideContact(request(), profile({ jurisdiction: 'FR', candidateTimeZones: [] }), [], { ...CONFIG, unmatchedJurisdiction: 'reg-f' }),
  ];

  it('decide with reasons that fit ComplianceReasonSchema, and instants that fit InstantSchema', () => {
    for (const decision of decisions) {
      for (const reason of decision.reasons) expect(contactAttempts.ComplianceReasonSchema.safeParse(reason)).toMatchObject({ success: true });
      if (decision.nextAllowedAt !== undefined) expect(InstantSchema.safeParse(decision.nextAllowedAt)).toMatchObject({ success: true });
    }
  });

  it('can give every rule id', () => {
    const everyRule: RuleId[] = [
      'jurisdiction.unknown',
      'profile.time-zone-unknown',
      'hold.cease-communication',
      'hold.attorney',
      'hold.dispute',
      'hold.bankruptcy',
      'hold.deceased',
      'hold.breathing-space',
      'pref.channel-opt-out',
      'pref.inconvenient-time',
      'pref.inconvenient-place',
      'msg.text-missing',
      'msg.opt-out-missing',
      'language.prohibited',
      'reg-f.call-frequency',
      'reg-f.post-conversation',
      'reg-f.quiet-hours',
      'cn.quiet-hours',
      'cn.connected-calls',
      'cn.unanswered-per-number',
      'cn.recording',
      'info.rule-pack',
      'info.time-zones',
    ];
    const given = new Set(decisions.flatMap((decision) => decision.reasons.map((reason) => reason.ruleId)));
    expect([...given].sort()).toEqual([...everyRule].sort());
  });

  it('finds language hits that fit LanguageHitSchema once the index is left out', () => {
    const { hits } = checkLanguage('We will sue, 否则坐牢, and we will tell your employer.', CONFIG);
    expect(hits.length).toBeGreaterThan(0);
    for (const { index: _index, ...hit } of hits) expect(contactAttempts.LanguageHitSchema.safeParse(hit)).toMatchObject({ success: true });
  });
});
