import { decideContact } from './decide-contact';
import { CONFIG, profile, request, sms } from './testing/builders';
import type { ContactDecision, ContactRequest, TimeRange } from './types';

const blockedBy = (decision: ContactDecision) => (decision.allowed ? [] : decision.reasons.map((reason) => reason.ruleId));

describe("the debtor's preferences", () => {
  it('refuses a channel the debtor opted out of, and only that one', () => {
    const optedOut = profile({ preferences: { optedOutChannels: ['call'] } });
    expect(blockedBy(decideContact(request(), optedOut, [], CONFIG))).toEqual(['pref.channel-opt-out']);
    expect(decideContact(sms('Please get in touch. Reply STOP to opt out.'), optedOut, [], CONFIG).allowed).toBe(true);
  });

  it('refuses a place the debtor said is inconvenient', () => {
    const notAtWork = profile({ preferences: { inconvenientPlaces: ['work'] } });
    expect(blockedBy(decideContact(request({ target: { kind: 'phone', value: 'office-line', place: 'work' } }), notAtWork, [], CONFIG))).toEqual(['pref.inconvenient-place']);
    expect(decideContact(request({ target: { kind: 'phone', value: 'mobile', place: 'home' } }), notAtWork, [], CONFIG).allowed).toBe(true);
    const noVisits = profile({ preferences: { inconvenientPlaces: ['address'] } });
    expect(blockedBy(decideContact(request({ channel: 'visit', target: { kind: 'address', value: 'home' } }), noVisits, [], CONFIG))).toEqual(['pref.inconvenient-place']);
  });

  const lunchOnMondays: TimeRange = { days: ['mon'], from: '12:00', to: '13:00' };
  const evenings: TimeRange = { from: '19:00', to: '09:00' };
  const sundays: TimeRange = { days: ['sun'], from: '00:00', to: '00:00' };
  const fridayNights: TimeRange = { days: ['fri'], from: '20:00', to: '10:00' };

  it.each<[string, TimeRange, string, boolean, string | undefined]>([
    ['Monday lunch, on a Monday at 12:30', lunchOnMondays, '2026-03-02T12:30:00-05:00', false, '2026-03-02T13:00:00-05:00'],
    ['Monday lunch, on a Monday at 13:00', lunchOnMondays, '2026-03-02T13:00:00-05:00', true, undefined],
    ['Monday lunch, on a Tuesday at 12:30', lunchOnMondays, '2026-03-03T12:30:00-05:00', true, undefined],
    ['evenings and mornings, at 08:30', evenings, '2026-03-02T08:30:00-05:00', false, '2026-03-02T09:00:00-05:00'],
    ['evenings and mornings, at 19:00', evenings, '2026-03-02T19:00:00-05:00', false, '2026-03-03T09:00:00-05:00'],
    ['evenings and mornings, at 18:59', evenings, '2026-03-02T18:59:00-05:00', true, undefined],
    ['all of Sunday, on Sunday at 10:00', sundays, '2026-03-01T10:00:00-05:00', false, '2026-03-02T08:00:00-05:00'],
    ['Friday night into Saturday morning, on Saturday at 09:00', fridayNights, '2026-03-07T09:00:00-05:00', false, '2026-03-07T10:00:00-05:00'],
    ['Friday night into Saturday morning, on Sunday at 09:00', fridayNights, '2026-03-08T09:00:00-04:00', true, undefined],
  ])('%s', (_, range, intendedAt, allowed, next) => {
    const decision = decideContact(request({ intendedAt }), profile({ preferences: { inconvenientTimes: [range] } }), [], CONFIG);
    expect(decision.allowed).toBe(allowed);
    expect(decision.nextAllowedAt).toBe(next);
    if (!allowed) expect(blockedBy(decision)).toEqual(['pref.inconvenient-time']);
  });

  it('judges inconvenient times in every candidate zone', () => {
    const lunch = profile({ candidateTimeZones: ['America/Chicago', 'America/Denver'], preferences: { inconvenientTimes: [{ from: '12:00', to: '13:00' }] } });
    // 13:30 in Chicago is 12:30 in Denver.
    expect(decideContact(request({ intendedAt: '2026-03-02T13:30:00-06:00' }), lunch, [], CONFIG)).toMatchObject({ allowed: false, nextAllowedAt: '2026-03-02T13:00:00-07:00' });
  });
});

describe('texts and emails', () => {
  const email = (text: string | undefined): ContactRequest =>
    request({ channel: 'email', target: { kind: 'email', value: 'email-key' }, ...(text === undefined ? {} : { messageText: text }) });

  it.each<[string, ContactRequest, string[]]>([
    ['an SMS without its text', request({ channel: 'sms' }), ['msg.text-missing']],
    ['an SMS with blank text', sms('   '), ['msg.text-missing']],
    ['an SMS without an opt-out', sms('Your payment is overdue, please call us.'), ['msg.opt-out-missing']],
    ['an SMS with "Reply STOP"', sms('Your payment is overdue. Reply STOP to opt out.'), []],
    ['an SMS with "text stop" in lower case', sms('Your payment is overdue; text stop to end these messages.'), []],
    ['an SMS with a full-width ＳＴＯＰ', sms('Your payment is overdue. Reply ＳＴＯＰ to opt out.'), []],
    ['an SMS with "STOPPED", which is no instruction', sms('Payments STOPPED in January. Reply STOPPED?'), ['msg.opt-out-missing']],
    ['a Chinese SMS with 回复TD退订', sms('您的账单已逾期，请尽快还款。回复TD退订'), []],
    ['a Chinese SMS with a full-width ＴＤ', sms('您的账单已逾期。回ＴＤ退订'), []],
    ['a Chinese SMS without an opt-out', sms('您的账单已逾期，请尽快还款。'), ['msg.opt-out-missing']],
    ['an email with an unsubscribe link', email('Your statement is ready. Unsubscribe: https://example.test/u'), []],
    ['an email without an opt-out', email('Your statement is ready.'), ['msg.opt-out-missing']],
    ['an email without its text', email(undefined), ['msg.text-missing']],
    ['an SMS threatening a lawsuit', sms('Pay today or we will sue. Reply STOP to opt out.'), ['language.prohibited']],
    ['an SMS threatening and without an opt-out', sms('Pay today or you will go to jail.'), ['msg.opt-out-missing', 'language.prohibited']],
    ['a letter without an opt-out', request({ channel: 'letter', target: { kind: 'address', value: 'a' }, messageText: 'Dear customer' }), []],
    ['a letter with prohibited language', request({ channel: 'letter', target: { kind: 'address', value: 'a' }, messageText: 'We will send the sheriff. Police will come.' }), ['language.prohibited']],
  ])('%s', (_, contact, expected) => {
    expect(blockedBy(decideContact(contact, profile(), [], CONFIG))).toEqual(expected);
  });

  it('lists the prohibited terms it found, and where', () => {
    const decision = decideContact(sms('Pay or we will sue, and the police will come. Reply STOP.'), profile(), [], CONFIG);
    expect(decision.reasons).toEqual([
      expect.objectContaining({ ruleId: 'language.prohibited', counted: 2, message: expect.stringContaining('"we will sue" (threat-lawsuit-without-basis) at 7') }),
    ]);
    expect(decision.reasons[0]?.message).toContain('"police will" (threat-arrest) at 28');
  });
});
