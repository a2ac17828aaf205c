/**
 * A compliant month, April 2026, worked by three collectors: what the reports are checked against. Every allowed
 * contact is one the compliance engine would allow (docs/compliance.md), every blocked one carries the rules that
 * would block it, so the quiet-hours and frequency-cap reports must find nothing; the other reports' figures are
 * known by construction (listed beside each part).
 *
 * - Ana works an Illinois debtor (America/Chicago, CDT = UTC−5 all month) under Regulation F: seven unanswered calls
 *   on 1–7 April, the 8th exactly 7 × 24 h after the first (a right-party conversation), the next exactly 7 × 24 h
 *   after that; an email at 20:30 and an SMS at 20:59:59.999 local; a letter at 23:00 (letters have no time of day).
 * - Bob works a New York debtor whose zone is unknown (judged in New York and Los Angeles): calls at 12:00, 18:30 and
 *   20:00 New York time, each 09:00 or later in Los Angeles.
 * - Wei works a debtor in China (Asia/Shanghai) under the post-loan pack: three connected calls on 20 April, six
 *   unanswered calls to one number on 21 April (and one to another number), a call at 21:30 on 22 April.
 */
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arrears/contracts';
import { collector, Debtor, GlobalLog, Handoff, supervisor } from './history';

export const APRIL = { from: '2026-04-01T00:00:00Z', to: '2026-05-01T00:00:00Z' } as const;

export const ana = collector('collector-ana');
export const bob = collector('collector-bob');
export const wei = collector('collector-wei');
export const sam = supervisor('supervisor-sam');

export interface April {
  readonly log: GlobalLog;
  readonly events: EventEnvelope[];
  readonly illinois: Debtor;
  readonly newYork: Debtor;
  readonly china: Debtor;
  readonly accounts: { readonly illinois: string; readonly newYork: string; readonly china: string };
  /** Ana's eight calls of 1–8 April, in order (the 8th, on 8 April, was a conversation). */
  readonly anaCalls: readonly string[];
  readonly complaints: { readonly frequency: string; readonly timeOfDay: string; readonly language: string; readonly harassment: string };
  readonly cases: { readonly onTime: string; readonly late: string; readonly unacknowledged: string; readonly refused: string; readonly notYetDue: string };
}

/** Chicago in April (CDT): `day` of April at local `time`. */
export const chicago = (day: number, time: string) => `2026-04-${String(day).padStart(2, '0')}T${time}-05:00`;
/** New York in April (EDT). */
export const newYorkTime = (day: number, time: string) => `2026-04-${String(day).padStart(2, '0')}T${time}-04:00`;
/** Shanghai (CST, UTC+8, no daylight saving). */
export const shanghai = (day: number, time: string) => `2026-04-${String(day).padStart(2, '0')}T${time}+08:00`;

