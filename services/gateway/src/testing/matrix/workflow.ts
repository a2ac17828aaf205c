import type { Role } from '@arrears/contracts';

/**
 * Who may call each case-workflow endpoint (`METHOD path` → roles). Suspected wilful default is a supervisor's
 * judgement; the roster — collectors' registration, capacity, absence, and moving a case — is run by supervisors and
 * admins. The workflow's figures are for oversight (auditors read them, never change them). A collector sees the
 * cases they hold and their overdue items, and one case's workflow only when it is theirs; legal reads a case's.
 */
export const WORKFLOW_MATRIX: Readonly<Record<string, readonly Role[]>> = {
  'POST /api/accounts/:accountId/wilful-default': ['supervisor'],
  'POST /api/accounts/:accountId/reassignment': ['supervisor', 'admin'],
  'POST /api/collectors': ['supervisor', 'admin'],
  'PUT /api/collectors/:collectorId': ['supervisor', 'admin'],
  'PUT /api/collectors/:collectorId/availability': ['supervisor', 'admin'],
  'GET /api/accounts/:accountId/workflow': ['collector', 'supervisor', 'admin', 'auditor', 'legal'],
  'GET /api/workflow/stages': ['supervisor', 'admin', 'auditor'],
  'GET /api/workflow/stages/:stage/cases': ['supervisor', 'admin', 'auditor'],
  'GET /api/collectors': ['supervisor', 'admin', 'auditor'],
  'GET /api/collectors/:collectorId/cases': ['supervisor', 'admin', 'auditor'],
  'GET /api/me/cases': ['collector'],
  'GET /api/workflow/overdue-items': ['collector', 'supervisor', 'admin', 'auditor'],
  'GET /api/workflow/missed-deadlines': ['supervisor', 'admin', 'auditor'],
  'GET /api/workflow/stage-durations': ['supervisor', 'admin', 'auditor'],
};
