import type { Role } from '@arrears/contracts';

/**
 * Who may call each audit endpoint (`METHOD path` → roles), as the audit and compliance teams agreed it: replaying,
 * reconstructing, verifying and exporting a case's history is the auditors' work (and the administrators'); the
 * compliance reports are also the team leads' view of their floor, so supervisors read them too. Collectors, legal,
 * internal systems and the dialer read none of it.
 */
export const AUDIT_MATRIX: Readonly<Record<string, readonly Role[]>> = {
  'GET /api/audit/cases/:caseId/timeline': ['auditor', 'admin'],
  'GET /api/audit/cases/:caseId/timeline.jsonl': ['auditor', 'admin'],
  'GET /api/audit/cases/:caseId/state': ['auditor', 'admin'],
  'GET /api/audit/cases/:caseId/changes': ['auditor', 'admin'],
  'GET /api/audit/cases/:caseId/verification': ['auditor', 'admin'],
  'GET /api/audit/cases/:caseId/export.jsonl': ['auditor', 'admin'],
  'GET /api/audit/cases/:caseId/export.csv': ['auditor', 'admin'],
  'GET /api/audit/verification': ['auditor', 'admin'],
  'GET /api/audit/reports/:report': ['supervisor', 'admin', 'auditor'],
  'GET /api/audit/reports/:report.csv': ['supervisor', 'admin', 'auditor'],
};
