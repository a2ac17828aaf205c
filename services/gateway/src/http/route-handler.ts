import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode, IdSchema, isArrearsError, validationFailed, type CommandEnvelope } from '@arrears/contracts';
import type { Operator } from '../auth/operator';
import type { Tokens } from '../auth/tokens';
import type { CommandRoute, QueryParameter, QueryRoute, Route, RouteRequest } from '../routes/route';
import { httpError } from './errors';
import type { Upstream } from './upstream';

/** A request as the HTTP layer hands it over. */
export interface IncomingRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface OutgoingResponse {
  readonly status: number;
  readonly body: unknown;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface RouteDependencies {
  readonly tokens: Tokens;
  readonly upstream: Upstream;
  readonly upstreamTimeoutMs: number;
  readonly clock: () => Date;
  /** Which collector a case is assigned to (null: none, or unknown); asked only for `ownCases` routes. */
  readonly collectorOf: (caseId: string, asker: Operator) => Promise<string | null>;
  /** Whether the case has been handed to legal (a handoff started); asked when the legal role uses a case's route. */
  readonly handedToLegal: (caseId: string, asker: Operator) => Promise<boolean>;
  /** Told of a failure that is not an ArrearsError (a bug): the caller gets only INTERNAL, the log gets the cause. */
  readonly onUnexpected?: (error: unknown, route: Route, correlationId: string) => void;
}

/**
 * One request through a route: authenticate (401), check the role (403), validate (400, naming the field, nothing
 * sent), check the case is the collector's own or, for the legal role, handed to legal (403), then the command or
 * query to its service; its error codes map to statuses (404, 409, 422, 503…). Every command is bound to the
 * operator and carries the request's instant.
 */
export async function handleRoute(route: Route, incoming: IncomingRequest, dependencies: RouteDependencies): Promise<OutgoingResponse> {
  const correlationId = correlationOf(incoming.headers);
  const headers = { 'x-correlation-id': correlationId };
  try {
    const operator = await dependencies.tokens.operatorOf(header(incoming.headers, 'authorization'));
    if (!route.roles.includes(operator.role)) {
      throw new ArrearsError(ErrorCode.FORBIDDEN, `${route.method} ${route.path} is for ${route.roles.join(', ')}; the token's role is ${operator.role}`, { details: { role: operator.role, allowed: route.roles } });
    }
    const request: RouteRequest = { params: incoming.params, query: coerceQuery(route, incoming.query), body: incoming.body ?? {}, operator, now: dependencies.clock().toISOString() };
    if (route.kind === 'command') {
      const command = commandOf(route, request, correlationId, idempotencyKey(incoming.headers));
      await checkOwnCase(route, request, dependencies);
      const result = await dependencies.upstream.send(route.command.service, command, dependencies.upstreamTimeoutMs);
      return { status: route.status ?? 200, body: commandResult(route, command, result), contentType: 'application/json', headers: { ...headers, 'x-command-id': command.commandId } };
    }
    await checkOwnCase(route, request, dependencies);
    const params = route.params?.(request) ?? { ...request.query, ...request.params };
    const answer = await dependencies.upstream.ask(route.service, route.query, params, { actorId: operator.operatorId, actorRole: operator.role }, route.timeoutMs ?? dependencies.upstreamTimeoutMs);
    return queryResponse(route, answer, headers);
  } catch (error) {
    if (!isArrearsError(error)) dependencies.onUnexpected?.(error, route, correlationId);
    const { status, body } = httpError(error, correlationId);
    return { status, body, contentType: 'application/json', headers };
  }
}

function commandOf(route: CommandRoute, request: RouteRequest, correlationId: string, commandId: string | undefined): CommandEnvelope {
  if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'The body must be a JSON object', { field: 'body' });
  }
  const candidate = route.data?.(request) ?? { ...(request.body as Record<string, unknown>), ...request.params };
  const parsed = route.command.schema.safeParse(candidate);
  if (!parsed.success) throw validationFailed(parsed.error);
  const data = parsed.data as Record<string, unknown>;
  const caseId = route.caseId === undefined ? defaultCaseId(data) : route.caseId(data);
  const id = commandId ?? randomUUID();
  return {
    commandId: id,
    type: route.command.type,
    schemaVersion: route.command.version,
    data,
    metadata: { correlationId, causationId: id, ...(caseId === undefined ? {} : { caseId }), actorId: request.operator.operatorId, actorRole: request.operator.role, now: request.now },
  };
}

function defaultCaseId(data: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of ['caseId', 'accountId']) {
    const value = data[key];
    if (typeof value === 'string' && IdSchema.safeParse(value).success) return value;
  }
  return undefined;
}

/**
 * A case's routes are scoped for two roles: a collector works only the cases assigned to them, and the legal
 * department reads only the cases handed to it — not every debtor's contacts, promises and plans.
 */
async function checkOwnCase(route: Route, request: RouteRequest, dependencies: RouteDependencies): Promise<void> {
  if (route.ownCases === undefined) return;
  const caseId = route.ownCases.caseId(request);
  if (caseId === undefined) return;
  if (request.operator.role === 'legal') {
    if (await dependencies.handedToLegal(caseId, request.operator)) return;
    throw new ArrearsError(ErrorCode.FORBIDDEN, `Case ${caseId} has not been handed to legal: the legal department reads only the cases sent to it`, { field: 'caseId', details: { caseId } });
  }
  if (!route.ownCases.roles.includes(request.operator.role)) return;
  const collectorId = await dependencies.collectorOf(caseId, request.operator);
  if (collectorId !== request.operator.operatorId) {
    throw new ArrearsError(ErrorCode.FORBIDDEN, `Case ${caseId} is not assigned to you: a ${request.operator.role} works only the cases assigned to them`, { field: 'caseId', details: { caseId } });
  }
}