export function compliantApril(): April {
  const log = new GlobalLog();
  const illinois = new Debtor(log, { jurisdiction: 'US-IL', timeZones: ['America/Chicago'], rulePack: 'reg-f', phone: '+13125550199' });
  const newYork = new Debtor(log, { jurisdiction: 'US-NY', timeZones: ['America/New_York', 'America/Los_Angeles'], rulePack: 'reg-f', phone: '+12125550142' });
  const china = new Debtor(log, { jurisdiction: 'CN', timeZones: ['Asia/Shanghai'], rulePack: 'cn-post-loan', phone: '+8613800138000' });
  const a = illinois.account();
  const b = newYork.account();
  const c = china.account();

  // Before the period: a complaint resolved in April (not counted: received in March) and a March call.
  const march = illinois.complaint(a, 'other', '2026-03-30T15:00:00Z', ana);
  illinois.resolve(march, a, false, '2026-04-02T15:00:00Z', sam);
  illinois.languageDetected(a, 'notes', [{ ruleId: 'language.abuse', category: 'abuse', term: 'idiot' }], '2026-03-20T15:00:00Z', ana);

  // Ana, Illinois: 7 calls in 7 days, then the 8th exactly 7 × 24 h after the first.
  const anaCalls: string[] = [];
  const times = ['09:00:00', '10:00:00', '11:00:00', '12:00:00', '13:00:00', '14:00:00', '15:00:00'];
  times.forEach((time, index) => {
    const id = illinois.allow({ accountId: a, intendedAt: chicago(index + 1, time), operator: ana });
    illinois.outcome(id, a, 'no-answer', chicago(index + 1, time.replace(':00:00', ':01:00')), ana);
    anaCalls.push(id);
    if (index === 1) {
      illinois.block({
        accountId: a,
        intendedAt: chicago(2, '21:30:00'),
        operator: ana,
        reasons: [{ ruleId: 'reg-f.quiet-hours', message: 'It is 21:30 in America/Chicago: contact is allowed only 08:00–21:00 local time.', nextAllowedAt: chicago(3, '08:00:00') }],
        nextAllowedAt: chicago(3, '08:00:00'),
      });
    }
  });
  illinois.block({
    accountId: a,
    intendedAt: chicago(7, '16:00:00'),
    operator: ana,
    reasons: [{ ruleId: 'reg-f.call-frequency', message: '7 calls about this debt in 7 days already: at most 7 in any 7 days.', counted: 7, limit: 7, nextAllowedAt: chicago(8, '09:00:00') }],
    nextAllowedAt: chicago(8, '09:00:00'),
  });
  const eighth = illinois.allow({ accountId: a, intendedAt: chicago(8, '09:00:00'), operator: ana });
  illinois.outcome(eighth, a, 'right-party-contact', chicago(8, '09:12:00'), ana);
  anaCalls.push(eighth);
  illinois.languageDetected(a, 'notes', [{ ruleId: 'language.threat-arrest', category: 'threat-arrest', term: 'jail' }], chicago(8, '09:13:00'), ana, eighth);
  log.promise(a, chicago(8, '09:14:00'), ana);
  illinois.block({
    accountId: a,
    intendedAt: chicago(9, '10:00:00'),
    operator: ana,
    reasons: [{ ruleId: 'reg-f.post-conversation', message: 'A telephone conversation about this debt took place at 2026-04-08T09:00:00-05:00: no call about it for 7 days after one.', nextAllowedAt: chicago(15, '09:00:00') }],
    nextAllowedAt: chicago(15, '09:00:00'),
  });
  const ninth = illinois.allow({ accountId: a, intendedAt: chicago(15, '09:00:00'), operator: ana });
  illinois.outcome(ninth, a, 'voicemail', chicago(15, '09:02:00'), ana);
  illinois.allow({ accountId: a, intendedAt: chicago(15, '20:30:00'), operator: ana, channel: 'email', target: 'debtor@example.com' });
  illinois.allow({ accountId: a, intendedAt: chicago(16, '20:59:59.999'), operator: ana, channel: 'sms' });
  illinois.allow({ accountId: a, intendedAt: chicago(16, '23:00:00'), operator: ana, channel: 'letter', target: '1 Main St' });
  log.planProposed(a, chicago(17, '11:00:00'), ana);
  // Recorded by Ana, approved by Sam: the waiver is Sam's.
  log.waiver(a, { approvedBy: sam.id, minor: 3_500, at: chicago(17, '11:05:00'), actor: ana });

  // Bob, New York debtor in two candidate zones.
  newYork.block({
    accountId: b,
    intendedAt: newYorkTime(6, '09:00:00'),
    operator: bob,
    reasons: [{ ruleId: 'reg-f.quiet-hours', message: 'It is 06:00 in America/Los_Angeles: contact is allowed only 08:00–21:00 local time in every one of the debtor\'s candidate zones.' }],
    nextAllowedAt: newYorkTime(6, '11:00:00'),
  });
  const b1 = newYork.allow({ accountId: b, intendedAt: newYorkTime(6, '12:00:00'), operator: bob });
  newYork.outcome(b1, b, 'no-answer', newYorkTime(6, '12:01:00'), bob);
  newYork.block({
    accountId: b,
    intendedAt: newYorkTime(13, '10:00:00'),
    operator: bob,
    channel: 'sms',
    reasons: [
      { ruleId: 'msg.opt-out-missing', message: 'The text has no opt-out instruction.' },
      { ruleId: 'language.prohibited', message: 'The text contains prohibited language (2 hits).', counted: 2 },
    ],
  });
  newYork.languageDetected(
    b,
    'message',
    [
      { ruleId: 'language.abuse', category: 'abuse', term: 'deadbeat' },
      { ruleId: 'language.threat-lawsuit-without-basis', category: 'threat-lawsuit-without-basis', term: 'we will sue' },
    ],
    newYorkTime(13, '10:00:00'),
    bob,
  );
  const b2 = newYork.allow({ accountId: b, intendedAt: newYorkTime(13, '18:30:00'), operator: bob });
  newYork.outcome(b2, b, 'promise-offered', newYorkTime(13, '18:40:00'), bob);
  log.promise(b, newYorkTime(13, '18:41:00'), bob);
  newYork.block({
    accountId: b,
    intendedAt: newYorkTime(14, '12:00:00'),
    operator: bob,
    reasons: [
      { ruleId: 'pref.inconvenient-time', message: 'The debtor named 11:00–14:00 on weekdays inconvenient.' },
      { ruleId: 'reg-f.post-conversation', message: 'A telephone conversation about this debt took place at 2026-04-13T18:30:00-04:00.' },
    ],
  });
  const b3 = newYork.allow({ accountId: b, intendedAt: newYorkTime(21, '20:00:00'), operator: bob });
  newYork.outcome(b3, b, 'voicemail', newYorkTime(21, '20:01:00'), bob);
  log.waiver(b, { approvedBy: sam.id, minor: 1_200, kind: 'interest-waiver', at: newYorkTime(22, '10:00:00'), actor: sam });

  // Wei, China: three connected calls on the 20th, the fourth blocked.
  const connected = [
    ['09:00:00', 'right-party-contact'],
    ['11:00:00', 'refused'],
    ['14:00:00', 'promise-offered'],
  ] as const;
  for (const [time, outcome] of connected) {
    const id = china.allow({ accountId: c, intendedAt: shanghai(20, time), operator: wei });
    china.outcome(id, c, outcome, shanghai(20, time.replace(':00:00', ':05:00')), wei);
    if (outcome === 'refused') china.languageDetected(c, 'transcript', [{ ruleId: 'language.threat-arrest', category: 'threat-arrest', term: '坐牢' }], shanghai(20, '11:06:00'), wei, id);
  }
  china.block({
    accountId: c,
    intendedAt: shanghai(20, '16:00:00'),
    operator: wei,
    reasons: [{ ruleId: 'cn.connected-calls', message: '3 connected calls with this debtor today already: at most 3 a day.', counted: 3, limit: 3 }],
    nextAllowedAt: shanghai(21, '08:00:00'),
  });
  // Six unanswered calls to one number on the 21st, the seventh blocked; one to another number.
  for (const hour of ['09', '10', '11', '12', '13', '14']) {
    const id = china.allow({ accountId: c, intendedAt: shanghai(21, `${hour}:00:00`), operator: wei });
    china.outcome(id, c, 'no-answer', shanghai(21, `${hour}:01:00`), wei);
  }
  china.block({
    accountId: c,
    intendedAt: shanghai(21, '15:00:00'),
    operator: wei,
    reasons: [{ ruleId: 'cn.unanswered-per-number', message: '6 unanswered calls to this number today already: at most 6 a day.', counted: 6, limit: 6 }],
    nextAllowedAt: shanghai(22, '08:00:00'),
  });
  const other = china.allow({ accountId: c, intendedAt: shanghai(21, '15:30:00'), operator: wei, target: '+8613900139000' });
  china.outcome(other, c, 'no-answer', shanghai(21, '15:31:00'), wei);
  china.block({ accountId: c, intendedAt: shanghai(22, '10:00:00'), operator: wei, reasons: [{ ruleId: 'cn.recording', message: 'A call must be recorded.' }] });
  const late = china.allow({ accountId: c, intendedAt: shanghai(22, '21:30:00'), operator: wei });
  china.outcome(late, c, 'right-party-contact', shanghai(22, '21:40:00'), wei);
  china.block({
    accountId: c,
    intendedAt: shanghai(22, '22:15:00'),
    operator: wei,
    reasons: [{ ruleId: 'cn.quiet-hours', message: 'It is 22:15 in Asia/Shanghai: contact is allowed only 08:00–22:00 local time.' }],
    nextAllowedAt: shanghai(23, '08:00:00'),
  });

  // Scripts: one refused for its language.
  log.scriptRejected('2026-04-25T10:00:00Z', sam, [{ ruleId: 'language.threat-home-visit', category: 'threat-home-visit', term: 'knock on your door' }]);

  // Complaints: handled in 24, 60 and 6 hours; one still open at the month's end (resolved in May).
  const frequency = illinois.complaint(a, 'frequency', '2026-04-03T10:00:00Z', ana);
  illinois.resolve(frequency, a, false, '2026-04-04T10:00:00Z', sam);
  const timeOfDay = newYork.complaint(b, 'time-of-day', '2026-04-10T12:00:00Z', bob);
  newYork.resolve(timeOfDay, b, true, '2026-04-13T00:00:00Z', sam);
  const language = china.complaint(c, 'language', '2026-04-20T09:00:00Z', wei);
  china.resolve(language, c, false, '2026-04-20T15:00:00Z', sam);
  const harassment = newYork.complaint(b, 'harassment', '2026-04-28T09:00:00Z', bob);
  newYork.resolve(harassment, b, true, '2026-05-02T09:00:00Z', sam);

  // Legal handoffs (each case its own id): on time; acknowledged late; never acknowledged; refused; not yet due.
  const cases = { onTime: randomUUID(), late: randomUUID(), unacknowledged: randomUUID(), refused: randomUUID(), notYetDue: randomUUID(), march: randomUUID() };
  new Handoff(log, cases.march, '2026-03-25T10:00:00.000Z').started().fixed(1).delivered(2).acknowledged(5);
  new Handoff(log, cases.onTime, '2026-04-06T10:00:00.000Z').started().fixed(1).delivered(2).acknowledged(10);
  new Handoff(log, cases.late, '2026-04-12T09:00:00.000Z').started().fixed(29).delivered(30).overdue(48).acknowledged(50);
  new Handoff(log, cases.refused, '2026-04-15T08:00:00.000Z').refused();
  new Handoff(log, cases.unacknowledged, '2026-04-28T12:00:00.000Z').started().fixed(0.5).delivered(1).overdue(48);
  new Handoff(log, cases.notYetDue, '2026-04-29T23:00:00.000Z').started().fixed(2).delivered(3);

  return {
    log,
    events: log.events,
    illinois,
    newYork,
    china,
    accounts: { illinois: a, newYork: b, china: c },
    anaCalls,
    complaints: { frequency, timeOfDay, language, harassment },
    cases,
  };
}
