import type { Role } from '@arrears/contracts';
import { ACCOUNTS_MATRIX } from './accounts';

/**
 * The role matrix: who may call each endpoint, one file per area, written from what the collections, legal and audit
 * teams agreed — not from the route table, which roles.unit.spec.ts holds to it.
 */
export const ROLE_MATRIX: Readonly<Record<string, readonly Role[]>> = { ...ACCOUNTS_MATRIX };
