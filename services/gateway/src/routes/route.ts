import type { CommandDefinition, Role, ServiceName } from '@arrears/contracts';
import type { Operator } from '../auth/operator';

/** What a route's mapping functions see of a request, after authentication and role check. */
export interface RouteRequest {
  /** Path parameters, e.g. `accountId` of `/api/accounts/:accountId`. */
  readonly params: Readonly<Record<string, string>>;
  /** The query string, each parameter coerced to the type its route declares. */
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
  readonly operator: Operator;
  /** The request's instant: the command's `now`. */
  readonly now: string;
}

/** A query-string parameter of a route, as OpenAPI documents it and the gateway coerces it. */
export interface QueryParameter {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'boolean' | 'date-time' | 'date';
  readonly description: string;
  readonly required?: boolean;
  readonly enum?: readonly string[];
}

interface BaseRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify-style, under `/api`: `/api/accounts/:accountId/payments`. */
  readonly path: string;
  /** Exactly the roles that may call it; the role matrix test holds every route to this. */
  readonly roles: readonly Role[];
  /** The OpenAPI tag (the service's area). */
  readonly tag: string;
  readonly summary: string;
  /**
   * The roles (collectors) that may use the route only on cases assigned to them; `caseId` says which case the
   * request is about. Others among `roles` use it on any case.
   */
  readonly ownCases?: { readonly roles: readonly Role[]; readonly caseId: (request: RouteRequest) => string | undefined };
}

/** A command to its owning service: the body (and path parameters) become the command's data. */
export interface CommandRoute extends BaseRoute {
  readonly kind: 'command';
  readonly command: CommandDefinition;
  /** The command's data; default the body with the path parameters over it. */
  readonly data?: (request: RouteRequest) => Record<string, unknown>;
  /** The case the command is about (`metadata.caseId`); default `data.caseId` or `data.accountId` when present. */
  readonly caseId?: (data: Readonly<Record<string, unknown>>) => string | undefined;
  /** 201 for what creates something addressable; default 200. */
  readonly status?: 200 | 201 | 202;
}

/** A query to the service whose read models answer it. */
export interface QueryRoute extends BaseRoute {
  readonly kind: 'query';
  readonly method: 'GET';
  readonly service: ServiceName;
  readonly query: string;
  readonly parameters?: readonly QueryParameter[];
  /** The query's params; default the query string with the path parameters over it. */
  readonly params?: (request: RouteRequest) => Record<string, unknown>;
  /** What the answer is when it is not JSON: the service answers with `{ contentType, body }`. */
  readonly produces?: 'text/csv' | 'application/x-ndjson';
  /** How long the service may take (reports, verification); default the gateway's upstream timeout. */
  readonly timeoutMs?: number;
}

export type Route = CommandRoute | QueryRoute;

/** Everyone who works cases; the dialer and internal systems are named where they need to be. */
export const STAFF: readonly Role[] = ['collector', 'supervisor', 'admin'];
export const OVERSIGHT: readonly Role[] = ['supervisor', 'admin', 'auditor'];
