import { accounts, caseWorkflow } from '@arrears/contracts';
import { OVERSIGHT, STAFF, type QueryParameter, type Route, type RouteRequest } from './route';

const tag = 'workflow';
const service = 'case-workflow' as const;
const accountCase = { roles: ['collector'] as const, caseId: (request: RouteRequest) => request.params['accountId'] };
/** Who runs the roster: registers collectors, changes their capacity and availability, moves cases between them. */
const MANAGERS = ['supervisor', 'admin'] as const;

const PAGING: readonly QueryParameter[] = [
  { name: 'limit', type: 'integer', description: 'Page size (1–200, default 50)' },
  { name: 'after', type: 'string', description: "Keyset paging: the previous page's nextAfter" },
];
const JURISDICTION: QueryParameter = { name: 'jurisdiction', type: 'string', description: "The debtor's: a country (US, also matching US-IL) or one jurisdiction" };
const PROFILE: readonly QueryParameter[] = [
  { name: 'teamId', type: 'string', description: 'The team whose roster holds the case' },
  { name: 'bucket', type: 'string', description: 'Aging bucket', enum: accounts.AGING_BUCKETS },
  { name: 'tier', type: 'string', description: 'Risk tier', enum: accounts.RISK_TIERS },
  { name: 'product', type: 'string', description: 'Product', enum: accounts.PRODUCTS },
  JURISDICTION,
];
const STAGE: QueryParameter = { name: 'stage', type: 'string', description: 'One stage', enum: caseWorkflow.STAGES };
const COLLECTOR: QueryParameter = { name: 'collectorId', type: 'string', description: 'The collector holding the case now' };
const PERIOD: readonly QueryParameter[] = [
  { name: 'from', type: 'date-time', description: 'Start of the period, included', required: true },
  { name: 'to', type: 'date-time', description: 'End of the period, excluded', required: true },
];

/** Instants default to the request's: the read models never read the clock. */
const asOfNow = (request: RouteRequest) => ({ asOf: request.now, ...request.query, ...request.params });

/**
 * The case workflow: a supervisor's wilful-default flag, the roster (collectors, reassignment); the cases by stage
 * and collector, the collectors' load, overdue checklist items, missed deadlines, stage durations, one case's place.
 */
export const WORKFLOW_ROUTES: readonly Route[] = [
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/wilful-default', command: caseWorkflow.FlagWilfulDefault, roles: ['supervisor'], tag, summary: 'Flag suspected wilful default: a legal-escalation trigger' },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/reassignment', command: caseWorkflow.ReassignCase, roles: MANAGERS, tag, summary: 'Give the case to another collector: one named, or the best by score', data: (request) => ({ ...(request.body as Record<string, unknown>), caseId: request.params['accountId'] }) },
  { kind: 'command', method: 'POST', path: '/api/collectors', command: caseWorkflow.RegisterCollector, roles: MANAGERS, tag, summary: 'Register a collector with specialties and capacity', status: 201 },
  { kind: 'command', method: 'PUT', path: '/api/collectors/:collectorId', command: caseWorkflow.UpdateCollector, roles: MANAGERS, tag, summary: "Change a collector's specialties and capacity" },
  { kind: 'command', method: 'PUT', path: '/api/collectors/:collectorId/availability', command: caseWorkflow.SetCollectorAvailability, roles: MANAGERS, tag, summary: 'Mark a collector absent (their cases are reassigned) or available again' },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/accounts/:accountId/workflow',
    service,
    query: 'CaseWorkflow',
    roles: [...STAFF, 'auditor', 'legal'],
    tag,
    summary: "The case's stage, its checklist with each deadline, its stage entries and its collector",
    ownCases: accountCase,
    params: (request) => ({ caseId: request.params['accountId'] }),
  },
  { kind: 'query', method: 'GET', path: '/api/workflow/stages', service, query: 'StageCounts', roles: OVERSIGHT, tag, summary: 'How many cases are in each stage', parameters: [COLLECTOR, ...PROFILE] },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/workflow/stages/:stage/cases',
    service,
    query: 'CasesInStage',
    roles: OVERSIGHT,
    tag,
    summary: 'The cases in a stage (contact, pressure, negotiate, close), the longest there first',
    parameters: [COLLECTOR, ...PROFILE, ...PAGING],
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/collectors',
    service,
    query: 'CollectorWorkload',
    roles: OVERSIGHT,
    tag,
    summary: "Each collector's open cases by stage against their capacity, and their availability",
    parameters: [
      { name: 'teamId', type: 'string', description: 'One team' },
      { name: 'collectorId', type: 'string', description: 'One collector' },
    ],
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/collectors/:collectorId/cases',
    service,
    query: 'CasesOfCollector',
    roles: OVERSIGHT,
    tag,
    summary: 'The cases a collector holds, the longest in their stage first',
    parameters: [STAGE, ...PROFILE, ...PAGING],
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/me/cases',
    service,
    query: 'CasesOfCollector',
    roles: ['collector'],
    tag,
    summary: 'The cases you hold, the longest in their stage first',
    parameters: [STAGE, ...PROFILE, ...PAGING],
    params: (request) => ({ ...request.query, collectorId: request.operator.operatorId }),
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/workflow/overdue-items',
    service,
    query: 'OverdueItems',
    roles: [...OVERSIGHT, 'collector'],
    tag,
    summary: "Checklist items past their deadline, the longest overdue first: a collector's own cases only",
    parameters: [
      { name: 'asOf', type: 'date-time', description: 'The instant asked about (default now)' },
      { name: 'collectorId', type: 'string', description: "The collector holding the case now (a collector's own, always)" },
      { name: 'teamId', type: 'string', description: 'The team holding the case now' },
      STAGE,
      ...PAGING,
    ],
    params: asOfNow,
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/workflow/missed-deadlines',
    service,
    query: 'MissedDeadlines',
    roles: OVERSIGHT,
    tag,
    summary: 'Deadlines missed in a period, with the collector alerted then',
    parameters: [...PERIOD, { name: 'collectorId', type: 'string', description: 'The collector alerted' }, STAGE, ...PAGING],
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/workflow/stage-durations',
    service,
    query: 'StageDurations',
    roles: OVERSIGHT,
    tag,
    summary: 'How long cases stay in each stage: visits ended in the period, visits still open',
    parameters: [
      ...PERIOD,
      { name: 'asOf', type: 'date-time', description: 'The instant open visits are aged at (default to)' },
      { name: 'groupBy', type: 'string', description: 'Per stage and the risk tier or aging bucket at entry', enum: ['tier', 'bucket'] },
      { name: 'tier', type: 'string', description: 'Risk tier at entry', enum: accounts.RISK_TIERS },
      { name: 'bucket', type: 'string', description: 'Aging bucket at entry', enum: accounts.AGING_BUCKETS },
      { name: 'product', type: 'string', description: 'Product', enum: accounts.PRODUCTS },
      JURISDICTION,
    ],
  },
];
