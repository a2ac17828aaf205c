import { accounts, ArrearsError, ErrorCode, paymentPlans } from '@arrears/contracts';
import { OVERSIGHT, STAFF, type QueryParameter, type Route, type RouteRequest } from './route';
import { collectorsOwn } from './worklists';

const tag = 'plans';
const service = 'payment-plans' as const;
const accountCase = { roles: ['collector'] as const, caseId: (request: RouteRequest) => request.params['accountId'] };
/** Approval is four eyes above the proposer's limits: whatever waits is beyond a collector's. */
const APPROVERS = ['supervisor', 'admin'] as const;
/** The case's plans, one plan: whoever works the case, audits it, or litigates it. */
const CASE_READERS = [...STAFF, 'auditor', 'legal'] as const;

const INSTALMENT_LIST: readonly QueryParameter[] = [
  { name: 'proposedBy', type: 'string', description: "Plans this operator proposed (a collector's own, always)" },
  { name: 'currency', type: 'string', description: 'ISO 4217 currency' },
  { name: 'limit', type: 'integer', description: 'Page size (1–200, default 50)' },
  { name: 'afterPlanId', type: 'string', description: "Keyset paging: the previous page's nextAfter.planId" },
  { name: 'afterNumber', type: 'integer', description: "Keyset paging: the previous page's nextAfter.number" },
];

/** The instalment lists page by instalment (`{ planId, number }`): two query-string parameters make the one key. */
function instalmentKey({ afterPlanId, afterNumber, ...params }: Record<string, unknown>): Record<string, unknown> {
  if (afterPlanId === undefined && afterNumber === undefined) return params;
  if (afterPlanId === undefined || afterNumber === undefined) {
    const missing = afterPlanId === undefined ? 'afterPlanId' : 'afterNumber';
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${missing} is required with ${missing === 'afterPlanId' ? 'afterNumber' : 'afterPlanId'}: pass both parts of the previous page's nextAfter`, { field: missing });
  }
  return { ...params, after: { planId: afterPlanId, number: afterNumber } };
}
const ownInstalments = collectorsOwn('proposedBy', instalmentKey);

/** Payment plans: proposal, approval, the debtor's acceptance, cancelling; the plans, instalment worklists and performance. */
export const PLAN_ROUTES: readonly Route[] = [
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/plans', command: paymentPlans.ProposePlan, roles: STAFF, tag, summary: 'Propose a payment plan on the balance', ownCases: accountCase, status: 201 },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/plans/:planId/approval', command: paymentPlans.ApprovePlan, roles: APPROVERS, tag, summary: "Approve the options beyond the proposer's limits (not by the proposer)" },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/plans/:planId/acceptance', command: paymentPlans.AcceptPlan, roles: STAFF, tag, summary: "The debtor's written acceptance: the signed commitment's document id and SHA-256", ownCases: accountCase },
  { kind: 'command', method: 'DELETE', path: '/api/accounts/:accountId/plans/:planId', command: paymentPlans.CancelPlan, roles: STAFF, tag, summary: 'Withdraw a proposed or running plan, with the reason', ownCases: accountCase },
  { kind: 'query', method: 'GET', path: '/api/accounts/:accountId/plans', service, query: 'AccountPlans', roles: CASE_READERS, tag, summary: "The case's plans, whatever became of them, the latest first", ownCases: accountCase },
  { kind: 'query', method: 'GET', path: '/api/accounts/:accountId/plans/:planId', service, query: 'Plan', roles: CASE_READERS, tag, summary: 'One plan with its instalments', ownCases: accountCase },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/plans',
    service,
    query: 'ActivePlans',
    roles: STAFF,
    tag,
    summary: "Plans proposed, awaiting approval or running, the soonest next instalment first: a collector's own",
    parameters: [
      { name: 'status', type: 'string', description: 'One status', enum: ['proposed', 'awaiting-approval', 'running'] },
      { name: 'proposedBy', type: 'string', description: "Plans this operator proposed (a collector's own, always)" },
      { name: 'currency', type: 'string', description: 'ISO 4217 currency' },
      { name: 'limit', type: 'integer', description: 'Page size (1–200, default 50)' },
      { name: 'after', type: 'string', description: "Keyset paging: the previous page's nextAfter" },
    ],
    params: collectorsOwn('proposedBy'),
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/plans/instalments/due',
    service,
    query: 'InstalmentsDue',
    roles: STAFF,
    tag,
    summary: 'Instalments of running plans due from one day to another and not paid in full',
    parameters: [
      { name: 'from', type: 'date', description: 'First due date, included', required: true },
      { name: 'to', type: 'date', description: 'Last due date, included (default from: one day)' },
      ...INSTALMENT_LIST,
    ],
    params: ownInstalments,
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/plans/instalments/overdue',
    service,
    query: 'InstalmentsOverdue',
    roles: STAFF,
    tag,
    summary: 'Instalments due before the day and unpaid (in grace, or missed), the longest overdue first',
    parameters: [{ name: 'day', type: 'date', description: 'The calendar day asked about (your today)', required: true }, ...INSTALMENT_LIST],
    params: ownInstalments,
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/plans/instalments/missed',
    service,
    query: 'InstalmentsMissed',
    roles: STAFF,
    tag,
    summary: "Missed instalments still unpaid, with the plan's missed count and its default rule",
    parameters: INSTALMENT_LIST,
    params: ownInstalments,
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/plans/performance',
    service,
    query: 'PlanPerformance',
    roles: OVERSIGHT,
    tag,
    summary: 'What became of the plans proposed: acceptance, completion and default rates, instalments on time, amounts',
    parameters: [
      { name: 'groupBy', type: 'string', description: 'The proposer, or the case’s bucket or tier when proposed', required: true, enum: ['proposer', 'bucket', 'tier'] },
      { name: 'from', type: 'date', description: 'Plans proposed from this day' },
      { name: 'to', type: 'date', description: 'to this day, included' },
      { name: 'proposedBy', type: 'string', description: 'One proposer' },
      { name: 'agingBucket', type: 'string', description: 'Aging bucket when proposed', enum: accounts.AGING_BUCKETS },
      { name: 'riskTier', type: 'string', description: 'Risk tier when proposed', enum: accounts.RISK_TIERS },
    ],
  },
];
