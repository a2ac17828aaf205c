import { checkConfig, DEFAULT_REPORT_CONFIG, limitsOf, type ReportConfig } from './config';
import { byIntendedTime, contacts, type Contact, type Decision } from './contacts';
import { compareText, csvDocument } from './csv';
import { historyOf, type ReportInput } from './history';
import { localClock } from './local-time';
import { checkPeriod, DAY_MS, inPeriod, utc, type CheckedPeriod, type Period } from './period';

export const CAP_RULES = ['reg-f.call-frequency', 'reg-f.post-conversation', 'cn.connected-calls', 'cn.unanswered-per-number'] as const;
export type CapRule = (typeof CAP_RULES)[number];

/** An allowed call beyond a cap: the call, the rule, what was counted against what limit, and over which span. */
export interface CapBreach {
  readonly rule: CapRule;
  readonly rulePack: string;
  readonly debtorId: string;
  /** The debt: the Regulation F rules are per debt; the China caps per debtor (then the breaching call's account). */
  readonly accountId: string;
  readonly channel: 'call';
  /** `cn.unanswered-per-number`: the number's keyed hash; null for the other rules. */
  readonly targetKey: string | null;
  /** The call that went beyond the cap. */
  readonly contactId: string;
  readonly eventId: string;
  readonly operatorId: string;
  readonly intendedAtUtc: string;
  /** How many calls the span holds with this one (null for the post-conversation quiet). */
  readonly counted: number | null;
  readonly limit: number | null;
  /**
   * The span judged: the 7 × 24 h ending at the call (start excluded); the quiet after the conversation (end excluded);
   * for the China caps, from the day's first counted call to this one (the day is `localDate` in `timeZone`).
   */
  readonly spanFrom: string;
  readonly spanTo: string;
  /** The China caps: the zone whose local day it is, and the day. */
  readonly timeZone: string | null;
  readonly localDate: string | null;
  /** The calls counted in the span (for the post-conversation quiet: the conversation), by intended time. */
  readonly contactIds: readonly string[];
}

/** A call the China caps could not be checked for in one zone: the zone is unknown to this platform. */
export interface CapUnverifiable {
  readonly contactId: string;
  readonly debtorId: string;
  readonly timeZone: string;
  readonly intendedAtUtc: string;
}

export interface FrequencyCapReport {
  readonly period: { readonly from: string; readonly to: string };
  /** Allowed calls intended in the period. */
  readonly calls: number;
  /** Breaches per rule, every rule listed: **each must be 0**. */
  readonly byRule: readonly { readonly rule: CapRule; readonly breaches: number }[];
  /** By intended time, then rule. */
  readonly breaches: readonly CapBreach[];
  readonly unverifiable: readonly CapUnverifiable[];
  readonly unreadableEvents: number;
}

/**
 * Frequency-cap breaches, re-checked from the calls themselves against the configured numbers, mirroring what the
 * engine enforces (docs/compliance.md, "Rules") and what its property tests promise:
 * - `reg-f.call-frequency`: at most `callsPerDebt.limit` allowed calls about one debt in any rolling `windowDays` × 24 h
 *   — every allowed call counts, answered or not, to any number; the window ending at a call excludes its start, so a
 *   call exactly 7 × 24 h after another is not in its window. Each call whose window holds more is a breach.
 * - `reg-f.post-conversation`: no allowed call about a debt within `quietAfterConversationDays` × 24 h after a call
 *   about it whose recorded outcome was a conversation.
 * - `cn.connected-calls`: at most `connectedCallsPerDebtorPerDay` connected calls with one debtor (any debt) on one
 *   local day, in each zone the call was judged in; each connected call beyond is a breach.
 * - `cn.unanswered-per-number`: at most `unansweredCallsPerNumberPerDay` unanswered calls (not connected, or no outcome
 *   yet) to one number on one local day; each beyond is a breach.
 * A call is judged under the pack its own decision names; the calls before it count whatever their pack, and calls
 * before the period count towards its first windows. Contacts are taken as they stand (latest decision, latest
 * outcome), so an outcome recorded after the period still says whether a call in it was a conversation.
 */
