import { accounts, contactAttempts } from '@arrears/contracts';
import { OVERSIGHT, STAFF, type QueryParameter, type Route, type RouteRequest } from './route';

const tag = 'contacts';
const service = 'contact-attempts' as const;
const accountCase = { roles: ['collector'] as const, caseId: (request: RouteRequest) => request.params['accountId'] };
/** Who handles complaints: a complaint about how a debtor was contacted is not left to the collector who contacted them. */
const COMPLAINT_HANDLERS = ['supervisor', 'admin'] as const;

const DAYS: readonly QueryParameter[] = [
  { name: 'from', type: 'date', description: 'First calendar day (UTC), included', required: true },
  { name: 'to', type: 'date', description: 'Last calendar day (UTC), included', required: true },
];
/** The case's, from its placement. */
const CASE_FILTERS: readonly QueryParameter[] = [
  { name: 'creditorId', type: 'string', description: "The case's creditor" },
  { name: 'product', type: 'string', description: "The case's product", enum: accounts.PRODUCTS },
];
const METRICS: readonly QueryParameter[] = [
  { name: 'from', type: 'date', description: 'First calendar day (UTC) of the intended contacts, included' },
  { name: 'to', type: 'date', description: 'Last calendar day (UTC), included' },
  { name: 'jurisdiction', type: 'string', description: 'A country (US, also matching US-IL) or one jurisdiction' },
  ...CASE_FILTERS,
  { name: 'channel', type: 'string', description: 'Contacts of this channel (default call)', enum: contactAttempts.CHANNELS },
];

/** Contact attempts: the compliance-checked contact itself, its outcome, preferences, complaints, scripts; the contact read models. */
export const CONTACT_ROUTES: readonly Route[] = [
  {
    kind: 'command',
    method: 'POST',
    path: '/api/accounts/:accountId/contacts',
    command: contactAttempts.RequestContact,
    roles: [...STAFF, 'dialer'],
    tag,
    summary: 'Ask to contact the debtor: the compliance engine allows it, or blocks it (422 COMPLIANCE_BLOCKED with the reasons and nextAllowedAt)',
    ownCases: accountCase,
    status: 201,
  },
  {
    kind: 'command',
    method: 'POST',
    path: '/api/accounts/:accountId/contacts/:contactId/outcome',
    command: contactAttempts.RecordAttemptOutcome,
    roles: [...STAFF, 'dialer'],
    tag,
    summary: 'Record what came of an allowed contact (no answer, right party, promise offered…)',
    ownCases: accountCase,
  },
  {
    kind: 'command',
    method: 'POST',
    path: '/api/accounts/:accountId/contacts/:contactId/dial-target',
    command: contactAttempts.ReleaseDialTarget,
    roles: ['dialer'],
    tag,
    summary: 'The full number (or address) of an allowed contact about to be made, for the dialer alone; the release is recorded',
  },
  { kind: 'command', method: 'PUT', path: '/api/accounts/:accountId/contact-preferences', command: contactAttempts.SetContactPreference, roles: STAFF, tag, summary: "Replace the debtor's contact preferences", ownCases: accountCase },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/complaints', command: contactAttempts.RecordComplaint, roles: COMPLAINT_HANDLERS, tag, summary: 'Record a complaint about how the debtor was contacted', status: 201 },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/complaints/:complaintId/resolution', command: contactAttempts.ResolveComplaint, roles: COMPLAINT_HANDLERS, tag, summary: 'Resolve a complaint: upheld or not, and what was done' },
  {
    kind: 'command',
    method: 'PUT',
    path: '/api/scripts/:scriptId',
    command: contactAttempts.SaveScript,
    roles: ['supervisor', 'admin'],
    tag,
    summary: 'Save a new version of a collection script; one with prohibited language is refused with 422 (COMPLIANCE_BLOCKED, field text, the hits in details) and the refusal recorded (ScriptRejected)',
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/accounts/:accountId/contacts',
    service,
    query: 'ContactHistory',
    roles: [...STAFF, 'auditor', 'legal'],
    tag,
    summary: "The case's contacts, newest first: each decision with its reasons, and its outcome",
    ownCases: accountCase,
    parameters: [
      { name: 'limit', type: 'integer', description: 'Page size (1–200, default 50)' },
      { name: 'after', type: 'string', description: "Keyset paging: the previous page's nextAfter" },
    ],
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/accounts/:accountId/best-time-to-call',
    service,
    query: 'BestTimeToCall',
    roles: [...STAFF, 'dialer'],
    tag,
    summary: "The debtor's local hour with the most right-party calls (null when none yet)",
    ownCases: accountCase,
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/contacts/best-times',
    service,
    query: 'BestTimesToCall',
    roles: ['supervisor', 'admin', 'dialer'],
    tag,
    summary: 'For each debtor asked about, in order: the local hour with the most right-party calls',
    parameters: [{ name: 'debtorIds', type: 'string', description: 'Debtor ids, comma-separated (1–500)', required: true }],
    params: (request) => ({ debtorIds: String(request.query['debtorIds']).split(',') }),
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/contacts/collector-days',
    service,
    query: 'CollectorDays',
    roles: OVERSIGHT,
    tag,
    summary: 'Per collector and day: attempts, blocked requests, right-party contacts, conversations, promises offered',
    parameters: [
      ...DAYS,
      { name: 'operatorId', type: 'string', description: 'One collector' },
      { name: 'timeZone', type: 'string', description: "Days in this IANA zone instead of UTC days (e.g. America/Chicago)" },
      { name: 'jurisdiction', type: 'string', description: "The debtor's: a country (US, also matching US-IL) or one jurisdiction" },
      ...CASE_FILTERS,
    ],
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/contacts/compliance-report',
    service,
    query: 'ComplianceReport',
    roles: OVERSIGHT,
    tag,
    summary: 'Contact compliance over a range of days: blocks by rule, quiet hours, call frequency, prohibited language, complaint handling',
    parameters: [
      ...DAYS,
      { name: 'jurisdiction', type: 'string', description: 'A country (US, also matching US-IL) or one jurisdiction' },
      ...CASE_FILTERS,
      { name: 'listLimit', type: 'integer', description: 'Violations listed one by one per kind (0–1000, default 100); all are counted' },
    ],
    timeoutMs: 30_000,
  },
  { kind: 'query', method: 'GET', path: '/api/contacts/right-party-rates', service, query: 'RightPartyRates', roles: OVERSIGHT, tag, summary: 'Right-party contacts per allowed contact, overall and per collector', parameters: METRICS },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/contacts/rate-by-hour',
    service,
    query: 'ContactRateByHour',
    roles: OVERSIGHT,
    tag,
    summary: "Attempts, connects and right-party contacts by the debtor's local hour: the time-of-day calling plan",
    parameters: [...METRICS, { name: 'operatorId', type: 'string', description: 'One collector' }],
  },
];
