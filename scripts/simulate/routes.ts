/**
 * The gateway routes the simulator uses (docs/gateway.md), by the command or query each one carries. The simulator
 * reads the gateway's OpenAPI document at start and names any that is missing, rather than failing halfway.
 */
export const SIMULATOR_ROUTES = {
  PlaceAccount: { method: 'POST', path: '/api/accounts' },
  PostPayment: { method: 'POST', path: '/api/accounts/:accountId/payments' },
  ListAccounts: { method: 'GET', path: '/api/accounts' },
  FlagAccount: { method: 'POST', path: '/api/accounts/:accountId/flags' },
  ClearFlag: { method: 'DELETE', path: '/api/accounts/:accountId/flags/:flag' },
  CloseAccount: { method: 'POST', path: '/api/accounts/:accountId/close' },
  RequestContact: { method: 'POST', path: '/api/accounts/:accountId/contacts' },
  RecordAttemptOutcome: { method: 'POST', path: '/api/accounts/:accountId/contacts/:contactId/outcome' },
  RecordComplaint: { method: 'POST', path: '/api/accounts/:accountId/complaints' },
  ResolveComplaint: { method: 'POST', path: '/api/accounts/:accountId/complaints/:complaintId/resolution' },
  RecordPromise: { method: 'POST', path: '/api/accounts/:accountId/promises' },
  PromiseRates: { method: 'GET', path: '/api/promises/rates' },
  ProposePlan: { method: 'POST', path: '/api/accounts/:accountId/plans' },
  ApprovePlan: { method: 'POST', path: '/api/accounts/:accountId/plans/:planId/approval' },
  AcceptPlan: { method: 'POST', path: '/api/accounts/:accountId/plans/:planId/acceptance' },
  CancelPlan: { method: 'DELETE', path: '/api/accounts/:accountId/plans/:planId' },
  RegisterCollector: { method: 'POST', path: '/api/collectors' },
  MyCases: { method: 'GET', path: '/api/me/cases' },
  StageCounts: { method: 'GET', path: '/api/workflow/stages' },
  FlagWilfulDefault: { method: 'POST', path: '/api/accounts/:accountId/wilful-default' },
  RequestLegalEscalation: { method: 'POST', path: '/api/accounts/:accountId/legal-escalation' },
  Escalations: { method: 'GET', path: '/api/legal/escalations' },
  AcknowledgeHandoff: { method: 'POST', path: '/api/accounts/:accountId/legal-escalation/acknowledgement' },
  AuditReport: { method: 'GET', path: '/api/audit/reports/:report' },
  VerifyLedger: { method: 'GET', path: '/api/audit/verification' },
} as const satisfies Record<string, { readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'; readonly path: string }>;

export type RouteName = keyof typeof SIMULATOR_ROUTES;

/** Without these the simulation cannot run at all; the others only turn a part of the model off (and say so). */
export const REQUIRED_ROUTES: readonly RouteName[] = ['PlaceAccount', 'PostPayment', 'ListAccounts', 'RequestContact', 'RecordAttemptOutcome', 'RegisterCollector', 'MyCases'];

/** The simulator's routes the gateway's OpenAPI document (`/docs/json`) does not have, in the table's order. */
export function missingRoutes(openApi: { readonly paths?: Readonly<Record<string, Readonly<Record<string, unknown>>>> }): RouteName[] {
  const paths = openApi.paths ?? {};
  return (Object.keys(SIMULATOR_ROUTES) as RouteName[]).filter((name) => {
    const { method, path } = SIMULATOR_ROUTES[name];
    return paths[path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()] === undefined;
  });
}

/** The request path of a route with its parameters filled in (each URI-encoded); a missing one is an error. */
export function pathOf(name: RouteName, params: Readonly<Record<string, string>> = {}): string {
  return SIMULATOR_ROUTES[name].path.replace(/:([A-Za-z]+)/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`${name} needs the path parameter ${key}`);
    return encodeURIComponent(value);
  });
}