export function frequencyCapReport(input: ReportInput, period: Period, config: ReportConfig = DEFAULT_REPORT_CONFIG): FrequencyCapReport {
  const checked = checkPeriod(period);
  checkConfig(config);
  const history = historyOf(input);
  const calls = contacts(history)
    .filter((contact) => contact.decision.allowed && contact.decision.channel === 'call')
    .sort((a, b) => byIntendedTime(a.decision, b.decision));
  const breaches: CapBreach[] = [];
  const unverifiable: CapUnverifiable[] = [];
  for (const group of groupBy(calls, (call) => call.decision.accountId).values()) {
    breaches.push(...callFrequency(group, checked, config), ...postConversation(group, checked, config));
  }
  for (const group of groupBy(calls, (call) => call.decision.debtorId).values()) {
    breaches.push(...chinaDailyCaps(group, checked, config, unverifiable));
  }
  breaches.sort(
    (a, b) =>
      compareText(a.intendedAtUtc, b.intendedAtUtc) ||
      CAP_RULES.indexOf(a.rule) - CAP_RULES.indexOf(b.rule) ||
      compareText(a.eventId, b.eventId) ||
      compareText(a.timeZone ?? '', b.timeZone ?? ''),
  );
  unverifiable.sort((a, b) => compareText(a.intendedAtUtc, b.intendedAtUtc) || compareText(a.contactId, b.contactId) || compareText(a.timeZone, b.timeZone));
  return {
    period: { from: checked.from, to: checked.to },
    calls: calls.filter((call) => inPeriod(call.decision.intendedMs, checked)).length,
    byRule: CAP_RULES.map((rule) => ({ rule, breaches: breaches.filter((breach) => breach.rule === rule).length })),
    breaches,
    unverifiable,
    unreadableEvents: history.unreadable.length,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [item]);
    else group.push(item);
  }
  return groups;
}

function breachOf(rule: CapRule, call: Decision, extra: Pick<CapBreach, 'counted' | 'limit' | 'spanFrom' | 'spanTo' | 'contactIds'> & Partial<CapBreach>): CapBreach {
  return {
    rule,
    rulePack: call.rulePack,
    debtorId: call.debtorId,
    accountId: call.accountId,
    channel: 'call',
    targetKey: null,
    contactId: call.contactId,
    eventId: call.eventId,
    operatorId: call.operatorId,
    intendedAtUtc: utc(call.intendedMs),
    timeZone: null,
    localDate: null,
    ...extra,
  };
}

/** One debt's calls, by intended time: each call in the period whose window (call − window, call] holds too many. */
function callFrequency(calls: readonly Contact[], period: CheckedPeriod, config: ReportConfig): CapBreach[] {
  const found: CapBreach[] = [];
  calls.forEach(({ decision: call }) => {
    const cap = limitsOf(config, call.rulePack)?.callsPerDebt;
    if (cap === undefined || !inPeriod(call.intendedMs, period)) return;
    const start = call.intendedMs - cap.windowDays * DAY_MS;
    // Calls at the same instant, decided later, share the window: an instant holds them all.
    const inWindow = calls.filter(({ decision }) => decision.intendedMs > start && decision.intendedMs <= call.intendedMs && (decision.intendedMs < call.intendedMs || decision.order <= call.order));
    if (inWindow.length <= cap.limit) return;
    found.push(
      breachOf('reg-f.call-frequency', call, {
        counted: inWindow.length,
        limit: cap.limit,
        spanFrom: utc(start),
        spanTo: utc(call.intendedMs),
        contactIds: inWindow.map(({ decision }) => decision.contactId),
      }),
    );
  });
  return found;
}

/** One debt's calls: each call in the period within the quiet after an earlier (or simultaneous) conversation. */
function postConversation(calls: readonly Contact[], period: CheckedPeriod, config: ReportConfig): CapBreach[] {
  const conversations = calls.filter(({ outcome }) => outcome?.conversation === true).map(({ decision }) => decision);
  const found: CapBreach[] = [];
  for (const { decision: call } of calls) {
    const days = limitsOf(config, call.rulePack)?.quietAfterConversationDays;
    if (days === undefined || !inPeriod(call.intendedMs, period)) continue;
    const quiet = days * DAY_MS;
    const within = conversations.filter((talk) => talk.contactId !== call.contactId && talk.intendedMs <= call.intendedMs && call.intendedMs < talk.intendedMs + quiet);
    const last = within[within.length - 1];
    if (last === undefined) continue;
    found.push(
      breachOf('reg-f.post-conversation', call, {
        counted: null,
        limit: null,
        spanFrom: utc(last.intendedMs),
        spanTo: utc(last.intendedMs + quiet),
        contactIds: [last.contactId],
      }),
    );
  }
  return found;
}

