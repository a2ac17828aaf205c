import type { accounts, caseWorkflow, contactAttempts } from '@arrears/contracts';
import { addDays, instantOfLocal, localDateTime } from '../../services/contact-attempts/src/compliance/domain/local-time';
import type { Jurisdiction } from './portfolio';
import type { Random } from './random';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** When collectors work, on their own clock: the dialer runs on their shift, whatever the debtor's clock says. */
export interface Shift {
  readonly timeZone: string;
  readonly from: string;
  readonly until: string;
  readonly days: readonly Weekday[];
}

export const SHIFTS: Readonly<Record<Jurisdiction, Shift>> = {
  US: { timeZone: 'America/Chicago', from: '08:00', until: '20:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
  CN: { timeZone: 'Asia/Shanghai', from: '09:00', until: '21:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
};

/** `at` when the shift is on then, otherwise the next instant it begins. */
export function shiftStartAtOrAfter(shift: Shift, at: number): number {
  const { date } = localDateTime(at, shift.timeZone);
  for (let day = 0; day < 8; day += 1) {
    const local = addDays(date, day);
    const start = instantOfLocal(local, shift.from, shift.timeZone);
    const end = instantOfLocal(local, shift.until, shift.timeZone);
    if (!shift.days.includes(localDateTime(start, shift.timeZone).weekday as Weekday) || end <= at) continue;
    return Math.max(start, at);
  }
  throw new RangeError(`The shift ${JSON.stringify(shift)} never begins`);
}

export function onShift(shift: Shift, at: number): boolean {
  return shiftStartAtOrAfter(shift, at) === at;
}

/** What a collector keeps in mind about one case of their queue; the platform's view (stage, tier) comes from the queue. */
export interface CaseMemory {
  readonly accountId: string;
  stage: caseWorkflow.Stage | null;
  stageEntry: number | null;
  tier: accounts.RiskTier;
  bucket: accounts.AgingBucket | null;
  /** The next moment the collector means to act on the case. */
  nextActionAt: number;
  /** The stage entry whose final notice went out (pressure asks for one per entry). */
  finalNoticeFor: number | null;
  openPromise: { readonly promiseId: string; readonly dueDate: string; readonly amount: number; reminded: boolean } | null;
  planId: string | null;
  disputed: boolean;
  calls: number[];
}

export function newCaseMemory(accountId: string, tier: accounts.RiskTier, now: number, random: Random): CaseMemory {
  // A new case is picked up within a working day, not all at once.
  return { accountId, stage: null, stageEntry: null, tier, bucket: null, nextActionAt: now + random.between(0, 6 * HOUR_MS), finalNoticeFor: null, openPromise: null, planId: null, disputed: false, calls: [] };
}

export type CaseAction = 'final-notice' | 'reminder' | 'call' | 'none';

/**
 * What to do with a case whose time has come: a case in pressure gets its notice of legal consequences first (a
 * letter), an open promise an SMS reminder in the two days before it falls due and nothing else until it is kept or
 * broken, a running plan nothing while the case stays in negotiate; otherwise a call. Closed and disputed cases wait.
 */
export function caseAction(memory: CaseMemory, now: number): CaseAction {
  if (memory.stage === 'close' || memory.stage === null || memory.disputed || memory.nextActionAt > now) return 'none';
  if (memory.stage === 'pressure' && memory.stageEntry !== null && memory.finalNoticeFor !== memory.stageEntry) return 'final-notice';
  if (memory.openPromise !== null && !promiseSettled(memory.openPromise, now)) {
    const due = Date.parse(`${memory.openPromise.dueDate}T00:00:00Z`);
    if (!memory.openPromise.reminded && now >= due - 2 * DAY_MS && now < due) return 'reminder';
    return 'none';
  }
  if (memory.planId !== null && memory.stage === 'negotiate') return 'none';
  return 'call';
}

/** Days after its due date by which a promise is kept or broken (the promises service's grace is 3), so the case is worked again. */
export const PROMISE_SETTLED_DAYS = 4;

export function promiseSettled(promise: { readonly dueDate: string }, now: number): boolean {
  return now >= Date.parse(`${promise.dueDate}T00:00:00Z`) + (PROMISE_SETTLED_DAYS + 1) * DAY_MS;
}

/** Which due case a collector takes first: commitments to follow up, then pressure, then new contacts; the longest waiting first. */
export function priorityOf(memory: CaseMemory): number {
  const stage = memory.stage === 'negotiate' ? 0 : memory.stage === 'pressure' ? 1 : 2;
  return stage * 1e15 + memory.nextActionAt;
}

/**
 * When to try a case again after a call ended with `outcome` (the debtor said nothing that sets a date). US
 * collectors dial a case about once a day and wait out Regulation F's 7 × 24 h after a conversation; Chinese
 * collectors redial an unanswered number within hours, several times a day (the engine's caps of 6 unanswered calls
 * to a number and 3 connected calls a day then have a say), and follow a conversation up within days.
 */
export function retryAfter(outcome: contactAttempts.Outcome, now: number, random: Random, jurisdiction: Jurisdiction = 'US'): number {
  const china = jurisdiction === 'CN';
  switch (outcome) {
    case 'no-answer':
    case 'busy':
      // Another day, at another hour of it; in China, again within hours.
      return now + (china ? random.between(1, 3) : random.between(18, 30)) * HOUR_MS;
    case 'voicemail':
      return now + (china ? random.between(2, 5) : random.between(24, 48)) * HOUR_MS;
    case 'third-party':
      return now + random.between(2, 3) * DAY_MS;
    case 'wrong-number':
      return now + random.between(3, 5) * DAY_MS;
    case 'right-party-contact':
    case 'refused':
    case 'promise-offered':
    case 'dispute-raised':
      // Regulation F: no call about the debt for 7 × 24 h after a conversation about it; collectors wait it out.
      return china ? now + random.between(2, 4) * DAY_MS : now + 7 * DAY_MS + random.between(1, 26) * HOUR_MS;
  }
}

/**
 * When to try again after the compliance engine blocked a contact: just after `nextAllowedAt` when time lifts the
 * block, otherwise (a hold, an opt-out) in a few days, when the hold may have been cleared.
 */
export function retryAfterBlock(nextAllowedAt: string | undefined, now: number, random: Random): number {
  const next = nextAllowedAt === undefined ? Number.NaN : Date.parse(nextAllowedAt);
  if (Number.isNaN(next)) return now + random.between(2, 4) * DAY_MS;
  return Math.max(now, next) + random.between(1, 90) * 60_000;
}

/** A collector's time on a contact, in simulated milliseconds: a conversation takes minutes, a dial that rings out one. */
export function handlingTime(outcome: contactAttempts.Outcome | 'blocked' | 'letter' | 'sms', random: Random): number {
  switch (outcome) {
    case 'right-party-contact':
    case 'refused':
    case 'promise-offered':
    case 'dispute-raised':
      return random.between(4, 12) * 60_000;
    case 'third-party':
    case 'wrong-number':
    case 'voicemail':
      return random.between(1, 3) * 60_000;
    case 'blocked':
      return 15_000;
    default:
      return random.between(0.5, 1.5) * 60_000;
  }
}
