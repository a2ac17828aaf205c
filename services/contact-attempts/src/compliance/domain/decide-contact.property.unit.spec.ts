import fc from 'fast-check';
import { decideContact } from './decide-contact';
import { DAY_MS, HOUR_MS, localDateTime, MINUTE_MS, nextLocalTime, parseInstant } from './local-time';
import { CONFIG } from './testing/builders';
import type { Channel, ContactDecision, ContactProfile, ContactRequest, LocalTime, Outcome, PastContact } from './types';

/*
 * The guarantees, whatever happens: a random run of contact requests over a few weeks, each allowed one then
 * recorded with a random outcome (and each blocked one recorded as blocked), never adds up to a breach. fast-check
 * prints the seed and the shrunk run of a failure; replay it with `{ seed, path }` in the assert's parameters.
 * docs/compliance.md lists the rules broken on purpose to see these fail.
 */

const OUTCOMES: readonly Outcome[] = ['no-answer', 'busy', 'voicemail', 'wrong-number', 'right-party-contact', 'third-party', 'refused', 'dispute-raised', 'promise-offered'];
const NOT_ANSWERED: readonly Outcome[] = ['no-answer', 'busy', 'voicemail'];
const CONNECTED = OUTCOMES.filter((outcome) => !NOT_ANSWERED.includes(outcome));
// Stated here again rather than imported, so that a change to the engine's reading shows up as a failure.
const CONVERSATIONS: readonly Outcome[] = ['right-party-contact', 'refused', 'dispute-raised', 'promise-offered'];

/** A plain check: `expect` costs too much in loops that run a hundred thousand times. */
function assert(condition: boolean, failure: () => string): void {
  if (!condition) throw new Error(failure());
}

const ms = (iso: string): number => parseInstant(iso) ?? Number.NaN;
const iso = (instant: number): string => new Date(instant).toISOString();

interface Step {
  readonly gapMs: number;
  /**
   * Where the next request goes: a gap later; exactly when the last blocked decision said it would be allowed; or
   * the next time a candidate zone's clock reads one of the edges of the day. The edges are where bugs live.
   */
  readonly move: 'gap' | 'next-allowed' | LocalTime;
  readonly zone: number;
  readonly channel: Channel;
  readonly debt: number;
  readonly target: number;
  readonly outcome: Outcome;
  readonly recorded: boolean;
  readonly text: number;
}

const TEXTS = [
  'Your account is overdue; please call us. Reply STOP to opt out.',
  'Please get in touch about your account.',
  'Pay today or we will sue. Reply STOP to opt out.',
  '您的账单已逾期，请尽快还款。回复TD退订',
];

const step = (maxGapMs: number, channels: fc.Arbitrary<Channel>, outcomes: fc.Arbitrary<Outcome>): fc.Arbitrary<Step> =>
  fc.record({
    // Whole minutes mostly, so that 21:00:00.000 and the like come up; any millisecond sometimes.
    gapMs: fc.oneof(
      fc.integer({ min: 0, max: 10 }).map((minutes) => minutes * MINUTE_MS),
      fc.integer({ min: 0, max: maxGapMs / MINUTE_MS }).map((minutes) => minutes * MINUTE_MS),
      fc.integer({ min: 0, max: maxGapMs }),
    ),
    move: fc.oneof(
      { weight: 4, arbitrary: fc.constant<'gap'>('gap') },
      { weight: 2, arbitrary: fc.constant<'next-allowed'>('next-allowed') },
      { weight: 1, arbitrary: fc.constantFrom('07:59', '08:00', '20:59', '21:00', '21:59', '22:00') },
    ),
    zone: fc.nat(),
    channel: channels,
    debt: fc.integer({ min: 1, max: 2 }),
    target: fc.integer({ min: 1, max: 2 }),
    outcome: outcomes,
    recorded: fc.boolean(),
    text: fc.integer({ min: 0, max: TEXTS.length - 1 }),
  });

interface Run {
  readonly decided: { readonly request: ContactRequest; readonly decision: ContactDecision }[];
  readonly history: PastContact[];
}

