import type { EventEnvelope } from '@arrears/contracts';
import type { AuditLedger } from './ledger';
import { caseStateAt, caseTimeline, diffSnapshots, timelineCsv, toJsonl, type AsOfBasis, type Change, type TimelineEntry } from './replay';
import * as reports from './reports';

/*
 * What the command line (audit-cli.ts) and the query handlers (audit-queries.ts) both do with the ledger's events, so
 * that `npm run arrears -- audit …` and the gateway's /api/audit/… give the same answers and the same bytes.
 */

export type OutputFormat = 'jsonl' | 'csv';

export const REPORTS = {
  'quiet-hours': [reports.quietHoursReport, reports.quietHoursCsv],
  'frequency-caps': [reports.frequencyCapReport, reports.frequencyCapCsv],
  'blocked-attempts': [reports.blockedAttemptsReport, reports.blockedAttemptsCsv],
  'prohibited-language': [reports.prohibitedLanguageReport, reports.prohibitedLanguageCsv],
  complaints: [reports.complaintsReport, reports.complaintsCsv],
  'operator-activity': [reports.operatorActivityReport, reports.operatorActivityCsv],
  'night-calls': [reports.nightCallsReport, reports.nightCallsCsv],
  'legal-handoffs': [reports.legalHandoffsReport, reports.legalHandoffsCsv],
} as const;
export type ReportName = keyof typeof REPORTS;
export const REPORT_NAMES = Object.keys(REPORTS) as readonly ReportName[];

/** Own names only: `toString` is no report. */
export function isReportName(name: string): name is ReportName {
  return Object.hasOwn(REPORTS, name);
}

type AnyReport = [(events: reports.ReportInput, period: reports.Period) => unknown, (result: unknown) => string];

/** A compliance report over events (the whole ledger's, for `from`/`to` to mean what they say), with the default configuration. */
export function complianceReport(name: ReportName, events: reports.ReportInput, period: reports.Period): unknown {
  return (REPORTS[name] as unknown as AnyReport)[0](events, period);
}

/** The report's CSV (RFC 4180), made from its result. */
export function complianceReportCsv(name: ReportName, result: unknown): string {
  return (REPORTS[name] as unknown as AnyReport)[1](result);
}

/** `audit replay`: the timeline as canonical JSON Lines, or as CSV. */
export function timelineText(timeline: readonly TimelineEntry[], format: OutputFormat): string {
  return format === 'csv' ? timelineCsv(timeline) : toJsonl(timeline);
}

/** A slice of an export: `offset` items skipped, at most `limit` (all when absent). */
export interface ExportPage {
  readonly offset?: number;
  readonly limit?: number;
}

/**
 * `audit export`: the events as the ledger stores them, one JSON envelope a line, or the case's timeline as CSV
 * (the same bytes as `audit replay --format csv`). A page holds the lines (CSV: the rows) from `offset`; only the page
 * at offset 0 has the CSV's header, so the pages joined in order are the whole export, byte for byte.
 */
export function exportText(events: readonly EventEnvelope[], format: OutputFormat, page: ExportPage = {}): string {
  const from = page.offset ?? 0;
  const to = page.limit === undefined ? undefined : from + page.limit;
  if (format === 'jsonl') return events.slice(from, to).map((event) => `${JSON.stringify(event)}\n`).join('');
  const csv = timelineCsv(caseTimeline(events).slice(from, to));
  // The header is the first row; no header cell holds a line break, so it ends at the first CRLF.
  return from === 0 ? csv : csv.slice(csv.indexOf('\r\n') + 2);
}

/** `audit diff`: what changed in the case's state from the instant `from` to the instant `to`. */
export function caseChanges(events: readonly EventEnvelope[], from: string, to: string, basis: AsOfBasis): Change[] {
  return diffSnapshots(caseStateAt(events, from, { basis }), caseStateAt(events, to, { basis }));
}

/** The changes as JSON Lines, as `audit diff` prints them. */
export function changesJsonl(changes: readonly Change[]): string {
  return changes.map((change) => `${JSON.stringify(change)}\n`).join('');
}

/** Every event in the ledger, in its order (what the reports and a whole export read). */
export async function allEvents(ledger: AuditLedger): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for (let afterSeq = 0; ; ) {
    const page = await ledger.entries({ afterSeq, limit: 5_000 });
    if (page.length === 0) return events;
    for (const entry of page) events.push(entry.event);
    afterSeq = page[page.length - 1]!.seq;
  }
}
