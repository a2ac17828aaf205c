import type { KeyObject } from 'node:crypto';
import { ArrearsError, ErrorCode, IdSchema, InstantSchema, validationFailed, type EventEnvelope } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import type { QueryHandler } from '@arrears/messaging';
import { z } from 'zod';
import { allEvents, caseChanges, complianceReport, complianceReportCsv, exportText, REPORT_NAMES, timelineText, type OutputFormat, type ReportName } from './audit-operations';
import { verifyCase, verifyLedger, type AuditLedger } from './ledger';
import { caseStateAt, caseTimeline, snapshotJson } from './replay';
import { SharedJobs } from './shared-jobs';

/** The largest message a NATS server takes by default (`max_payload`). */
export const DEFAULT_MAX_ANSWER_BYTES = 1_048_576;

export interface AuditQueryOptions {
  /** Read from only (the service opens it on a read-only pool). */
  readonly ledger: AuditLedger;
  /** The event store the ledger records, compared by verification. */
  readonly store: EventStore;
  /** The Ed25519 public keys checkpoints may be signed with (`verificationKeysFromEnv()`). */
  readonly publicKeys: readonly KeyObject[];
  /** The largest answer the NATS connection carries (its server's `max_payload`); default 1 MiB. */
  readonly maxAnswerBytes?: number;
  /** The clock of `startedAt`/`finishedAt` on a ledger verification; default the real one. */
  readonly clock?: () => Date;
}

/** A file to download: the gateway sends `body` as the route's content type, `filename` as the attachment's name. */
export interface FileAnswer {
  readonly body: string;
  readonly filename: string;
}

const CaseId = IdSchema;
const Basis = z.enum(['recorded', 'occurred']).default('recorded');
const Offset = z.number().int().min(0).default(0);
const MaxProblems = z.number().int().min(1).max(1_000).default(100);
const Instant = InstantSchema;

const TimelineParams = z.object({ caseId: CaseId, offset: Offset, limit: z.number().int().min(1).max(5_000).default(500) });
const PageParams = z.object({ caseId: CaseId, offset: Offset, limit: z.number().int().min(1).optional() });
const AsOfParams = z.object({ caseId: CaseId, at: Instant, basis: Basis });
const DiffParams = z.object({ caseId: CaseId, from: Instant, to: Instant, basis: Basis });
const VerifyCaseParams = z.object({ caseId: CaseId, maxProblems: MaxProblems });
const VerifyLedgerParams = z.object({ requireComplete: z.boolean().default(false), maxProblems: MaxProblems });
const ReportParams = z.object({ report: z.enum(REPORT_NAMES as [ReportName, ...ReportName[]]), from: Instant, to: Instant });

/**
 * The auditor's reads over NATS (`<root>.qry.audit.<Query>`), the gateway's /api/audit/… (docs/gateway.md, "Audit"):
 * the same functions as `npm run arrears -- audit …` (audit-operations.ts), so the same answers and the same bytes.
 * Each validates its params and names the field; a case the ledger has no event of is NOT_FOUND. An answer larger
 * than a NATS message can carry is refused with VALIDATION_FAILED naming the parameter that makes it smaller (the
 * downloads and the timeline come in pages that join into the whole).
 *
 * Whole-ledger work — verification and the reports, which read every entry — runs one job at a time per instance, and
 * a request equal to one queued or running joins it rather than starting another: ten impatient auditors cost one
 * verification, and a request retried after the gateway's timeout finds the one still running.
 */
