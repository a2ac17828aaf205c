import type { Role } from '@arrears/contracts';
import { OVERSIGHT, type QueryParameter, type QueryRoute } from './route';

const tag = 'audit';
const service = 'audit';
/** Replay, as-of, diff, verification and export: the auditors' tools (and the administrators'). */
const AUDITORS: readonly Role[] = ['auditor', 'admin'];

/** The compliance reports the audit service makes (services/audit/src/audit-operations.ts, `REPORTS`). */
const REPORT_NAMES = 'quiet-hours, frequency-caps, blocked-attempts, prohibited-language, complaints, operator-activity, night-calls, legal-handoffs';

const PAGE: readonly QueryParameter[] = [
  { name: 'offset', type: 'integer', description: 'Skip this many (default 0): the pages joined in order are the whole file' },
  { name: 'limit', type: 'integer', description: 'At most this many (default all); needed when the whole is larger than a query answer carries (1 MiB)' },
];
const BASIS: QueryParameter = { name: 'basis', type: 'string', description: 'recorded (default): what the platform had recorded by then; occurred: business time', enum: ['recorded', 'occurred'] };
const MAX_PROBLEMS: QueryParameter = { name: 'maxProblems', type: 'integer', description: 'How many problems to list, the first by seq (1–1000, default 100); all are counted' };
const PERIOD: readonly QueryParameter[] = [
  { name: 'from', type: 'date-time', description: 'The period’s start, included (an instant with an offset)', required: true },
  { name: 'to', type: 'date-time', description: 'The period’s end, excluded', required: true },
];

const query = (route: Omit<QueryRoute, 'kind' | 'method' | 'service' | 'tag'>): QueryRoute => ({ kind: 'query', method: 'GET', service, tag, ...route });

/**
 * The audit service's reads (services/audit/src/audit-queries.ts): a case's history replayed from the hash-chained
 * ledger, its state at any instant, what changed between two, verification, exports, and the compliance reports.
 * All are queries: auditing changes nothing. Whole-ledger verification and the reports read every entry, so they are
 * given long timeouts; the audit service runs one such job at a time and lets an equal request join a running one.
 */
export const AUDIT_ROUTES: readonly QueryRoute[] = [
  query({
    path: '/api/audit/cases/:caseId/timeline',
    query: 'CaseTimeline',
    roles: AUDITORS,
    summary: "A case's full history across every service, each decision with its reasons (JSON, in pages)",
    parameters: [
      { name: 'offset', type: 'integer', description: 'Skip this many entries (default 0); the answer’s nextOffset is the next page’s' },
      { name: 'limit', type: 'integer', description: 'Entries a page (1–5000, default 500)' },
    ],
  }),
  query({
    path: '/api/audit/cases/:caseId/timeline.jsonl',
    query: 'CaseTimelineJsonl',
    roles: AUDITORS,
    summary: 'The timeline as canonical JSON Lines: the bytes of `arrears audit replay <caseId>`',
    parameters: PAGE,
    produces: 'application/x-ndjson',
  }),
  query({
    path: '/api/audit/cases/:caseId/state',
    query: 'CaseStateAsOf',
    roles: AUDITORS,
    summary: "The case's state as of an instant (`arrears audit as-of`)",
    parameters: [{ name: 'at', type: 'date-time', description: 'The instant, with an offset', required: true }, BASIS],
  }),
  query({
    path: '/api/audit/cases/:caseId/changes',
    query: 'CaseDiff',
    roles: AUDITORS,
    summary: "What changed in the case's state between two instants (`arrears audit diff`)",
    parameters: [
      { name: 'from', type: 'date-time', description: 'The first instant', required: true },
      { name: 'to', type: 'date-time', description: 'The second instant', required: true },
      BASIS,
    ],
  }),
  query({
    path: '/api/audit/cases/:caseId/verification',
    query: 'VerifyCase',
    roles: AUDITORS,
    summary: "Verify one case: its chain, each entry's hash and global link, its history in the event store; the first bad entry named",
    parameters: [MAX_PROBLEMS],
    timeoutMs: 60_000,
  }),
  query({
    path: '/api/audit/cases/:caseId/export.jsonl',
    query: 'CaseExportJsonl',
    roles: AUDITORS,
    summary: "The case's events as the ledger stores them, one envelope a line: the bytes of `arrears audit export --case <caseId>`",
    parameters: PAGE,
    produces: 'application/x-ndjson',
  }),
  query({
    path: '/api/audit/cases/:caseId/export.csv',
    query: 'CaseExportCsv',
    roles: AUDITORS,
    summary: 'The case timeline as CSV (RFC 4180): the bytes of `arrears audit export --case <caseId> --format csv`',
    parameters: PAGE,
    produces: 'text/csv',
  }),
  query({
    path: '/api/audit/verification',
    query: 'VerifyLedger',
    roles: AUDITORS,
    summary: 'Verify the whole ledger: both chains, the signed checkpoints, every event against the event store (`arrears audit verify`); minutes on a large ledger',
    parameters: [{ name: 'requireComplete', type: 'boolean', description: 'Count store events the ledger has not recorded yet as missing (when its consumer is known to be caught up)' }, MAX_PROBLEMS],
    timeoutMs: 600_000,
  }),
  query({
    path: '/api/audit/reports/:report',
    query: 'AuditReport',
    roles: OVERSIGHT,
    summary: `A compliance report over a period (JSON): ${REPORT_NAMES}`,
    parameters: PERIOD,
    timeoutMs: 300_000,
  }),
  query({
    path: '/api/audit/reports/:report.csv',
    query: 'AuditReportCsv',
    roles: OVERSIGHT,
    summary: 'A compliance report over a period as CSV: the bytes of `arrears audit report <report> --from --to`',
    parameters: PERIOD,
    produces: 'text/csv',
    timeoutMs: 300_000,
  }),
];
