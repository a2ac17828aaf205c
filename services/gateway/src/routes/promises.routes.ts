import { accounts, promisesToPay } from '@arrears/contracts';
import { OVERSIGHT, STAFF, type QueryParameter, type Route, type RouteRequest } from './route';
import { collectorsOwn } from './worklists';

const tag = 'promises';
const service = 'promises-to-pay' as const;
const accountCase = { roles: ['collector'] as const, caseId: (request: RouteRequest) => request.params['accountId'] };

const CREDITOR: QueryParameter = { name: 'creditorId', type: 'string', description: "The case's creditor" };
const PRODUCT: QueryParameter = { name: 'product', type: 'string', description: "The case's product", enum: accounts.PRODUCTS };
const JURISDICTION: QueryParameter = { name: 'jurisdiction', type: 'string', description: "The debtor's: a country (US, also matching US-IL) or one jurisdiction" };

const WORKLIST: readonly QueryParameter[] = [
  { name: 'day', type: 'date', description: 'The calendar day asked about (your today)', required: true },
  { name: 'operatorId', type: 'string', description: "The collector who took the promises (a collector's own, always)" },
  CREDITOR,
  JURISDICTION,
  { name: 'limit', type: 'integer', description: 'Page size (1–200, default 50)' },
  { name: 'after', type: 'string', description: "Keyset paging: the previous page's nextAfter" },
];

/** Promises to pay: taking and withdrawing them; the collectors' worklists and the promise rates. */
export const PROMISE_ROUTES: readonly Route[] = [
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/promises', command: promisesToPay.RecordPromise, roles: STAFF, tag, summary: 'Record a promise to pay', ownCases: accountCase, status: 201 },
  { kind: 'command', method: 'DELETE', path: '/api/accounts/:accountId/promises/:promiseId', command: promisesToPay.CancelPromise, roles: STAFF, tag, summary: 'Withdraw an open promise, with the reason', ownCases: accountCase },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/accounts/:accountId/promises',
    service,
    query: 'AccountPromises',
    roles: [...STAFF, 'auditor', 'legal'],
    tag,
    summary: "The case's promises, whatever became of them, the latest first",
    ownCases: accountCase,
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/promises/due',
    service,
    query: 'PromisesDue',
    roles: STAFF,
    tag,
    summary: "Open promises due on the day: a collector's own, a supervisor's for anyone",
    parameters: WORKLIST,
    params: collectorsOwn('operatorId'),
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/promises/overdue',
    service,
    query: 'PromisesOverdue',
    roles: STAFF,
    tag,
    summary: 'Open promises due before the day (in grace, or not yet broken), the longest overdue first',
    parameters: WORKLIST,
    params: collectorsOwn('operatorId'),
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/promises/broken',
    service,
    query: 'PromisesBroken',
    roles: STAFF,
    tag,
    summary: 'Promises that broke on the day (e.g. yesterday), by promise id',
    parameters: [{ ...WORKLIST[0]!, description: 'The calendar day the promises broke on (your yesterday for "broken yesterday")' }, ...WORKLIST.slice(1)],
    params: collectorsOwn('operatorId'),
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/promises/rates',
    service,
    query: 'PromiseRates',
    roles: OVERSIGHT,
    tag,
    summary: 'What became of the promises made in a range, per collector, aging bucket or risk tier',
    parameters: [
      { name: 'from', type: 'date', description: 'Promises made from this day', required: true },
      { name: 'to', type: 'date', description: 'to this day, included', required: true },
      { name: 'groupBy', type: 'string', description: 'The collector who took it, or the case’s bucket or tier then', required: true, enum: ['operator', 'bucket', 'tier'] },
      CREDITOR,
      PRODUCT,
      JURISDICTION,
    ],
  },
];
