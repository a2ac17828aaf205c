import type { accounts, contactAttempts } from '@arrears/contracts';
import { localDateTime } from '../../services/contact-attempts/src/compliance/domain/local-time';
import type { SimDebtor } from './portfolio';
import type { Random } from './random';

type Tier = accounts.RiskTier;
type Outcome = contactAttempts.Outcome;

/**
 * How simulated debtors behave, by the risk tier the platform gives their account and the hour on their own clock
 * (docs/simulator.md has the same tables). Every draw comes from the debtor's own random stream, and each
 * probability is scaled by the debtor's `willingness` (around 1), so some debtors of a tier are better than others.
 */

/** The chance a call is answered at all, at the debtor's average hour. */
export const ANSWER_RATE: Readonly<Record<Tier, number>> = { low: 0.3, medium: 0.22, high: 0.15 };

/** How much likelier than average a call is answered at each local hour (0–23): lunch and early evening are best. */
export const HOUR_FACTOR: readonly number[] = [
  0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.45, 0.6, // 00–07
  0.7, 0.8, 0.85, 0.9, 1.05, 0.95, 0.8, 0.8, // 08–15
  0.9, 1.1, 1.3, 1.35, 1.2, 0.9, 0.6, 0.4, // 16–23
];

/** Who answers a call that is answered. */
export const WHO_ANSWERS = { 'right-party-contact': 0.8, 'third-party': 0.13, 'wrong-number': 0.07 } as const;
/** What an unanswered call ends as. */
export const UNANSWERED = { 'no-answer': 0.5, voicemail: 0.4, busy: 0.1 } as const;

export type Stance = 'promise' | 'plan' | 'refuse' | 'dispute' | 'talk';
/** What a debtor reached by a collector does: promise to pay, agree to a plan, refuse, dispute the debt, or just talk. */
export const STANCES: Readonly<Record<Tier, Readonly<Record<Stance, number>>>> = {
  low: { promise: 0.42, plan: 0.16, refuse: 0.14, dispute: 0.03, talk: 0.25 },
  medium: { promise: 0.32, plan: 0.18, refuse: 0.22, dispute: 0.04, talk: 0.24 },
  high: { promise: 0.2, plan: 0.16, refuse: 0.32, dispute: 0.06, talk: 0.26 },
};

/** The chance a promise is kept in full (by its due date or within the grace days). */
export const KEEP_PROMISE: Readonly<Record<Tier, number>> = { low: 0.8, medium: 0.6, high: 0.35 };
/** Of the promises not kept, how many get part of the amount. */
export const PARTIAL_WHEN_BROKEN = 0.3;
/** The chance a debtor who asked for a plan signs the written commitment. */
export const SIGN_PLAN: Readonly<Record<Tier, number>> = { low: 0.8, medium: 0.65, high: 0.5 };
/** The chance each instalment is paid (on time, or late within the grace days). */
export const PAY_INSTALMENT: Readonly<Record<Tier, number>> = { low: 0.94, medium: 0.84, high: 0.65 };
/** Of instalments paid, those paid late (after the due date, within grace). */
export const LATE_INSTALMENT = 0.2;
/** A debtor who pays on their own, without a promise, per day (most pay in full, the rest half). */
export const SELF_CURE_PER_DAY: Readonly<Record<Tier, number>> = { low: 0.004, medium: 0.002, high: 0.0008 };
/** A complaint about a contact, per contact allowed, before the adjustments in `complaintAfter`. */
export const COMPLAINT_PER_CONTACT = 0.004;

const scaled = (p: number, debtor: Pick<SimDebtor, 'willingness'>, power = 1) => Math.min(0.98, p * debtor.willingness ** power);

/** The debtor's hour on their own clock at `instant` (ms). */
export function localHour(instant: number, timeZone: string): number {
  return Math.floor(localDateTime(instant, timeZone).msOfDay / 3_600_000);
}

/** What becomes of a call reaching the debtor's number at `instant`. */
export function answerCall(tier: Tier, debtor: Pick<SimDebtor, 'willingness' | 'timeZone'>, instant: number, random: Random): Outcome {
  const p = scaled(ANSWER_RATE[tier] * (HOUR_FACTOR[localHour(instant, debtor.timeZone)] ?? 1), debtor, 0.5);
  if (!random.chance(p)) return random.weighted(UNANSWERED);
  return random.weighted(WHO_ANSWERS);
}

/** What the debtor does once reached. */
export function stanceOf(tier: Tier, debtor: Pick<SimDebtor, 'willingness'>, random: Random): Stance {
  const base = STANCES[tier];
  // Willing debtors promise and plan more, and refuse less; disputes do not depend on willingness.
  const w = debtor.willingness;
  return random.weighted({ promise: base.promise * w, plan: base.plan * w, refuse: base.refuse / w, dispute: base.dispute, talk: base.talk });
}

/** The outcome a collector records for a conversation of this stance. */
export function outcomeOfStance(stance: Stance): Outcome {
  switch (stance) {
    case 'promise':
      return 'promise-offered';
    case 'refuse':
      return 'refused';
    case 'dispute':
      return 'dispute-raised';
    case 'plan':
    case 'talk':
      return 'right-party-contact';
  }
}

