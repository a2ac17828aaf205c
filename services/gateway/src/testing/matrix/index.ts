import type { Role } from '@arrears/contracts';
import { ACCOUNTS_MATRIX } from './accounts';
import { AUDIT_MATRIX } from './audit';
import { CONTACTS_MATRIX } from './contacts';
import { LEGAL_MATRIX } from './legal';
import { PLANS_MATRIX } from './plans';
import { PROMISES_MATRIX } from './promises';
import { WORKFLOW_MATRIX } from './workflow';

/**
 * The role matrix: who may call each endpoint, one file per area, written from what the collections, legal and audit
 * teams agreed — not from the route table, which roles.unit.spec.ts holds to it.
 */
export const ROLE_MATRIX: Readonly<Record<string, readonly Role[]>> = { ...ACCOUNTS_MATRIX, ...CONTACTS_MATRIX, ...PROMISES_MATRIX, ...PLANS_MATRIX, ...AUDIT_MATRIX, ...WORKFLOW_MATRIX, ...LEGAL_MATRIX };
