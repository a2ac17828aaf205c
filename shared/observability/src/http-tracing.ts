import { Injectable, type CallHandler, type ExecutionContext, type INestApplication, type NestInterceptor } from '@nestjs/common';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_METHOD_ORIGINAL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
  HTTP_REQUEST_METHOD_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';
import { tap, type Observable } from 'rxjs';
import { contextFromHeaders } from './propagation';
import { errorType, TRACER_NAME } from './spans';

/** The parts of a Fastify request and reply the hooks read; typed here so this package needs no Fastify dependency. */
interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly routeOptions?: { readonly url?: string };
  readonly ip?: string;
  readonly hostname?: string;
  readonly protocol?: string;
  readonly raw?: { readonly httpVersion?: string };
}

interface HttpReply {
  readonly statusCode: number;
}

type Done = () => void;

interface FastifyHooks {
  addHook(name: 'onRequest' | 'onResponse', hook: (request: HttpRequest, reply: HttpReply, done: Done) => void): unknown;
  addHook(name: 'onError', hook: (request: HttpRequest, reply: HttpReply, error: unknown, done: Done) => void): unknown;
  addHook(name: 'onRequestAbort', hook: (request: HttpRequest, done: Done) => void): unknown;
}

interface RequestSpan {
  readonly span: Span;
  /** The first failure recorded, kept for the span status if the response turns out to be a 5xx. */
  error?: unknown;
}

const requestSpans = new WeakMap<object, RequestSpan>();

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

/**
 * Traces every HTTP request of a NestJS application on Fastify with a SERVER span named `<METHOD> <route>`,
 * continuing the caller's trace when the request carries a `traceparent`. Call it before `app.init()` or
 * `app.listen()`: Fastify accepts hooks only until it is ready.
 *
 * Fastify hooks rather than only a Nest interceptor, because an interceptor runs after guards and before
 * exception filters: it would miss requests a guard refuses and unknown routes, and could not know the status
 * code a filter finally sends. The interceptor added here only records the handler's exception on the span.
 */
export function traceHttpRequests(app: INestApplication): void {
  const adapter = app.getHttpAdapter();
  if (adapter.getType() !== 'fastify') {
    throw new Error(`HTTP tracing is built for NestJS on Fastify; this application runs on ${adapter.getType()}`);
  }
  const fastify: FastifyHooks = adapter.getInstance();
  addTracingHooks(fastify);
  app.useGlobalInterceptors(new HttpTracingInterceptor());
}

/** Records an exception thrown by a route handler (or a pipe before it) on the request's SERVER span. */
@Injectable()
export class HttpTracingInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (execution.getType() !== 'http') return next.handle();
    const request = execution.switchToHttp().getRequest<object>();
    return next.handle().pipe(tap({ error: (error: unknown) => recordRequestError(request, error) }));
  }
}

function addTracingHooks(fastify: FastifyHooks): void {
  // Fastify carries the async context of onRequest through body parsing (it binds the parser's callback to the
  // request), so the span activated here is the active one in guards, pipes, the handler and all they await.
  fastify.addHook('onRequest', (request, _reply, done) => {
    context.with(startRequestSpan(request), done);
  });
  fastify.addHook('onError', (request, _reply, error, done) => {
    recordRequestError(request, error);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    endRequestSpan(request, reply.statusCode);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    requestSpans.get(request)?.span.addEvent('http.request.aborted');
    endRequestSpan(request, undefined);
    done();
  });
}

/** Starts the request's SERVER span and returns the context that has it active. */
function startRequestSpan(request: HttpRequest): Context {
  // ROOT_CONTEXT: a request continues its caller's trace or starts a new one, never whatever ran before it.
  const parent = contextFromHeaders((name) => firstHeader(request.headers[name]), ROOT_CONTEXT);
  const method = requestMethod(request.method);
  const route = request.routeOptions?.url;
  const span = trace.getTracer(TRACER_NAME).startSpan(
    route === undefined ? method : `${method} ${route}`,
    { kind: SpanKind.SERVER, attributes: requestAttributes(request, method, route) },
    parent,
  );
  requestSpans.set(request, { span });
  return trace.setSpan(parent, span);
}

/** HTTP semantic conventions. The query string is left out: it may carry personal data (`?phone=`). */
function requestAttributes(request: HttpRequest, method: string, route: string | undefined): Attributes {
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_PATH]: request.url.split('?')[0],
    [ATTR_URL_SCHEME]: request.protocol ?? 'http',
  };
  if (method !== request.method) attributes[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = request.method;
  if (route !== undefined) attributes[ATTR_HTTP_ROUTE] = route;
  if (request.hostname) attributes[ATTR_SERVER_ADDRESS] = request.hostname;
  if (request.ip) attributes[ATTR_CLIENT_ADDRESS] = request.ip;
  if (request.raw?.httpVersion) attributes[ATTR_NETWORK_PROTOCOL_VERSION] = request.raw.httpVersion;
  const userAgent = firstHeader(request.headers['user-agent']);
  if (userAgent) attributes[ATTR_USER_AGENT_ORIGINAL] = userAgent;
  return attributes;
}

/** An unknown method would make the span name (and so the number of distinct names) unbounded. */
function requestMethod(method: string): string {
  return KNOWN_METHODS.has(method) ? method : HTTP_REQUEST_METHOD_VALUE_OTHER;
}

function recordRequestError(request: object, error: unknown): void {
  const entry = requestSpans.get(request);
  // Nest hands a handler's exception to its filter, which may pass it on to Fastify: record it once.
  if (entry === undefined || entry.error === error) return;
  entry.error ??= error;
  entry.span.recordException(error instanceof Error ? error : String(error));
}

/** A 4xx is the caller's mistake, not a failure of this service: only a 5xx marks a SERVER span ERROR (semconv). */
function endRequestSpan(request: HttpRequest, statusCode: number | undefined): void {
  const entry = requestSpans.get(request);
  if (entry === undefined) return;
  requestSpans.delete(request);
  const { span, error } = entry;
  if (statusCode !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
  if (statusCode !== undefined && statusCode >= 500) {
    span.setStatus({ code: SpanStatusCode.ERROR, ...(error instanceof Error ? { message: error.message } : {}) });
    span.setAttribute(ATTR_ERROR_TYPE, error === undefined ? String(statusCode) : errorType(error));
  }
  span.end();
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
