import { LATENCY_BUCKETS_SECONDS, lazyInstruments } from './metrics';

/** The parts of Fastify the hook uses; typed here so this package needs no Fastify dependency. */
interface RespondingRequest {
  readonly method: string;
  readonly routeOptions?: { readonly url?: string };
}

interface FinishedReply {
  readonly statusCode: number;
  /** Milliseconds since the request arrived (Fastify's own measure). */
  readonly elapsedTime: number;
}

export interface FastifyResponseHooks {
  addHook(name: 'onResponse', hook: (request: RespondingRequest, reply: FinishedReply, done: () => void) => void): unknown;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

const httpMetrics = lazyInstruments('@arrears/observability', (meter) => ({
  duration: meter.createHistogram('arrears.http.request.duration.seconds', {
    description: 'Time from an HTTP request to its response, by route template, method and status',
    unit: 's',
    advice: { explicitBucketBoundaries: [...LATENCY_BUCKETS_SECONDS] },
  }),
}));

/** The labels of one request: the route template (never the raw URL, which holds ids) and a known method. */
export function httpRequestLabels(request: RespondingRequest, statusCode: number): { route: string; method: string; status: string } {
  return {
    route: request.routeOptions?.url ?? 'unmatched',
    method: METHODS.has(request.method) ? request.method : '_OTHER',
    status: String(statusCode),
  };
}

/**
 * `arrears_http_request_duration_seconds{route,method,status}` for every response of a Fastify server, unknown
 * routes included (as `unmatched`). Add it before the server is ready: Fastify takes hooks only until then.
 */
export function measureHttpRequests(fastify: FastifyResponseHooks): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    httpMetrics().duration.record(reply.elapsedTime / 1_000, httpRequestLabels(request, reply.statusCode));
    done();
  });
}
