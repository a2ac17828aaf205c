import { addDays, DAY_MS, formatInstant, localDateTime, nextLocalTime, startOfLocalDay, timeOfDayMs } from './local-time';
import type { ComplianceConfig, ContactProfile, ContactRequest, LocalTime, PastContact, Purpose, RuleId } from './types';

/** A past contact as the rules read it: only allowed ones, its instant parsed, whether it was a conversation. */
export interface PastAttempt extends PastContact {
  readonly atMs: number;
  readonly isConversation: boolean;
}

export interface RuleContext {
  readonly request: ContactRequest;
  readonly purpose: Purpose;
  readonly profile: ContactProfile;
  /** Allowed past contacts only, in time order. */
  readonly history: readonly PastAttempt[];
  readonly config: ComplianceConfig;
  /** The zones to judge local time in; empty when nothing is known. */
  readonly zones: readonly string[];
}

/** One rule's judgement of the contact as if it happened at some instant. */
export interface Verdict {
  readonly ruleId: RuleId;
  readonly blocks: boolean;
  readonly message: string;
  readonly counted?: number;
  readonly limit?: number;
  /**
   * Blocking verdicts of time-based rules: no instant before this (and after the one judged) can the rule allow.
   * Absent when only something other than time can lift the block.
   */
  readonly retryAt?: number;
  /** The zone whose clock `retryAt` is best read on. */
  readonly zone?: string;
}

export interface Rule {
  /** A time-based rule may judge differently at another instant (quiet hours, counts in a window); the others never do. */
  readonly timeBased: boolean;
  /** Undefined when the rule has nothing to say about this contact. */
  judge(context: RuleContext, at: number): Verdict | undefined;
}

export const blocks = (ruleId: RuleId, message: string, extra: Omit<Verdict, 'ruleId' | 'blocks' | 'message'> = {}): Verdict => ({ ruleId, blocks: true, message, ...extra });
export const passes = (ruleId: RuleId, message: string, extra: Pick<Verdict, 'counted' | 'limit'> = {}): Verdict => ({ ruleId, blocks: false, message, ...extra });

/** The verdict of a rule that needs local time when no zone is known. */
export function zoneUnknown(context: RuleContext): Verdict {
  return blocks(
    'profile.time-zone-unknown',
    `The debtor's time zone is unknown and no zones are configured for jurisdiction ${context.profile.jurisdiction}: ` +
      'local-time rules cannot be checked. Record the debtor\'s time zone (or candidate zones), or list the jurisdiction\'s zones in jurisdictionTimeZones.',
  );
}

export function when(at: number, zone: string | undefined): string {
  return zone === undefined ? formatInstant(at) : `${formatInstant(at, zone)} (${zone})`;
}

/** Whether the time-of-day rules (quiet hours, inconvenient times) apply to this contact's channel. */
export function timeRuleApplies(context: RuleContext): boolean {
  return context.config.timeOfDayChannels.includes(context.request.channel);
}

/**
 * Contact only between `from` (inclusive) and `until` (exclusive) local time, in every candidate zone at once:
 * what a debtor whose zone is uncertain would call convenient wherever they are.
 */
export function localWindowRule(ruleId: RuleId, window: (config: ComplianceConfig) => { from: LocalTime; until: LocalTime }, source: string): Rule {
  return {
    timeBased: true,
    judge(context, at) {
      if (!timeRuleApplies(context)) return undefined;
      if (context.zones.length === 0) return zoneUnknown(context);
      const { from, until } = window(context.config);
      const start = timeOfDayMs(from);
      const end = timeOfDayMs(until);
      const locals = context.zones.map((zone) => ({ zone, local: localDateTime(at, zone) }));
      const outside = locals.filter(({ local }) => !(start < end ? local.msOfDay >= start && local.msOfDay < end : local.msOfDay >= start || local.msOfDay < end));
      const clocks = locals.map(({ zone, local }) => `${local.time} in ${zone}`).join(', ');
      if (outside.length === 0) return passes(ruleId, `Local time ${clocks}: inside ${from}–${until}.`);
      let retryAt = 0;
      let retryZone: string | undefined;
      for (const { zone } of outside) {
        const next = nextLocalTime(at, from, zone);
        if (next > retryAt) [retryAt, retryZone] = [next, zone];
      }
      const several = context.zones.length > 1 ? ' in every one of the debtor\'s candidate zones' : '';
      return blocks(ruleId, `It is ${outside.map(({ zone, local }) => `${local.time} in ${zone}`).join(', ')}: contact is allowed only ${from}–${until} local time${several} (${source}).`, {
        retryAt,
        ...(retryZone === undefined ? {} : { zone: retryZone }),
      });
    },
  };
}

/** The local day `at` falls on in each zone, as instants: [start, end). */
export function localDays(at: number, zones: readonly string[]): { zone: string; start: number; end: number }[] {
  return zones.map((zone) => {
    const { date } = localDateTime(at, zone);
    return { zone, start: startOfLocalDay(date, zone), end: startOfLocalDay(addDays(date, 1), zone) };
  });
}

// Each step moves to where some rule may next allow; real cases settle in a handful, zones that never share a
// window would not settle at all.
const MAX_STEPS = 100;
const HORIZON_MS = 400 * DAY_MS;

/**
 * The earliest instant from `from` on at which none of `rules` blocks, following each blocking rule's `retryAt`
 * until they all agree; undefined when one cannot say (a block time does not lift) or nothing within the horizon.
 */
export function earliestAllowed(rules: readonly Rule[], context: RuleContext, from: number): { at: number; zone: string | undefined } | undefined {
  let at = from;
  let zone: string | undefined;
  for (let step = 0; step < MAX_STEPS && at - from <= HORIZON_MS; step += 1) {
    const blocking = rules.map((rule) => rule.judge(context, at)).filter((verdict): verdict is Verdict => verdict?.blocks === true);
    if (blocking.length === 0) return { at, zone };
    let next = at;
    for (const verdict of blocking) {
      if (verdict.retryAt === undefined || verdict.retryAt <= at) return undefined;
      if (verdict.retryAt > next) [next, zone] = [verdict.retryAt, verdict.zone ?? zone];
    }
    at = next;
  }
  return undefined;
}
