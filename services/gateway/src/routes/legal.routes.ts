import { legalEscalation } from '@arrears/contracts';
import { OVERSIGHT, type QueryParameter, type Route, type RouteRequest } from './route';

const tag = 'legal';
const service = 'legal-escalation' as const;
/** Escalations are read by the supervisors who send cases, the legal department that takes them, and auditors. */
const READERS = [...OVERSIGHT, 'legal'] as const;

const ESCALATION_FILTERS: readonly QueryParameter[] = [
  { name: 'requestedBy', type: 'string', description: 'Who requested it: a supervisor, or system:case-workflow' },
  { name: 'overdue', type: 'boolean', description: 'Only those whose 48 hours passed unacknowledged (true), or the others (false)' },
];

/** Instants default to the request's: the read models never read the clock. */
const asOfNow = (request: RouteRequest) => ({ asOf: request.now, ...request.query, ...request.params });

/**
 * Legal escalation: a supervisor's request, legal's acknowledgement and litigation status, verifying a package; the
 * handoffs with the time left to their 48-hour deadline, the handoff times, and the evidence packages to download.
 */
export const LEGAL_ROUTES: readonly Route[] = [
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/legal-escalation', command: legalEscalation.RequestLegalEscalation, roles: ['supervisor', 'admin'], tag, summary: 'Send the case to legal, with the reason', status: 201 },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/legal-escalation/acknowledgement', command: legalEscalation.AcknowledgeHandoff, roles: ['legal'], tag, summary: "Acknowledge receipt of the case's evidence package" },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/legal-escalation/litigation-status', command: legalEscalation.ReportLitigationStatus, roles: ['legal'], tag, summary: "Report the litigation's status: filed, hearing set, judgment, settled, withdrawn" },
  {
    kind: 'command',
    method: 'POST',
    path: '/api/legal/packages/:packageId/verification',
    command: legalEscalation.VerifyPackage,
    roles: ['legal', 'auditor'],
    tag,
    summary: "Verify a package: its signature, every item's hash, its events against the store's history",
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/accounts/:accountId/legal-escalation',
    service,
    query: 'Escalation',
    roles: READERS,
    tag,
    summary: "The case's latest handoff to legal, or the one numbered",
    parameters: [{ name: 'handoff', type: 'integer', description: 'The handoff number (default the latest)' }],
    params: (request) => ({ ...request.query, caseId: request.params['accountId'] }),
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/legal/escalations',
    service,
    query: 'Escalations',
    roles: READERS,
    tag,
    summary: 'Handoffs to legal, the oldest request first, each with its age and the time left to its 48-hour deadline',
    parameters: [
      { name: 'asOf', type: 'date-time', description: 'The instant asked about (default now)' },
      { name: 'inFlight', type: 'boolean', description: 'Only those whose 48-hour deadline still runs (true), or the others (false)' },
      { name: 'status', type: 'string', description: 'One status (now): requested, evidence-fixed, delivered, acknowledged, litigating, closed or refused' },
      ...ESCALATION_FILTERS,
      { name: 'creditorId', type: 'string', description: "The case's creditor" },
      { name: 'jurisdiction', type: 'string', description: "The debtor's: a country (US, also matching US-IL) or one jurisdiction" },
      { name: 'limit', type: 'integer', description: 'Page size (1–200, default 50)' },
      { name: 'after', type: 'string', description: "Keyset paging: the previous page's nextAfter" },
    ],
    params: asOfNow,
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/legal/status-counts',
    service,
    query: 'EscalationStatusCounts',
    roles: READERS,
    tag,
    summary: 'How many handoffs are in each status, and how many of them are overdue',
    parameters: ESCALATION_FILTERS,
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/legal/handoff-times',
    service,
    query: 'HandoffTimes',
    roles: READERS,
    tag,
    summary: 'Hours from request to delivery and to acknowledgement (count, average, median, p90, within 48 hours)',
    parameters: [
      { name: 'from', type: 'date-time', description: 'Requested from, included', required: true },
      { name: 'to', type: 'date-time', description: 'Requested until, excluded', required: true },
      { name: 'requestedBy', type: 'string', description: 'Who requested them' },
    ],
  },
  { kind: 'query', method: 'GET', path: '/api/legal/packages/:packageId', service, query: 'EvidencePackage', roles: ['legal'], tag, summary: "An evidence package: its manifest, signature, and every file's size and SHA-256" },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/legal/packages/:packageId/files/:name',
    service,
    query: 'EvidencePackageFile',
    roles: ['legal'],
    tag,
    summary: "One file of a package (summary.pdf, events.jsonl, manifest.json…): its bytes in base64, with its content type and SHA-256",
    parameters: [
      { name: 'offset', type: 'integer', description: 'The first byte (default 0): a file over 512 KiB comes in parts, each naming the next offset' },
      { name: 'length', type: 'integer', description: 'At most this many bytes (1–524288, default 524288)' },
    ],
  },
];
