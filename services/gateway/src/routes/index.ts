import { ACCOUNT_ROUTES } from './accounts.routes';
import { AUDIT_ROUTES } from './audit.routes';
import { CONTACT_ROUTES } from './contacts.routes';
import { LEGAL_ROUTES } from './legal.routes';
import { PLAN_ROUTES } from './plans.routes';
import { PROMISE_ROUTES } from './promises.routes';
import type { Route } from './route';
import { WORKFLOW_ROUTES } from './workflow.routes';

export * from './route';

/** Every route of the gateway: the role matrix test and the OpenAPI document are built from this list. */
export const ROUTES: readonly Route[] = [...ACCOUNT_ROUTES, ...CONTACT_ROUTES, ...PROMISE_ROUTES, ...PLAN_ROUTES, ...AUDIT_ROUTES, ...WORKFLOW_ROUTES, ...LEGAL_ROUTES];
