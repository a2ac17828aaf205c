import type { Role } from '@arrears/contracts';

/**
 * Who may call each payment-plan endpoint (`METHOD path` → roles). Plans are proposed, taken to the debtor's signed
 * acceptance and withdrawn by whoever works the case (a collector only their own); options beyond the proposer's
 * limits are approved by a supervisor or admin, never a collector. A case's plans are read by audit and legal too;
 * the worklists are the staff's (a collector sees the plans they proposed); performance is for oversight.
 */
export const PLANS_MATRIX: Readonly<Record<string, readonly Role[]>> = {
  'POST /api/accounts/:accountId/plans': ['collector', 'supervisor', 'admin'],
  'POST /api/accounts/:accountId/plans/:planId/approval': ['supervisor', 'admin'],
  'POST /api/accounts/:accountId/plans/:planId/acceptance': ['collector', 'supervisor', 'admin'],
  'DELETE /api/accounts/:accountId/plans/:planId': ['collector', 'supervisor', 'admin'],
  'GET /api/accounts/:accountId/plans': ['collector', 'supervisor', 'admin', 'auditor', 'legal'],
  'GET /api/accounts/:accountId/plans/:planId': ['collector', 'supervisor', 'admin', 'auditor', 'legal'],
  'GET /api/plans': ['collector', 'supervisor', 'admin'],
  'GET /api/plans/instalments/due': ['collector', 'supervisor', 'admin'],
  'GET /api/plans/instalments/overdue': ['collector', 'supervisor', 'admin'],
  'GET /api/plans/instalments/missed': ['collector', 'supervisor', 'admin'],
  'GET /api/plans/performance': ['supervisor', 'admin', 'auditor'],
};