/** Days to a promise's due date: paydays a week or two away are the commonest. */
export const PROMISE_DUE_IN_DAYS: Readonly<Record<string, number>> = { 3: 1, 5: 1, 7: 3, 10: 1, 14: 3, 21: 1, 30: 1 };

export interface PromiseOffer {
  /** Minor units, at most what is owed. */
  readonly amount: number;
  /** Days from today to the due date (the promises service allows 45). */
  readonly dueInDays: number;
}

/** What a debtor promises on `owed`: a small debt often in full, otherwise a part; the due date on a coming payday. */
export function promiseOffer(owed: number, random: Random): PromiseOffer {
  const full = owed <= 50_000 ? random.chance(0.6) : random.chance(0.25);
  const part = Math.round((owed * random.between(0.15, 0.5)) / 100) * 100;
  const amount = full ? owed : Math.min(owed, Math.max(100, part));
  return { amount, dueInDays: Number(random.weighted(PROMISE_DUE_IN_DAYS)) };
}

export type PromiseFate =
  | { readonly kind: 'keep'; readonly daysFromDue: number }
  | { readonly kind: 'partial'; readonly daysFromDue: number; readonly share: number }
  | { readonly kind: 'break' };

/** Whether and when a promise is paid: kept ones on a day from two before the due date to two after (within grace). */
export function promiseFate(tier: Tier, debtor: Pick<SimDebtor, 'willingness'>, random: Random): PromiseFate {
  if (random.chance(scaled(KEEP_PROMISE[tier], debtor))) return { kind: 'keep', daysFromDue: random.int(-2, 2) };
  if (random.chance(PARTIAL_WHEN_BROKEN)) return { kind: 'partial', daysFromDue: random.int(-1, 1), share: random.between(0.3, 0.7) };
  return { kind: 'break' };
}

export interface PlanRequest {
  readonly instalments: number;
  readonly frequency: 'weekly' | 'fortnightly' | 'monthly';
  /** Days from today to the first instalment (the plans service allows 30). */
  readonly firstDueInDays: number;
}

/** The plan a debtor can afford: more instalments for a larger debt, within the standard term of 12. */
export function planRequest(owed: number, random: Random): PlanRequest {
  const frequency = random.weighted({ weekly: 2, fortnightly: 3, monthly: 3 });
  const byBalance = owed < 50_000 ? 3 : owed < 300_000 ? 6 : owed < 1_000_000 ? 9 : 12;
  const instalments = Math.max(2, Math.min(12, byBalance + random.int(-2, 1), Math.floor(owed / 1_000)));
  return { instalments, frequency, firstDueInDays: random.int(3, 14) };
}

/** Whether a debtor who asked for a plan signs the written commitment it needs. */
export function signsPlan(tier: Tier, debtor: Pick<SimDebtor, 'willingness'>, random: Random): boolean {
  return random.chance(scaled(SIGN_PLAN[tier], debtor, 0.5));
}

export type InstalmentFate = { readonly kind: 'pay'; readonly daysFromDue: number } | { readonly kind: 'miss' };

/** One instalment: paid on time (on its due date or up to three days before), late within grace, or missed. */
export function instalmentFate(tier: Tier, debtor: Pick<SimDebtor, 'willingness'>, graceDays: number, random: Random): InstalmentFate {
  if (!random.chance(scaled(PAY_INSTALMENT[tier], debtor, 0.5))) return { kind: 'miss' };
  return random.chance(LATE_INSTALMENT) ? { kind: 'pay', daysFromDue: random.int(1, Math.max(1, graceDays)) } : { kind: 'pay', daysFromDue: -random.int(0, 3) };
}

/** When (days from placement) a debtor pays unprompted, and how much of what they then owe; undefined within `days`. */
export function selfCure(tier: Tier, debtor: Pick<SimDebtor, 'willingness'>, days: number, random: Random): { readonly afterDays: number; readonly share: number } | undefined {
  const rate = SELF_CURE_PER_DAY[tier] * debtor.willingness;
  const afterDays = -Math.log(1 - random.next()) / rate;
  if (afterDays >= days) return undefined;
  return { afterDays, share: random.chance(0.7) ? 1 : 0.5 };
}

export type ComplaintCategory = 'harassment' | 'frequency' | 'time-of-day' | 'other';

/**
 * Whether a contact makes the debtor complain, and about what: likelier after many calls in the last week, early or
 * late on their clock, and from high-risk debtors.
 */
export function complaintAfter(tier: Tier, recentCalls: number, hour: number, random: Random): ComplaintCategory | undefined {
  const odd = hour < 9 || hour >= 20;
  const p = COMPLAINT_PER_CONTACT * (1 + recentCalls / 4) * (odd ? 2 : 1) * { low: 0.8, medium: 1, high: 1.4 }[tier];
  if (!random.chance(p)) return undefined;
  if (recentCalls >= 4) return 'frequency';
  if (odd) return 'time-of-day';
  return random.weighted({ harassment: 2, other: 3 });
}