/** Plays the steps against the engine, checking each blocked decision's nextAllowedAt on the way. */
function play(start: number, steps: readonly Step[], profile: ContactProfile, recordingPlanned: () => boolean): Run {
  const history: PastContact[] = [];
  const decided: Run['decided'] = [];
  let at = start;
  let nextAllowed: number | undefined;
  for (const next of steps) {
    const zone = profile.candidateTimeZones[next.zone % profile.candidateTimeZones.length] ?? 'UTC';
    at = next.move === 'gap' ? at + next.gapMs : next.move === 'next-allowed' ? (nextAllowed ?? at + next.gapMs) : nextLocalTime(at, next.move, zone);
    const channel = next.channel;
    const request: ContactRequest = {
      caseId: `case-${next.debt}`,
      debtId: `debt-${next.debt}`,
      debtorId: 'debtor-1',
      channel,
      target:
        channel === 'call' || channel === 'sms'
          ? { kind: 'phone', value: `phone-${next.target}` }
          : channel === 'email'
            ? { kind: 'email', value: `email-${next.target}` }
            : { kind: 'address', value: 'address-1' },
      operatorId: 'collector-1',
      intendedAt: iso(at),
      recordingPlanned: recordingPlanned(),
      ...(channel === 'sms' || channel === 'email' ? { messageText: TEXTS[next.text] } : {}),
    };
    const decision = decideContact(request, profile, history, CONFIG);
    decided.push({ request, decision });
    nextAllowed = decision.nextAllowedAt === undefined ? undefined : ms(decision.nextAllowedAt);
    if (!decision.allowed && nextAllowed !== undefined) {
      // Allowed then, and not a millisecond sooner (no rule waits longer than it has to).
      const then = nextAllowed;
      assert(then > at, () => `nextAllowedAt ${decision.nextAllowedAt} is not after ${request.intendedAt}`);
      assert(decideContact({ ...request, intendedAt: iso(then) }, profile, history, CONFIG).allowed, () => `not allowed at its nextAllowedAt: ${JSON.stringify(decision)}`);
      assert(!decideContact({ ...request, intendedAt: iso(then - 1) }, profile, history, CONFIG).allowed, () => `already allowed before its nextAllowedAt: ${JSON.stringify(decision)}`);
    }
    if (decision.allowed || next.recorded) {
      const connected = channel === 'call' && !NOT_ANSWERED.includes(next.outcome);
      history.push({
        debtId: request.debtId,
        channel,
        targetValue: request.target.value,
        at: request.intendedAt,
        ...(channel === 'call' ? { outcome: next.outcome } : {}),
        connected,
        allowed: decision.allowed,
      });
    }
  }
  return { decided, history };
}

const allowedCalls = (history: readonly PastContact[]) => history.filter((past) => past.allowed && past.channel === 'call');
const localHour = (at: string, zone: string) => localDateTime(ms(at), zone).msOfDay / HOUR_MS;

