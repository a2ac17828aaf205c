import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { CN_POST_LOAN_RULES } from './cn-post-loan';
import { HOLD_RULES } from './holds';
import { formatInstant, isValidTimeZone, parseInstant, timeOfDayMs } from './local-time';
import { MESSAGE_RULES } from './messages';
import { PREFERENCE_RULES } from './preferences';
import { REG_F_RULES } from './reg-f';
import { earliestAllowed, type PastAttempt, type Rule, type RuleContext, type Verdict } from './rules';
import {
  CONVERSATION_OUTCOMES,
  type ComplianceConfig,
  type ComplianceReason,
  type ContactDecision,
  type ContactHistory,
  type ContactProfile,
  type ContactRequest,
  type RulePackId,
} from './types';

const PACK_RULES: Readonly<Record<RulePackId, readonly Rule[]>> = { 'reg-f': REG_F_RULES, 'cn-post-loan': CN_POST_LOAN_RULES };
const PACK_NAMES: Readonly<Record<RulePackId, string>> = { 'reg-f': 'US Regulation F', 'cn-post-loan': 'China post-loan collection' };
const UNIVERSAL_RULES: readonly Rule[] = [...HOLD_RULES, ...PREFERENCE_RULES, ...MESSAGE_RULES];

const MAX_MESSAGE = 1_000;

/**
 * Whether an outbound contact may happen, judged before it does: every rule that blocks it, each with when it
 * would next allow, and the earliest instant they all would. Pure: `request.intendedAt` is the only time it knows.
 * Malformed input (an instant without an offset, an unknown time zone) is refused with VALIDATION_FAILED.
 */
export function decideContact(request: ContactRequest, profile: ContactProfile, history: ContactHistory, config: ComplianceConfig): ContactDecision {
  const intendedAt = instant(request.intendedAt, 'request.intendedAt');
  checkProfile(profile);
  const jurisdiction = profile.jurisdiction.toUpperCase();
  const matched = rulePackFor(jurisdiction, config);
  const pack = matched ?? (config.unmatchedJurisdiction === 'block' ? undefined : config.unmatchedJurisdiction);
  const listed = profile.candidateTimeZones.length === 0 ? timeZonesFor(jurisdiction, config) : undefined;
  const zones = listed ?? profile.candidateTimeZones;
  const context: RuleContext = { request, purpose: request.purpose ?? 'collection', profile: { ...profile, jurisdiction }, history: pastAttempts(history), config, zones };
  const rules = [...UNIVERSAL_RULES, ...(pack === undefined ? [] : PACK_RULES[pack])];
  const judged: Judged[] = [];
  if (pack === undefined) {
    const message = `No rule pack is configured for jurisdiction ${jurisdiction}: contact is refused until one is (rulePacks in the compliance configuration).`;
    judged.push({ rule: undefined, verdict: { ruleId: 'jurisdiction.unknown', blocks: true, message } });
  }
  for (const rule of rules) {
    const verdict = rule.judge(context, intendedAt);
    if (verdict !== undefined) judged.push({ rule, verdict });
  }
  const decided = { rulePack: pack ?? ('none' as const), jurisdiction, timeZones: zones };
  const blocking = onePerRule(judged.filter(({ verdict }) => verdict.blocks));
  if (blocking.length > 0 || pack === undefined) return { allowed: false, ...whenAllowed(blocking, rules, context, intendedAt), ...decided };

  const packNote = matched === undefined ? `${pack} (no pack is configured for ${jurisdiction}; this is the default)` : pack;
  const zoneNote = listed === undefined ? "the debtor's" : `every zone listed for ${jurisdiction}, as the debtor's is unknown`;
  const checked: ComplianceReason[] = [
    { ruleId: 'info.rule-pack', message: `Judged under ${packNote}, ${PACK_NAMES[pack]}, for jurisdiction ${jurisdiction}.` },
    { ruleId: 'info.time-zones', message: `Local time judged in ${zones.join(', ')} (${zoneNote}).` },
    ...judged.map(({ verdict }) => reason(verdict, undefined)),
  ];
  return { allowed: true, reasons: checked, ...decided };
}

/** The blocking reasons, each with when its rule alone would allow, and the earliest instant all the rules would. */
function whenAllowed(blocking: readonly Judged[], rules: readonly Rule[], context: RuleContext, intendedAt: number): Pick<ContactDecision, 'reasons' | 'nextAllowedAt'> {
  const reasons = blocking.map(({ rule, verdict }) => {
    if (rule === undefined || verdict.retryAt === undefined) return reason(verdict, undefined);
    const next = earliestAllowed([rule], context, intendedAt);
    if (next === undefined) return reason({ ...verdict, message: `${verdict.message} It found no time at which it would allow: are there candidate zones with no common window?` }, undefined);
    return reason(verdict, { at: next.at, zone: next.zone ?? verdict.zone ?? context.zones[0] });
  });
  // Time settles it only if every blocking rule is one that time lifts; then every time rule must agree at once.
  const onlyTime = blocking.every(({ rule, verdict }) => rule?.timeBased === true && verdict.retryAt !== undefined);
  const next = onlyTime ? earliestAllowed(rules.filter((rule) => rule.timeBased), context, intendedAt) : undefined;
  return { reasons, ...(next === undefined ? {} : { nextAllowedAt: formatInstant(next.at, next.zone ?? context.zones[0]) }) };
}