/** One debtor's calls: the China per-day caps, each zone's local day on its own. */
function chinaDailyCaps(calls: readonly Contact[], period: CheckedPeriod, config: ReportConfig, unverifiable: CapUnverifiable[]): CapBreach[] {
  const found: CapBreach[] = [];
  // Every call's local date is asked for once per zone, not once per call it is compared with.
  const dates = new Map<string, string | undefined>();
  const localDate = (decision: Decision, zone: string) => {
    const key = `${decision.eventId}\u0000${zone}`;
    if (!dates.has(key)) dates.set(key, localClock(decision.intendedMs, zone)?.date);
    return dates.get(key);
  };
  for (const { decision: call, outcome } of calls) {
    const limits = limitsOf(config, call.rulePack);
    const connectedCap = limits?.connectedCallsPerDebtorPerDay;
    const unansweredCap = limits?.unansweredCallsPerNumberPerDay;
    if ((connectedCap === undefined && unansweredCap === undefined) || !inPeriod(call.intendedMs, period)) continue;
    const connected = outcome?.connected === true;
    for (const zone of call.timeZones) {
      const date = localDate(call, zone);
      if (date === undefined) {
        unverifiable.push({ contactId: call.contactId, debtorId: call.debtorId, timeZone: zone, intendedAtUtc: utc(call.intendedMs) });
        continue;
      }
      const sameDay = calls.filter(({ decision }) => localDate(decision, zone) === date);
      const span = { timeZone: zone, localDate: date };
      const upTo = (list: readonly Contact[]) => list.slice(0, list.findIndex(({ decision }) => decision.contactId === call.contactId) + 1);
      if (connectedCap !== undefined && connected) {
        const counted = upTo(sameDay.filter((contact) => contact.outcome?.connected === true));
        if (counted.length > connectedCap) found.push(dayBreach('cn.connected-calls', call, counted, connectedCap, { ...span, targetKey: null }));
      }
      if (unansweredCap !== undefined && !connected) {
        const counted = upTo(sameDay.filter((contact) => contact.outcome?.connected !== true && contact.decision.targetKey === call.targetKey));
        if (counted.length > unansweredCap) found.push(dayBreach('cn.unanswered-per-number', call, counted, unansweredCap, { ...span, targetKey: call.targetKey }));
      }
    }
  }
  return found;
}

function dayBreach(
  rule: CapRule,
  call: Decision,
  counted: readonly Contact[],
  limit: number,
  span: { timeZone: string; localDate: string; targetKey: string | null },
): CapBreach {
  return breachOf(rule, call, {
    counted: counted.length,
    limit,
    spanFrom: utc(counted[0]?.decision.intendedMs ?? call.intendedMs),
    spanTo: utc(call.intendedMs),
    contactIds: counted.map(({ decision }) => decision.contactId),
    timeZone: span.timeZone,
    localDate: span.localDate,
    targetKey: span.targetKey,
  });
}

export const FREQUENCY_CAP_CSV_COLUMNS = [
  'rule',
  'rule_pack',
  'debtor_id',
  'account_id',
  'channel',
  'target_key',
  'contact_id',
  'operator_id',
  'intended_at_utc',
  'counted',
  'limit',
  'span_from',
  'span_to',
  'time_zone',
  'local_date',
  'contact_ids',
  'event_id',
] as const;

/** One row per breach, by intended time; the counted calls' ids joined by spaces. */
export function frequencyCapCsv(report: FrequencyCapReport): string {
  return csvDocument(
    FREQUENCY_CAP_CSV_COLUMNS,
    report.breaches.map((b) => [
      b.rule,
      b.rulePack,
      b.debtorId,
      b.accountId,
      b.channel,
      b.targetKey,
      b.contactId,
      b.operatorId,
      b.intendedAtUtc,
      b.counted,
      b.limit,
      b.spanFrom,
      b.spanTo,
      b.timeZone,
      b.localDate,
      b.contactIds.join(' '),
      b.eventId,
    ]),
  );
}
