import type { contactAttempts } from '@arrears/contracts';
import { checkConfig, DEFAULT_REPORT_CONFIG, type ReportConfig } from './config';
import { byIntendedTime, decisions } from './contacts';
import { compareText, csvDocument } from './csv';
import { historyOf, type ReportInput } from './history';
import { checkPeriod, inPeriod, utc, type Period } from './period';

/** A blocked decision kept as an example of one of its rules. */
export interface BlockedExample {
  readonly ruleId: string;
  readonly rulePack: string;
  readonly contactId: string;
  readonly eventId: string;
  readonly accountId: string;
  readonly debtorId: string;
  readonly operatorId: string;
  readonly channel: contactAttempts.Channel;
  readonly intendedAtUtc: string;
  /** The rule's own message, as the engine wrote it. */
  readonly message: string;
  readonly counted: number | null;
  readonly limit: number | null;
  readonly nextAllowedAt: string | null;
}

export interface BlockedAttemptsReport {
  readonly period: { readonly from: string; readonly to: string };
  /** Decisions intended in the period. */
  readonly allowed: number;
  readonly blocked: number;
  /** Blocked decisions per rule id in their reasons (a decision blocked by two rules counts for each): most first, then by id. */
  readonly byRule: readonly { readonly ruleId: string; readonly blocked: number }[];
  /** Blocked decisions per pack. */
  readonly byPack: readonly { readonly rulePack: string; readonly blocked: number }[];
  /** Per pack and rule: by pack, then most first, then by rule id. */
  readonly byPackAndRule: readonly { readonly rulePack: string; readonly ruleId: string; readonly blocked: number }[];
  /** The earliest `examplesPerRule` blocked decisions of each rule, by rule id, then intended time. */
  readonly examples: readonly BlockedExample[];
  readonly unreadableEvents: number;
}

/**
 * Blocked attempts by rule: every ContactBlocked intended in the period (each decision, so a contact refused twice
 * counts twice — each refusal was a request somebody made), counted under every rule id of its reasons (a blocked
 * decision lists only the rules that block), per pack as well, with examples.
 */
export function blockedAttemptsReport(input: ReportInput, period: Period, config: ReportConfig = DEFAULT_REPORT_CONFIG): BlockedAttemptsReport {
  const checked = checkPeriod(period);
  checkConfig(config);
  const history = historyOf(input);
  const inRange = decisions(history)
    .filter((decision) => inPeriod(decision.intendedMs, checked))
    .sort(byIntendedTime);
  const blocked = inRange.filter((decision) => !decision.allowed);
  const byRule = new Map<string, number>();
  const byPack = new Map<string, number>();
  const byPackAndRule = new Map<string, { rulePack: string; ruleId: string; blocked: number }>();
  const examples = new Map<string, BlockedExample[]>();
  for (const decision of blocked) {
    byPack.set(decision.rulePack, (byPack.get(decision.rulePack) ?? 0) + 1);
    // A rule named twice in one decision is still one decision blocked by it.
    const seen = new Set<string>();
    for (const reason of decision.reasons) {
      if (seen.has(reason.ruleId)) continue;
      seen.add(reason.ruleId);
      byRule.set(reason.ruleId, (byRule.get(reason.ruleId) ?? 0) + 1);
      const key = `${decision.rulePack}\u0000${reason.ruleId}`;
      const row = byPackAndRule.get(key) ?? { rulePack: decision.rulePack, ruleId: reason.ruleId, blocked: 0 };
      byPackAndRule.set(key, { ...row, blocked: row.blocked + 1 });
      const kept = examples.get(reason.ruleId) ?? [];
      if (kept.length < config.examplesPerRule) {
        kept.push({
          ruleId: reason.ruleId,
          rulePack: decision.rulePack,
          contactId: decision.contactId,
          eventId: decision.eventId,
          accountId: decision.accountId,
          debtorId: decision.debtorId,
          operatorId: decision.operatorId,
          channel: decision.channel,
          intendedAtUtc: utc(decision.intendedMs),
          message: reason.message,
          counted: reason.counted ?? null,
          limit: reason.limit ?? null,
          nextAllowedAt: reason.nextAllowedAt ?? null,
        });
        examples.set(reason.ruleId, kept);
      }
    }
  }
  const mostFirst = (a: { blocked: number }, b: { blocked: number }) => b.blocked - a.blocked;
  return {
    period: { from: checked.from, to: checked.to },
    allowed: inRange.length - blocked.length,
    blocked: blocked.length,
    byRule: [...byRule].map(([ruleId, count]) => ({ ruleId, blocked: count })).sort((a, b) => mostFirst(a, b) || compareText(a.ruleId, b.ruleId)),
    byPack: [...byPack].map(([rulePack, count]) => ({ rulePack, blocked: count })).sort((a, b) => compareText(a.rulePack, b.rulePack)),
    byPackAndRule: [...byPackAndRule.values()].sort((a, b) => compareText(a.rulePack, b.rulePack) || mostFirst(a, b) || compareText(a.ruleId, b.ruleId)),
    examples: [...examples.keys()].sort(compareText).flatMap((ruleId) => examples.get(ruleId) ?? []),
    unreadableEvents: history.unreadable.length,
  };
}

export const BLOCKED_ATTEMPTS_CSV_COLUMNS = [
  'section',
  'rule_pack',
  'rule_id',
  'blocked',
  'contact_id',
  'account_id',
  'debtor_id',
  'operator_id',
  'channel',
  'intended_at_utc',
  'counted',
  'limit',
  'next_allowed_at',
  'message',
  'event_id',
] as const;

/**
 * One table in sections (first column): `rule` (every pack), `pack` (every rule), `pack-rule`, `example`. A section's
 * columns that do not apply are empty.
 */
export function blockedAttemptsCsv(report: BlockedAttemptsReport): string {
  const counts = (section: string, rulePack: string | null, ruleId: string | null, blocked: number) => [section, rulePack, ruleId, blocked, null, null, null, null, null, null, null, null, null, null, null];
  return csvDocument(BLOCKED_ATTEMPTS_CSV_COLUMNS, [
    ...report.byRule.map((row) => counts('rule', null, row.ruleId, row.blocked)),
    ...report.byPack.map((row) => counts('pack', row.rulePack, null, row.blocked)),
    ...report.byPackAndRule.map((row) => counts('pack-rule', row.rulePack, row.ruleId, row.blocked)),
    ...report.examples.map((e) => [
      'example',
      e.rulePack,
      e.ruleId,
      null,
      e.contactId,
      e.accountId,
      e.debtorId,
      e.operatorId,
      e.channel,
      e.intendedAtUtc,
      e.counted,
      e.limit,
      e.nextAllowedAt,
      e.message,
      e.eventId,
    ]),
  ]);
}