describe('the engine never allows a breach (property)', () => {
  const US_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'Pacific/Honolulu', 'Asia/Kathmandu', 'Pacific/Chatham', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
  const usChannels = fc.constantFrom<Channel>('call', 'call', 'call', 'call', 'call', 'sms', 'email', 'letter', 'visit');
  const inconvenience = fc.option(
    fc.record({ from: fc.constantFrom('12:00', '18:30', '20:00'), to: fc.constantFrom('09:00', '13:00', '19:15') }),
    { nil: undefined },
  );

  it('US Regulation F: the call cap per debt, the quiet after a conversation, 08:00–21:00 in every candidate zone', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...US_ZONES), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: ms('2026-02-20T00:00:00Z') / MINUTE_MS, max: ms('2026-03-10T00:00:00Z') / MINUTE_MS }).map((minute) => minute * MINUTE_MS), // across the March DST change
        // Mostly unanswered, or conversations would keep calls off and the cap would seldom be reached.
        fc.array(step(14 * HOUR_MS, usChannels, fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NOT_ANSWERED) }, fc.constantFrom(...OUTCOMES))), { minLength: 20, maxLength: 60 }),
        inconvenience,
        (zones, start, steps, inconvenient) => {
          const debtor: ContactProfile = {
            jurisdiction: 'US',
            candidateTimeZones: zones,
            flags: {},
            preferences: { optedOutChannels: [], inconvenientTimes: inconvenient === undefined ? [] : [inconvenient] },
          };
          const { decided, history } = play(start, steps, debtor, () => true);
          const { maxCallAttemptsPerDebt, windowDays, quietAfterConversationDays } = CONFIG.packs['reg-f'];

          for (const debt of ['debt-1', 'debt-2']) {
            const calls = allowedCalls(history).filter((past) => past.debtId === debt);
            for (const [index, call] of calls.entries()) {
              const end = ms(call.at);
              // The fullest window is one ending at a call.
              const inWindow = calls.filter((other) => ms(other.at) > end - windowDays * DAY_MS && ms(other.at) <= end).length;
              assert(inWindow <= maxCallAttemptsPerDebt, () => `${inWindow} calls about ${debt} in the ${windowDays} days up to ${call.at}`);
              for (const conversation of calls.slice(0, index).filter((earlier) => earlier.outcome !== undefined && CONVERSATIONS.includes(earlier.outcome))) {
                assert(end - ms(conversation.at) >= quietAfterConversationDays * DAY_MS, () => `a call at ${call.at} after a conversation at ${conversation.at}`);
              }
            }
          }
          for (const { request, decision } of decided.filter(({ decision }) => decision.allowed)) {
            if (request.channel === 'letter') continue;
            for (const zone of zones) {
              const hour = localHour(request.intendedAt, zone);
              assert(hour >= 8 && hour < 21, () => `a ${request.channel} allowed at ${request.intendedAt}, ${hour} h in ${zone}`);
            }
            assert(decision.reasons.some((reason) => reason.ruleId === 'reg-f.quiet-hours'), () => `quiet hours not checked: ${JSON.stringify(decision)}`);
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('China post-loan: 3 connected calls a day, 6 unanswered a day to one number, no contact 22:00–08:00, calls recorded', () => {
    const cnChannels = fc.constantFrom<Channel>('call', 'call', 'call', 'call', 'call', 'call', 'sms', 'letter');
    fc.assert(
      fc.property(
        fc.constantFrom(['Asia/Shanghai'], ['Asia/Shanghai', 'Asia/Urumqi']),
        fc.integer({ min: ms('2026-03-01T00:00:00Z') / MINUTE_MS, max: ms('2026-03-20T00:00:00Z') / MINUTE_MS }).map((minute) => minute * MINUTE_MS),
        // Dense; never answered (the cap per number comes up) or as often answered as not (the connected cap does).
        fc
          .constantFrom(fc.constantFrom(...NOT_ANSWERED), fc.oneof(fc.constantFrom(...NOT_ANSWERED), fc.constantFrom(...CONNECTED)))
          .chain((outcomes) => fc.array(step(90 * MINUTE_MS, cnChannels, outcomes), { minLength: 20, maxLength: 80 })),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        (zones, start, steps, recordings) => {
          const debtor: ContactProfile = { jurisdiction: 'CN', candidateTimeZones: zones, flags: {}, preferences: { optedOutChannels: [], inconvenientTimes: [] } };
          let turn = 0;
          const { decided, history } = play(start, steps, debtor, () => recordings[turn++ % recordings.length] ?? true);
          const { maxConnectedCallsPerDay, maxUnansweredPerNumberPerDay } = CONFIG.packs['cn-post-loan'];

          for (const zone of zones) {
            const perDay = new Map<string, number>();
            const perDayAndNumber = new Map<string, number>();
            for (const call of allowedCalls(history)) {
              const day = localDateTime(ms(call.at), zone).date;
              if (call.connected) perDay.set(day, (perDay.get(day) ?? 0) + 1);
              else perDayAndNumber.set(`${day} ${call.targetValue}`, (perDayAndNumber.get(`${day} ${call.targetValue}`) ?? 0) + 1);
            }
            for (const [day, connected] of perDay) assert(connected <= maxConnectedCallsPerDay, () => `${connected} connected calls on ${day} in ${zone}`);
            for (const [key, unanswered] of perDayAndNumber) assert(unanswered <= maxUnansweredPerNumberPerDay, () => `${unanswered} unanswered calls on ${key} in ${zone}`);
          }
          for (const { request } of decided.filter(({ decision }) => decision.allowed)) {
            if (request.channel === 'call') assert(request.recordingPlanned === true, () => `an unrecorded call allowed at ${request.intendedAt}`);
            if (request.channel === 'letter') continue;
            for (const zone of zones) {
              const hour = localHour(request.intendedAt, zone);
              assert(hour >= 8 && hour < 22, () => `a ${request.channel} allowed at ${request.intendedAt}, ${hour} h in ${zone}`);
            }
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('US Regulation F: the call cap holds whatever order the calls are asked in (decisions about the past)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 * DAY_MS }), { minLength: 10, maxLength: 60 }), (offsets) => {
        const start = ms('2026-03-02T00:00:00Z');
        const debtor: ContactProfile = { jurisdiction: 'US', candidateTimeZones: ['UTC'], flags: {}, preferences: { optedOutChannels: [], inconvenientTimes: [] } };
        const history: PastContact[] = [];
        for (const offset of offsets) {
          const at = iso(start + offset);
          const request: ContactRequest = { caseId: 'c', debtId: 'debt-1', debtorId: 'd', channel: 'call', target: { kind: 'phone', value: 'p' }, operatorId: 'o', intendedAt: at };
          if (decideContact(request, debtor, history, { ...CONFIG, timeOfDayChannels: [] }).allowed) {
            history.push({ debtId: 'debt-1', channel: 'call', targetValue: 'p', at, outcome: 'no-answer', connected: false, allowed: true });
          }
        }
        const calls = history.map((past) => ms(past.at));
        for (const end of calls) {
          const inWindow = calls.filter((call) => call > end - 7 * DAY_MS && call <= end).length;
          assert(inWindow <= 7, () => `${inWindow} calls in the 7 days up to ${iso(end)}`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
