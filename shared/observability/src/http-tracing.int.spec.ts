import 'reflect-metadata';
import http from 'node:http';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Module,
  NotFoundException,
  Param,
  Post,
  UseGuards,
  type CanActivate,
} from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { DestinationStream } from 'pino';
import { eventually } from '@arrears/testing';
import { traceHttpRequests } from './http-tracing';
import { createLogger } from './logger';
import { expectSpanChain, spanNamed } from './span-tree';
import { withSpan } from './spans';
import { startTestTelemetry, type TestTelemetry } from './testing';

const INCOMING_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${INCOMING_TRACE}-${INCOMING_SPAN}-01`;

const logLines: string[] = [];
const destination: DestinationStream = { write: (line: string) => void logLines.push(line) };
const logger = createLogger({ service: 'gateway', destination, env: {} });
let guardCalls = 0;
const slowStarted = signal();
const slowRelease = signal();

/** A promise and the function that resolves it (Promise.withResolvers arrives with Node 22). */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

class LedgerUnavailable extends Error {
  override readonly name = 'LedgerUnavailable';
}

class DenyEveryone implements CanActivate {
  canActivate(): boolean {
    guardCalls += 1;
    throw new ForbiddenException('collectors may not read legal files');
  }
}

/** What a handler sees of the trace it runs in. */
function activeIds(): { traceId?: string; spanId?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return { traceId: spanContext?.traceId, spanId: spanContext?.spanId };
}

@Controller('cases')
class CasesController {
  @Get(':caseId')
  async read(@Param('caseId') caseId: string): Promise<object> {
    const seen = activeIds();
    await withSpan('load case', SpanKind.INTERNAL, undefined, { 'arrears.case_id': caseId }, () => new Promise((resolve) => setImmediate(resolve)));
    logger.info({ caseId }, 'case read');
    return { caseId, ...seen };
  }

  @Post(':caseId/promises')
  record(@Body() body: { amount: number }): object {
    const seen = activeIds();
    if (body.amount > 0) throw new LedgerUnavailable('ledger unavailable');
    return seen;
  }

  @Get(':caseId/missing')
  missing(): never {
    throw new NotFoundException('no such case');
  }

  /** Answers only once the test lets it, so that a client can hang up first. */
  @Get(':caseId/slow')
  async slow(): Promise<object> {
    slowStarted.resolve();
    await slowRelease.promise;
    return { done: true };
  }

  @Get(':caseId/legal-file')
  @UseGuards(DenyEveryone)
  legalFile(): object {
    return { secret: true };
  }
}

@Module({ controllers: [CasesController] })
class GatewayModule {}

/** A POST whose body leaves only once the server has begun on the request, as a slow client's would. */
function postInTwoPackets(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.flushHeaders();
    setTimeout(() => request.end(body), 50);
  });
}

describe('HTTP tracing on NestJS + Fastify', () => {
  let telemetry: TestTelemetry;
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    telemetry = startTestTelemetry('gateway');
    const moduleRef = await Test.createTestingModule({ imports: [GatewayModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    traceHttpRequests(app);
    await app.init();
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterEach(async () => {
    await telemetry.reset();
    logLines.length = 0;
  });

  afterAll(async () => {
    await app.close();
    await telemetry.shutdown();
  });

  it('continues an incoming traceparent with a SERVER span named after the route, active in the handler', async () => {
    const response = await app.inject({ method: 'GET', url: '/cases/c-42?phone=5551234', headers: { traceparent: TRACEPARENT, 'user-agent': 'dialer/2.1' } });
    expect(response.statusCode).toBe(200);

    const spans = await telemetry.finishedSpans();
    const [server, load] = expectSpanChain(spans, [
      { name: 'GET /cases/:caseId', kind: SpanKind.SERVER },
      { name: 'load case', kind: SpanKind.INTERNAL },
    ]);
    expect(server?.spanContext().traceId).toBe(INCOMING_TRACE);
    expect(server?.parentSpanContext).toMatchObject({ traceId: INCOMING_TRACE, spanId: INCOMING_SPAN, isRemote: true });
    expect(load?.attributes['arrears.case_id']).toBe('c-42');
    expect(response.json()).toEqual({ caseId: 'c-42', traceId: INCOMING_TRACE, spanId: server?.spanContext().spanId });
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/cases/:caseId',
      'url.path': '/cases/c-42',
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'user_agent.original': 'dialer/2.1',
    });
    expect(JSON.stringify(server?.attributes)).not.toContain('5551234');
    expect(server?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('starts a new trace when the request carries no traceparent', async () => {
    const response = await app.inject({ method: 'GET', url: '/cases/c-7' });

    const server = spanNamed(await telemetry.finishedSpans(), 'GET /cases/:caseId', SpanKind.SERVER);
    expect(server.parentSpanContext).toBeUndefined();
    expect(server.spanContext().traceId).not.toBe(INCOMING_TRACE);
    expect(response.json()).toMatchObject({ traceId: server.spanContext().traceId, spanId: server.spanContext().spanId });
  });

  it('gives the handler’s log lines the trace id of the request', async () => {
    await app.inject({ method: 'GET', url: '/cases/c-9', headers: { traceparent: TRACEPARENT } });

    const load = spanNamed(await telemetry.finishedSpans(), 'GET /cases/:caseId');
    const lines = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ msg: 'case read', caseId: 'c-9', trace_id: INCOMING_TRACE, span_id: load.spanContext().spanId })]);
  });

  it('records the exception of a failing handler and marks the 500 ERROR', async () => {
    const response = await app.inject({ method: 'POST', url: '/cases/c-1/promises', payload: { amount: 100 }, headers: { traceparent: TRACEPARENT } });
    expect(response.statusCode).toBe(500);

    const server = spanNamed(await telemetry.finishedSpans(), 'POST /cases/:caseId/promises', SpanKind.SERVER);
    expect(server.spanContext().traceId).toBe(INCOMING_TRACE);
    expect(server.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ledger unavailable' });
    expect(server.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': 'LedgerUnavailable' });
    expect(server.events.map((event) => [event.name, event.attributes?.['exception.type'], event.attributes?.['exception.message']])).toEqual([
      ['exception', 'LedgerUnavailable', 'ledger unavailable'],
    ]);
  });

  it('keeps the span active in a POST handler whose body arrives after the headers', async () => {
    // Over a real socket: the body's bytes arrive in the socket's async context, not the one onRequest set.
    const response = await postInTwoPackets(`${baseUrl}/cases/c-1/promises`, JSON.stringify({ amount: 0 }));
    expect(response.status).toBe(201);

    const server = spanNamed(await telemetry.finishedSpans(), 'POST /cases/:caseId/promises');
    expect(JSON.parse(response.body)).toEqual({ traceId: server.spanContext().traceId, spanId: server.spanContext().spanId });
  });

  it('records a 4xx exception without marking the span ERROR: the caller erred, not the service', async () => {
    const response = await app.inject({ method: 'GET', url: '/cases/c-1/missing' });
    expect(response.statusCode).toBe(404);

    const server = spanNamed(await telemetry.finishedSpans(), 'GET /cases/:caseId/missing');
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    expect(server.attributes['http.response.status_code']).toBe(404);
    expect(server.attributes['error.type']).toBeUndefined();
    expect(server.events.map((event) => event.attributes?.['exception.type'])).toEqual(['NotFoundException']);
  });

  it('records an error Fastify raises before Nest sees the request (a body that is not JSON)', async () => {
    const response = await app.inject({ method: 'POST', url: '/cases/c-1/promises', headers: { 'content-type': 'application/json' }, payload: '{"amount":' });
    expect(response.statusCode).toBe(400);

    const server = spanNamed(await telemetry.finishedSpans(), 'POST /cases/:caseId/promises');
    expect(server.attributes['http.response.status_code']).toBe(400);
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
    expect(server.events.map((event) => event.name)).toEqual(['exception']);
    expect(server.events[0]?.attributes?.['exception.message']).toMatch(/JSON/);
  });

  it('traces a request a guard refuses, with the status the exception filter sent', async () => {
    guardCalls = 0;
    const response = await app.inject({ method: 'GET', url: '/cases/c-1/legal-file', headers: { traceparent: TRACEPARENT } });
    expect(response.statusCode).toBe(403);
    expect(guardCalls).toBe(1);

    const server = spanNamed(await telemetry.finishedSpans(), 'GET /cases/:caseId/legal-file', SpanKind.SERVER);
    expect(server.spanContext().traceId).toBe(INCOMING_TRACE);
    expect(server.attributes['http.response.status_code']).toBe(403);
    expect(server.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('ends the span of a request whose client hung up, which no response will ever end', async () => {
    const request = http.get(`${baseUrl}/cases/c-1/slow`);
    request.on('error', () => undefined);
    await slowStarted.promise;
    request.destroy();

    const server = await eventually(async () => spanNamed(await telemetry.finishedSpans(), 'GET /cases/:caseId/slow', SpanKind.SERVER), { timeoutMs: 2_000 });
    expect(server.events.map((event) => event.name)).toEqual(['http.request.aborted']);
    expect(server.attributes['http.response.status_code']).toBeUndefined();
    slowRelease.resolve();
  });

  it('names the span after the method alone when no route matched, so unknown paths do not multiply span names', async () => {
    const response = await app.inject({ method: 'GET', url: '/no/such/path' });
    expect(response.statusCode).toBe(404);

    const server = spanNamed(await telemetry.finishedSpans(), 'GET', SpanKind.SERVER);
    expect(server.attributes['http.route']).toBeUndefined();
    expect(server.attributes['url.path']).toBe('/no/such/path');
    expect(server.attributes['http.response.status_code']).toBe(404);
  });
});