export function auditQueryHandlers(options: AuditQueryOptions): Record<string, QueryHandler> {
  const { ledger, store } = options;
  const maxBytes = (options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES) - 1_024;
  const clock = options.clock ?? (() => new Date());
  const ledgerWork = new SharedJobs();
  // A reply over the server's max_payload cannot be published at all (nats.js throws in `respond`, and the asker waits
  // for its timeout): refuse it here, saying how to ask for less.
  const fit = <Answer>(answer: Answer, field: string, advice: string): Answer => {
    const bytes = Buffer.byteLength(JSON.stringify({ ok: true, result: answer }));
    if (bytes > maxBytes) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `The answer would be ${bytes} bytes, more than the ${maxBytes} a query answer carries: ${advice}`, { field, details: { bytes, maxBytes } });
    }
    return answer;
  };
  const eventsOf = async (caseId: string): Promise<EventEnvelope[]> => {
    const events = await ledger.eventsOfCase(caseId);
    if (events.length === 0) throw new ArrearsError(ErrorCode.NOT_FOUND, `The audit ledger holds no event of case ${caseId}: no such case, or its events are not recorded yet`, { field: 'caseId' });
    return events;
  };
  const cli = (command: string) => `ask for it in pages (offset, limit), or run \`npm run arrears -- audit ${command}\``;
  const exportOf = async (params: Readonly<Record<string, unknown>>, format: OutputFormat): Promise<FileAnswer> => {
    const { caseId, offset, limit } = parse(PageParams, params);
    const body = exportText(await eventsOf(caseId), format, { offset, ...(limit === undefined ? {} : { limit }) });
    return fit(file(`case-${caseId}`, offset, limit, format, body), 'limit', cli(`export --case ${caseId}${format === 'csv' ? ' --format csv' : ''}`));
  };
  const reportParams = (params: Readonly<Record<string, unknown>>) => {
    const { report, from, to } = parse(ReportParams, params);
    if (Date.parse(to) <= Date.parse(from)) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `to (${to}) must be after from (${from}): the period includes from and excludes to`, { field: 'to' });
    return { report, period: { from, to }, advice: `ask for a shorter period, or run \`npm run arrears -- audit report ${report} --from ${from} --to ${to}\`` };
  };
  const reportOf = (report: ReportName, period: { readonly from: string; readonly to: string }) =>
    ledgerWork.run(`report:${report}:${period.from}:${period.to}`, async () => complianceReport(report, await allEvents(ledger), period));

  return {
    CaseTimeline: async (params) => {
      const { caseId, offset, limit } = parse(TimelineParams, params);
      const timeline = caseTimeline(await eventsOf(caseId));
      const entries = timeline.slice(offset, offset + limit);
      const next = offset + entries.length;
      return fit({ caseId, total: timeline.length, offset, entries, nextOffset: next < timeline.length ? next : null }, 'limit', 'ask for fewer entries a page');
    },

    CaseTimelineJsonl: async (params) => {
      const { caseId, offset, limit } = parse(PageParams, params);
      const timeline = caseTimeline(await eventsOf(caseId)).slice(offset, limit === undefined ? undefined : offset + limit);
      return fit(file(`case-${caseId}-timeline`, offset, limit, 'jsonl', timelineText(timeline, 'jsonl')), 'limit', cli(`replay ${caseId}`));
    },

    CaseStateAsOf: async (params) => {
      const { caseId, at, basis } = parse(AsOfParams, params);
      const snapshot = caseStateAt(await eventsOf(caseId), at, { basis });
      // Through its canonical JSON, as `audit as-of` prints it: keys sorted, nothing that JSON cannot hold.
      return fit(JSON.parse(snapshotJson(snapshot)) as unknown, 'caseId', `run \`npm run arrears -- audit as-of ${caseId} ${at}\``);
    },

    CaseDiff: async (params) => {
      const { caseId, from, to, basis } = parse(DiffParams, params);
      const changes = caseChanges(await eventsOf(caseId), from, to, basis);
      return fit({ caseId, from, to, basis, changes }, 'from', `ask about a shorter interval, or run \`npm run arrears -- audit diff ${caseId} ${from} ${to}\``);
    },

    VerifyCase: async (params) => {
      const { caseId, maxProblems } = parse(VerifyCaseParams, params);
      const report = await verifyCase({ ledger, caseId, store, maxProblems });
      if (report.entriesChecked === 0 && report.storeEventsChecked === 0 && report.behind === 0 && report.problemCount === 0) {
        throw new ArrearsError(ErrorCode.NOT_FOUND, `Neither the audit ledger nor the event store holds an event of case ${caseId}`, { field: 'caseId' });
      }
      return fit(report, 'maxProblems', 'list fewer problems');
    },

    VerifyLedger: async (params) => {
      const { requireComplete, maxProblems } = parse(VerifyLedgerParams, params);
      const report = await ledgerWork.run(`verify:${requireComplete}:${maxProblems}`, async () => {
        const startedAt = clock().toISOString();
        const verified = await verifyLedger({ ledger, store, publicKeys: options.publicKeys, requireComplete, maxProblems });
        return { ...verified, startedAt, finishedAt: clock().toISOString() };
      });
      return fit(report, 'maxProblems', 'list fewer problems');
    },

    CaseExportJsonl: (params) => exportOf(params, 'jsonl'),

    CaseExportCsv: (params) => exportOf(params, 'csv'),

    AuditReport: async (params) => {
      const { report, period, advice } = reportParams(params);
      return fit(await reportOf(report, period), 'from', advice);
    },

    AuditReportCsv: async (params) => {
      const { report, period, advice } = reportParams(params);
      return fit({ body: complianceReportCsv(report, await reportOf(report, period)), filename: `${report}-${period.from}-${period.to}.csv` } satisfies FileAnswer, 'from', advice);
    },
  };
}

function parse<Schema extends z.ZodType>(schema: Schema, params: unknown): z.output<Schema> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw validationFailed(parsed.error);
  return parsed.data;
}

function file(name: string, offset: number, limit: number | undefined, extension: string, body: string): FileAnswer {
  const range = offset === 0 && limit === undefined ? '' : `-${offset}-${limit === undefined ? 'end' : offset + limit}`;
  return { body, filename: `${name}${range}.${extension}` };
}
