import { ACCOUNT_ROUTES } from './accounts.routes';
import type { Route } from './route';

export * from './route';

/** Every route of the gateway: the role matrix test and the OpenAPI document are built from this list. */
export const ROUTES: readonly Route[] = [...ACCOUNT_ROUTES];