/** What a command's reply becomes: the ids to follow it by, the events it wrote (types and positions), anything else it returned. */
function commandResult(route: CommandRoute, command: CommandEnvelope, result: unknown): Record<string, unknown> {
  const outcome = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  // A command outcome (stream, events written, repeated) is summarised; any other reply (a verification report) passes as it is.
  if (!('repeated' in outcome)) return { commandId: command.commandId, correlationId: command.metadata.correlationId, ...outcome };
  const { events, ...rest } = outcome;
  const written = Array.isArray(events)
    ? events.map((event: Record<string, unknown>) => ({ eventId: event['eventId'], type: event['type'], streamId: event['streamId'], streamPosition: event['streamPosition'], globalPosition: event['globalPosition'] }))
    : undefined;
  const refusal = Array.isArray(events) ? refusalOf(route, command, events as Record<string, unknown>[]) : undefined;
  if (refusal !== undefined) throw refusal;
  return { commandId: command.commandId, correlationId: command.metadata.correlationId, ...rest, ...(written === undefined ? {} : { events: written }) };
}

/**
 * A command the platform refused on compliance grounds still writes its decision (the refusal is evidence), so the
 * service replies with the event; the caller gets 422 with the reasons, the recorded decision and, for a blocked
 * contact, when it may next be made.
 */
function refusalOf(route: CommandRoute, command: CommandEnvelope, events: readonly Record<string, unknown>[]): ArrearsError | undefined {
  for (const event of events) {
    const recorded = { commandId: command.commandId, decisionEventId: event['eventId'] };
    if (event['type'] === 'ContactBlocked') {
      const data = (event as { data: { reasons: unknown; nextAllowedAt?: string } }).data;
      return new ArrearsError(ErrorCode.COMPLIANCE_BLOCKED, `${route.command.type} was blocked by the compliance engine; the decision is recorded (event ${String(event['eventId'])})`, {
        details: { reasons: data.reasons, ...(data.nextAllowedAt === undefined ? {} : { nextAllowedAt: data.nextAllowedAt }), ...recorded },
      });
    }
    if (event['type'] === 'ScriptRejected') {
      const { hits } = (event as { data: { hits: readonly { term: string }[] } }).data;
      return new ArrearsError(ErrorCode.COMPLIANCE_BLOCKED, `${route.command.type} was refused: the script uses prohibited language (${hits.map((hit) => JSON.stringify(hit.term)).join(', ')}); the refusal is recorded (event ${String(event['eventId'])})`, {
        field: 'text',
        details: { hits, ...recorded },
      });
    }
  }
  return undefined;
}

function queryResponse(route: QueryRoute, answer: unknown, headers: Record<string, string>): OutgoingResponse {
  if (route.produces === undefined) return { status: 200, body: answer, contentType: 'application/json', headers };
  const file = answer as { body?: unknown; filename?: unknown };
  if (typeof file?.body !== 'string') throw new ArrearsError(ErrorCode.INTERNAL, `${route.service} answered ${route.query} without a ${route.produces} body`);
  const disposition: Record<string, string> = typeof file.filename === 'string' ? { 'content-disposition': `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"` } : {};
  return { status: 200, body: file.body, contentType: `${route.produces}; charset=utf-8`, headers: { ...headers, ...disposition } };
}

function coerceQuery(route: Route, query: IncomingRequest['query']): Record<string, unknown> {
  if (route.kind !== 'query') return {};
  const declared = new Map((route.parameters ?? []).map((parameter) => [parameter.name, parameter]));
  const coerced: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    const parameter = declared.get(name);
    if (parameter === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${route.path} takes no query parameter "${name}"; it takes ${[...declared.keys()].join(', ') || 'none'}`, { field: name });
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    coerced[name] = coerce(parameter, value ?? '');
  }
  for (const parameter of route.parameters ?? []) {
    if (parameter.required === true && coerced[parameter.name] === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${parameter.name} is required: ${parameter.description}`, { field: parameter.name });
  }
  return coerced;
}

function coerce(parameter: QueryParameter, value: string): unknown {
  const invalid = (expected: string) => new ArrearsError(ErrorCode.VALIDATION_FAILED, `${parameter.name} must be ${expected}, not "${value}"`, { field: parameter.name });
  switch (parameter.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(value)) throw invalid('a whole number');
      return Number(value);
    }
    case 'boolean': {
      if (value !== 'true' && value !== 'false') throw invalid('true or false');
      return value === 'true';
    }
    case 'date-time':
      if (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw invalid('an ISO-8601 instant such as 2026-11-30T09:00:00Z');
      return value;
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalid('a calendar day such as 2026-11-30');
      return value;
    case 'string':
      if (parameter.enum !== undefined && !parameter.enum.includes(value)) throw invalid(`one of ${parameter.enum.join(', ')}`);
      return value;
  }
}

function header(headers: IncomingRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `X-Correlation-Id` when the caller sent a UUID, otherwise a new one: it ties the command's events to the request. */
function correlationOf(headers: IncomingRequest['headers']): string {
  const given = header(headers, 'x-correlation-id');
  return given !== undefined && IdSchema.safeParse(given).success ? given : randomUUID();
}

/** `Idempotency-Key` (a UUID) becomes the command id: a retried request writes its events once. */
function idempotencyKey(headers: IncomingRequest['headers']): string | undefined {
  const given = header(headers, 'idempotency-key');
  if (given === undefined) return undefined;
  if (!IdSchema.safeParse(given).success) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'Idempotency-Key must be a UUID', { field: 'idempotency-key' });
  return given;
}
