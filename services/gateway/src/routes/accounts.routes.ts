import { accounts } from '@arrears/contracts';
import { OVERSIGHT, STAFF, type QueryParameter, type Route } from './route';

const tag = 'accounts';
const accountCase = { roles: ['collector'] as const, caseId: (request: { params: Readonly<Record<string, string>> }) => request.params['accountId'] };

const LIST_PARAMETERS: readonly QueryParameter[] = [
  { name: 'agingBucket', type: 'string', description: 'Aging bucket', enum: accounts.AGING_BUCKETS },
  { name: 'riskTier', type: 'string', description: 'Risk tier', enum: accounts.RISK_TIERS },
  { name: 'flag', type: 'string', description: 'Accounts with this flag set' },
  { name: 'creditorId', type: 'string', description: 'The creditor' },
  { name: 'status', type: 'string', description: 'open or closed', enum: ['open', 'closed'] },
  { name: 'currency', type: 'string', description: 'ISO 4217 currency (required with minTotal/maxTotal)' },
  { name: 'minTotal', type: 'integer', description: 'Total owed at least (minor units)' },
  { name: 'maxTotal', type: 'integer', description: 'Total owed at most (minor units)' },
  { name: 'limit', type: 'integer', description: 'Page size (1–200, default 50)' },
  { name: 'after', type: 'string', description: "Keyset paging: the previous page's nextAfter" },
];

const PRODUCT: QueryParameter = { name: 'product', type: 'string', description: 'Product', enum: accounts.PRODUCTS };
const JURISDICTION: QueryParameter = { name: 'jurisdiction', type: 'string', description: "The debtor's: a country (US, also matching US-IL) or one jurisdiction" };

/** Accounts: placement, payments, adjustments, flags, contact details, closing, erasure; the account read models. */
export const ACCOUNT_ROUTES: readonly Route[] = [
  { kind: 'command', method: 'POST', path: '/api/accounts', command: accounts.PlaceAccount, roles: ['supervisor', 'admin', 'system'], tag, summary: 'Place an account for collection', status: 201 },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/payments', command: accounts.PostPayment, roles: ['supervisor', 'admin', 'system'], tag, summary: 'Post a payment' },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/adjustments', command: accounts.AdjustBalance, roles: STAFF, tag, summary: 'Waive fees or interest, freeze or unfreeze interest', ownCases: accountCase },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/flags', command: accounts.FlagAccount, roles: STAFF, tag, summary: 'Set a flag (dispute, cease, attorney, bankruptcy, deceased, vulnerable, breathing space)', ownCases: accountCase },
  { kind: 'command', method: 'DELETE', path: '/api/accounts/:accountId/flags/:flag', command: accounts.ClearFlag, roles: ['supervisor', 'admin'], tag, summary: 'Clear a flag' },
  { kind: 'command', method: 'PUT', path: '/api/accounts/:accountId/contact-details', command: accounts.UpdateContactDetails, roles: STAFF, tag, summary: "Replace the debtor's phones, emails and address", ownCases: accountCase },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/close', command: accounts.CloseAccount, roles: ['supervisor', 'admin'], tag, summary: 'Take the account out of collection' },
  { kind: 'command', method: 'POST', path: '/api/accounts/:accountId/erasure', command: accounts.EraseDebtorData, roles: ['admin'], tag, summary: "Erase the debtor's personal data (crypto-shredding)" },
  { kind: 'query', method: 'GET', path: '/api/accounts', service: 'accounts', query: 'ListAccounts', roles: OVERSIGHT, tag, summary: 'Accounts by bucket, tier, flag, creditor, status, balance', parameters: LIST_PARAMETERS },
  { kind: 'query', method: 'GET', path: '/api/accounts/:accountId', service: 'accounts', query: 'AccountDetail', roles: [...STAFF, 'auditor', 'legal'], tag, summary: 'One account: balance, bucket, tier, flags, payments and adjustments', ownCases: accountCase },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/portfolio',
    service: 'accounts',
    query: 'PortfolioSummary',
    roles: OVERSIGHT,
    tag,
    summary: 'Balances per currency, aging bucket and risk tier',
    parameters: [
      { name: 'creditorId', type: 'string', description: 'The creditor' },
      PRODUCT,
      JURISDICTION,
      { name: 'currency', type: 'string', description: 'ISO 4217 currency' },
      { name: 'status', type: 'string', description: 'open (default) or closed', enum: ['open', 'closed'] },
    ],
  },
  {
    kind: 'query',
    method: 'GET',
    path: '/api/portfolio/recovery',
    service: 'accounts',
    query: 'RecoveryTrend',
    roles: OVERSIGHT,
    tag,
    summary: 'Recovery over time, per day or month: collected, placed to date, the rate for the period and cumulative, against the target',
    parameters: [
      { name: 'from', type: 'date', description: 'The first day, included', required: true },
      { name: 'to', type: 'date', description: 'The last day, included (at most 366 days or 120 months)', required: true },
      { name: 'granularity', type: 'string', description: 'day or month', required: true, enum: ['day', 'month'] },
      { name: 'currency', type: 'string', description: 'ISO 4217 currency: amounts of different currencies are never added', required: true },
      { name: 'creditorId', type: 'string', description: 'The creditor' },
      PRODUCT,
      JURISDICTION,
    ],
  },
];