interface Judged {
  /** Undefined for what the engine itself refuses (no rule pack). */
  readonly rule: Rule | undefined;
  readonly verdict: Verdict;
}

function reason(verdict: Verdict, next: { at: number; zone: string | undefined } | undefined): ComplianceReason {
  const nextAllowedAt = next === undefined ? undefined : formatInstant(next.at, next.zone);
  const after = nextAllowedAt === undefined ? '' : ` Allowed again from ${nextAllowedAt}${next?.zone === undefined ? '' : ` (${next.zone})`}.`;
  const message = verdict.message.length + after.length > MAX_MESSAGE ? `${verdict.message.slice(0, MAX_MESSAGE - after.length - 1)}…${after}` : verdict.message + after;
  return {
    ruleId: verdict.ruleId,
    message,
    ...(verdict.counted === undefined ? {} : { counted: verdict.counted }),
    ...(verdict.limit === undefined ? {} : { limit: verdict.limit }),
    ...(nextAllowedAt === undefined ? {} : { nextAllowedAt }),
  };
}

/** Several rules that need a zone nobody knows say so once. */
function onePerRule(items: readonly Judged[]): Judged[] {
  const seen = new Set<string>();
  return items.filter(({ verdict }) => {
    if (seen.has(verdict.ruleId)) return false;
    seen.add(verdict.ruleId);
    return true;
  });
}

/** The exact key, else the longest `XX*` key whose country the jurisdiction is or is in. */
export function rulePackFor(jurisdiction: string, config: Pick<ComplianceConfig, 'rulePacks'>): RulePackId | undefined {
  const exact = config.rulePacks[jurisdiction];
  if (exact !== undefined) return exact;
  const wildcard = Object.keys(config.rulePacks)
    .filter((key) => key.endsWith('*') && (jurisdiction === key.slice(0, -1) || jurisdiction.startsWith(`${key.slice(0, -1)}-`)))
    .sort((a, b) => b.length - a.length)[0];
  return wildcard === undefined ? undefined : config.rulePacks[wildcard];
}

/** The zones listed for the jurisdiction, else for its country; undefined when neither is listed. */
export function timeZonesFor(jurisdiction: string, config: Pick<ComplianceConfig, 'jurisdictionTimeZones'>): readonly string[] | undefined {
  return config.jurisdictionTimeZones[jurisdiction] ?? config.jurisdictionTimeZones[jurisdiction.split('-')[0] ?? ''];
}

function pastAttempts(history: ContactHistory): PastAttempt[] {
  return history
    .map((past, index) => ({
      ...past,
      atMs: instant(past.at, `history[${index}].at`),
      isConversation: past.conversation ?? (past.outcome === undefined ? past.connected : CONVERSATION_OUTCOMES.includes(past.outcome)),
    }))
    .filter((past) => past.allowed)
    .sort((a, b) => a.atMs - b.atMs);
}

function instant(iso: string, field: string): number {
  const parsed = parseInstant(iso);
  if (parsed === undefined) throw invalid(`${field} must be an ISO-8601 instant with an offset (2026-03-02T08:00:00-05:00), not ${JSON.stringify(iso)}`, field);
  return parsed;
}

const JURISDICTION = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;
const LOCAL_DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

function checkProfile(profile: ContactProfile): void {
  if (!JURISDICTION.test(profile.jurisdiction.toUpperCase())) {
    throw invalid(`profile.jurisdiction must be an ISO 3166 code (US, US-CA, CN), not ${JSON.stringify(profile.jurisdiction)}`, 'profile.jurisdiction');
  }
  profile.candidateTimeZones.forEach((zone, index) => {
    if (!isValidTimeZone(zone)) throw invalid(`profile.candidateTimeZones[${index}]: ${JSON.stringify(zone)} is not an IANA time zone`, `profile.candidateTimeZones[${index}]`);
  });
  const endsOn = profile.flags.breathingSpace?.endsOn;
  if (endsOn !== undefined && !LOCAL_DATE.test(endsOn)) {
    throw invalid(`profile.flags.breathingSpace.endsOn must be a date YYYY-MM-DD, not ${JSON.stringify(endsOn)}`, 'profile.flags.breathingSpace.endsOn');
  }
  profile.preferences.inconvenientTimes.forEach((range, index) => {
    for (const end of ['from', 'to'] as const) {
      try {
        timeOfDayMs(range[end]);
      } catch {
        const field = `profile.preferences.inconvenientTimes[${index}].${end}`;
        throw invalid(`${field} must be a local time HH:MM, not ${JSON.stringify(range[end])}`, field);
      }
    }
  });
}

function invalid(message: string, field: string): ArrearsError {
  return new ArrearsError(ErrorCode.VALIDATION_FAILED, message, { field });
}
