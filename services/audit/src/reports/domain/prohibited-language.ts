import { contactAttempts } from '@arrears/contracts';
import { compareText, csvDocument } from './csv';
import { historyOf, type ReportInput } from './history';
import { checkPeriod, inPeriod, utc, type Period } from './period';

export const LANGUAGE_SOURCES = ['message', 'notes', 'script', 'transcript'] as const;
export type LanguageSource = (typeof LANGUAGE_SOURCES)[number];
type Category = (typeof contactAttempts.LANGUAGE_CATEGORIES)[number];

/** One detection: a ProhibitedLanguageDetected, or a ScriptRejected (a script refused for its language). */
export interface LanguageDetection {
  readonly eventId: string;
  readonly type: 'ProhibitedLanguageDetected' | 'ScriptRejected';
  readonly occurredAtUtc: string;
  readonly source: LanguageSource;
  readonly accountId: string | null;
  readonly debtorId: string | null;
  readonly contactId: string | null;
  readonly scriptId: string | null;
  /** The operator who wrote or said it (the script's editor for a script). */
  readonly operatorId: string;
  readonly actorRole: string;
  readonly hits: readonly { readonly ruleId: string; readonly category: Category; readonly term: string }[];
}

interface Counts {
  readonly hits: number;
  /** Events with at least one hit of it. */
  readonly detections: number;
}

export interface ProhibitedLanguageReport {
  readonly period: { readonly from: string; readonly to: string };
  readonly detections: number;
  readonly hits: number;
  /** Every category of the contracts' list, in its order, with or without hits. */
  readonly byCategory: readonly ({ readonly category: Category } & Counts)[];
  /** Every source: message (an SMS or email asked for), notes, script, transcript. */
  readonly bySource: readonly ({ readonly source: LanguageSource } & Counts)[];
  /** Only the pairs with hits, by category then source. */
  readonly byCategoryAndSource: readonly ({ readonly category: Category; readonly source: LanguageSource } & Counts)[];
  /** Per rule id (the list entry), by id. */
  readonly byRule: readonly ({ readonly ruleId: string; readonly category: Category } & Counts)[];
  /** Every detection in the period, in the history's order. */
  readonly events: readonly LanguageDetection[];
  readonly unreadableEvents: number;
}

/**
 * Prohibited-language hits: every ProhibitedLanguageDetected (messages, notes, transcripts) and every ScriptRejected
 * (scripts refused for their language) recorded in the period (the event's `occurredAt`), counted by category (the
 * lists), by where it was found, and by rule, with the events themselves.
 */
export function prohibitedLanguageReport(input: ReportInput, period: Period): ProhibitedLanguageReport {
  const checked = checkPeriod(period);
  const history = historyOf(input);
  const events: LanguageDetection[] = [];
  for (const item of history.events) {
    if (item.service !== 'contact-attempts' || !inPeriod(Date.parse(item.envelope.occurredAt), checked)) continue;
    const { envelope, event } = item;
    const common = { eventId: envelope.eventId, occurredAtUtc: utc(Date.parse(envelope.occurredAt)), actorRole: envelope.metadata.actorRole };
    if (event.type === 'ProhibitedLanguageDetected') {
      const { data } = event;
      events.push({
        ...common,
        type: event.type,
        source: data.source,
        accountId: data.accountId,
        debtorId: data.debtorId,
        contactId: data.contactId ?? null,
        scriptId: null,
        operatorId: data.operatorId,
        hits: data.hits,
      });
    } else if (event.type === 'ScriptRejected') {
      events.push({ ...common, type: event.type, source: 'script', accountId: null, debtorId: null, contactId: null, scriptId: event.data.scriptId, operatorId: envelope.metadata.actorId, hits: event.data.hits });
    }
  }
  const tally = <K extends string>(key: (event: LanguageDetection, hit: LanguageDetection['hits'][number]) => K | null) => {
    const counts = new Map<K, { hits: number; detections: number }>();
    for (const event of events) {
      const keys = new Set<K>();
      for (const hit of event.hits) {
        const name = key(event, hit);
        if (name === null) continue;
        const count = counts.get(name) ?? { hits: 0, detections: 0 };
        counts.set(name, { hits: count.hits + 1, detections: count.detections + (keys.has(name) ? 0 : 1) });
        keys.add(name);
      }
    }
    return (name: K): Counts => counts.get(name) ?? { hits: 0, detections: 0 };
  };
  const category = tally((_, hit) => hit.category);
  const source = tally((event) => event.source);
  const pair = tally((event, hit) => `${hit.category}\u0000${event.source}`);
  const rule = tally<string>((_, hit) => `${hit.ruleId}\u0000${hit.category}`);
  const pairs = contactAttempts.LANGUAGE_CATEGORIES.flatMap((c) => LANGUAGE_SOURCES.map((s) => ({ category: c, source: s, ...pair(`${c}\u0000${s}`) })));
  const rules = [...new Set(events.flatMap((event) => event.hits.map((hit) => `${hit.ruleId}\u0000${hit.category}`)))].sort(compareText);
  return {
    period: { from: checked.from, to: checked.to },
    detections: events.length,
    hits: events.reduce((sum, event) => sum + event.hits.length, 0),
    byCategory: contactAttempts.LANGUAGE_CATEGORIES.map((c) => ({ category: c, ...category(c) })),
    bySource: LANGUAGE_SOURCES.map((s) => ({ source: s, ...source(s) })),
    byCategoryAndSource: pairs.filter((row) => row.hits > 0),
    byRule: rules.map((key) => {
      const [ruleId = '', cat = ''] = key.split('\u0000');
      return { ruleId, category: cat as Category, ...rule(key) };
    }),
    events,
    unreadableEvents: history.unreadable.length,
  };
}

export const PROHIBITED_LANGUAGE_CSV_COLUMNS = [
  'section',
  'category',
  'source',
  'rule_id',
  'hits',
  'detections',
  'term',
  'event_id',
  'event_type',
  'occurred_at_utc',
  'account_id',
  'debtor_id',
  'contact_id',
  'script_id',
  'operator_id',
  'actor_role',
] as const;

/** Sections (first column): `category`, `source`, `category-source`, `rule` (counts), then `hit` (one row per hit, by event then text order). */
export function prohibitedLanguageCsv(report: ProhibitedLanguageReport): string {
  const counts = (section: string, category: string | null, source: string | null, ruleId: string | null, c: Counts) =>
    [section, category, source, ruleId, c.hits, c.detections, null, null, null, null, null, null, null, null, null, null];
  return csvDocument(PROHIBITED_LANGUAGE_CSV_COLUMNS, [
    ...report.byCategory.map((row) => counts('category', row.category, null, null, row)),
    ...report.bySource.map((row) => counts('source', null, row.source, null, row)),
    ...report.byCategoryAndSource.map((row) => counts('category-source', row.category, row.source, null, row)),
    ...report.byRule.map((row) => counts('rule', row.category, null, row.ruleId, row)),
    ...report.events.flatMap((e) =>
      e.hits.map((hit) => ['hit', hit.category, e.source, hit.ruleId, null, null, hit.term, e.eventId, e.type, e.occurredAtUtc, e.accountId, e.debtorId, e.contactId, e.scriptId, e.operatorId, e.actorRole]),
    ),
  ]);
}

