import type { Role } from '@arrears/contracts';

/**
 * Who may call each promise endpoint (`METHOD path` → roles). Promises are taken and withdrawn by whoever works the
 * case (a collector only their own); the due, overdue and broken worklists are the staff's (a collector sees their own); a
 * case's promises are read by audit and legal too; promise rates are for oversight.
 */
export const PROMISES_MATRIX: Readonly<Record<string, readonly Role[]>> = {
  'POST /api/accounts/:accountId/promises': ['collector', 'supervisor', 'admin'],
  'DELETE /api/accounts/:accountId/promises/:promiseId': ['collector', 'supervisor', 'admin'],
  'GET /api/accounts/:accountId/promises': ['collector', 'supervisor', 'admin', 'auditor', 'legal'],
  'GET /api/promises/due': ['collector', 'supervisor', 'admin'],
  'GET /api/promises/overdue': ['collector', 'supervisor', 'admin'],
  'GET /api/promises/broken': ['collector', 'supervisor', 'admin'],
  'GET /api/promises/rates': ['supervisor', 'admin', 'auditor'],
};
