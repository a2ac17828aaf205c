import type { Role } from '@arrears/contracts';

/** Who may call each accounts endpoint (`METHOD path` → roles), as the collections team agreed it. */
export const ACCOUNTS_MATRIX: Readonly<Record<string, readonly Role[]>> = {
  'POST /api/accounts': ['supervisor', 'admin', 'system'],
  'POST /api/accounts/:accountId/payments': ['supervisor', 'admin', 'system'],
  'POST /api/accounts/:accountId/adjustments': ['collector', 'supervisor', 'admin'],
  'POST /api/accounts/:accountId/flags': ['collector', 'supervisor', 'admin'],
  'DELETE /api/accounts/:accountId/flags/:flag': ['supervisor', 'admin'],
  'PUT /api/accounts/:accountId/contact-details': ['collector', 'supervisor', 'admin'],
  'POST /api/accounts/:accountId/close': ['supervisor', 'admin'],
  'POST /api/accounts/:accountId/erasure': ['admin'],
  'GET /api/accounts': ['supervisor', 'admin', 'auditor'],
  'GET /api/accounts/:accountId': ['collector', 'supervisor', 'admin', 'auditor', 'legal'],
  'GET /api/portfolio': ['supervisor', 'admin', 'auditor'],
  'GET /api/portfolio/recovery': ['supervisor', 'admin', 'auditor'],
};
