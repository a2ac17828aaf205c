import type { Role } from '@arrears/contracts';

/**
 * Who may call each contact endpoint (`METHOD path` → roles). Contacting a debtor is the work of whoever works the case
 * (a collector only their own) and of the dialer, which places calls itself; the full number goes to the dialer alone.
 * Complaints are handled above the collector who made the contact; scripts are kept by supervisors. Compliance and
 * performance figures are for oversight; a case's contact history also for legal.
 */
export const CONTACTS_MATRIX: Readonly<Record<string, readonly Role[]>> = {
  'POST /api/accounts/:accountId/contacts': ['collector', 'supervisor', 'admin', 'dialer'],
  'POST /api/accounts/:accountId/contacts/:contactId/outcome': ['collector', 'supervisor', 'admin', 'dialer'],
  'POST /api/accounts/:accountId/contacts/:contactId/dial-target': ['dialer'],
  'PUT /api/accounts/:accountId/contact-preferences': ['collector', 'supervisor', 'admin'],
  'POST /api/accounts/:accountId/complaints': ['supervisor', 'admin'],
  'POST /api/accounts/:accountId/complaints/:complaintId/resolution': ['supervisor', 'admin'],
  'PUT /api/scripts/:scriptId': ['supervisor', 'admin'],
  'GET /api/accounts/:accountId/contacts': ['collector', 'supervisor', 'admin', 'auditor', 'legal'],
  'GET /api/accounts/:accountId/best-time-to-call': ['collector', 'supervisor', 'admin', 'dialer'],
  'GET /api/contacts/best-times': ['supervisor', 'admin', 'dialer'],
  'GET /api/contacts/collector-days': ['supervisor', 'admin', 'auditor'],
  'GET /api/contacts/compliance-report': ['supervisor', 'admin', 'auditor'],
  'GET /api/contacts/right-party-rates': ['supervisor', 'admin', 'auditor'],
  'GET /api/contacts/rate-by-hour': ['supervisor', 'admin', 'auditor'],
};
