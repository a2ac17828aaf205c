import type { Role } from '@arrears/contracts';

/**
 * Who may call each legal-escalation endpoint (`METHOD path` → roles), as the legal department agreed it. A
 * supervisor (or admin) sends a case to legal; legal alone acknowledges the package and reports the litigation, and
 * alone downloads the evidence. Legal and auditors verify a package. The handoffs and their times are read by legal
 * and by oversight; collectors have no part here.
 */
export const LEGAL_MATRIX: Readonly<Record<string, readonly Role[]>> = {
  'POST /api/accounts/:accountId/legal-escalation': ['supervisor', 'admin'],
  'POST /api/accounts/:accountId/legal-escalation/acknowledgement': ['legal'],
  'POST /api/accounts/:accountId/legal-escalation/litigation-status': ['legal'],
  'POST /api/legal/packages/:packageId/verification': ['legal', 'auditor'],
  'GET /api/accounts/:accountId/legal-escalation': ['supervisor', 'admin', 'auditor', 'legal'],
  'GET /api/legal/escalations': ['supervisor', 'admin', 'auditor', 'legal'],
  'GET /api/legal/status-counts': ['supervisor', 'admin', 'auditor', 'legal'],
  'GET /api/legal/handoff-times': ['supervisor', 'admin', 'auditor', 'legal'],
  'GET /api/legal/packages/:packageId': ['legal'],
  'GET /api/legal/packages/:packageId/files/:name': ['legal'],
};
