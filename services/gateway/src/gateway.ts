import 'reflect-metadata';
import { ArrearsError, ErrorCode, type Topology } from '@arrears/contracts';
import { connectNats } from '@arrears/messaging';
import { Closers, HealthModule, Readiness } from '@arrears/platform';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NatsConnection } from 'nats';
import type { Operator } from './auth/operator';
import { Tokens } from './auth/tokens';
import type { GatewayConfig } from './config';
import { registerEventStream } from './dashboard/event-stream';
import { serveDashboard } from './dashboard/static-files';
import { GatewayModule } from './gateway.module';
import { GatewayExceptionFilter } from './http/http-exception.filter';
import { openApiDocument } from './http/openapi';
import { handleRoute, type RouteDependencies } from './http/route-handler';
import { NatsUpstream, type Upstream } from './http/upstream';
import { ROUTES, type Route } from './routes';

export const GATEWAY_VERSION = '0.1.0';

export interface GatewayOptions {
  readonly config: GatewayConfig;
  readonly topology: Topology;
  /** A NATS connection the caller owns; otherwise the gateway opens its own (`NATS_URL`). */
  readonly nats?: NatsConnection;
  /** Where commands and queries go; default the services over NATS (tests of the HTTP layer pass their own). */
  readonly upstream?: Upstream;
  readonly routes?: readonly Route[];
  readonly clock?: () => Date;
  readonly logger?: LoggerService | false;
  /**
   * The process's readiness, served at `/health/live` and `/health/ready` with the gateway's NATS connection; default
   * one of its own, ready once the gateway listens.
   */
  readonly readiness?: Readiness;
  /** The built dashboard served at `/`: default `services/gateway/dashboard/dist` when built; false for none. */
  readonly dashboardDir?: string | false;
}

export interface Gateway {
  readonly app: NestFastifyApplication;
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly tokens: Tokens;
  readonly openApi: Record<string, unknown>;
  /** Whether the dashboard is served at `/` (it was built). */
  readonly dashboard: boolean;
  close(): Promise<void>;
}

/** Starts the HTTP API: every route of the table, OpenAPI at `/docs` (JSON at `/docs/json`). Port 0 picks a free one. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const closers = new Closers();
  try {
    let upstream = options.upstream;
    let nats = options.nats;
    if (upstream === undefined) {
      const connection = nats ?? (await connectNats('arrears-gateway'));
      if (nats === undefined) closers.add(() => connection.drain());
      nats = connection;
      upstream = new NatsUpstream(connection, options.topology);
    }
    const readiness = options.readiness ?? new Readiness();
    const tokens = new Tokens(options.config.jwtSecret, options.config.previousJwtSecrets);
    const routes = options.routes ?? ROUTES;
    const health = HealthModule.forRoot({ readiness, name: 'arrears-gateway health', ...(nats === undefined ? {} : { nats }) });
    const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot([health]), new FastifyAdapter({ bodyLimit: 1_048_576 }), { logger: options.logger ?? false });
    closers.add(() => app.close());
    app.useGlobalFilters(new GatewayExceptionFilter());
    const dependencies: RouteDependencies = {
      tokens,
      upstream,
      upstreamTimeoutMs: options.config.upstreamTimeoutMs,
      clock: options.clock ?? (() => new Date()),
      collectorOf: collectorOf(upstream, options.config.upstreamTimeoutMs),
      handedToLegal: handedToLegal(upstream, options.config.upstreamTimeoutMs),
      onUnexpected: (error, route, correlationId) =>
        options.logger ? options.logger.error?.(`${route.method} ${route.path} (correlation ${correlationId}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 'Gateway') : undefined,
    };
    const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
    registerRoutes(fastify, routes, dependencies);
    // The dashboard's live updates need the platform's events: only with a NATS connection (not a test's own upstream).
    if (nats !== undefined) registerEventStream(fastify, { nats, topology: options.topology, tokens, collectorOf: dependencies.collectorOf, handedToLegal: dependencies.handedToLegal });
    const dashboard = options.dashboardDir === false ? false : serveDashboard(app, options.dashboardDir);
    const openApi = openApiDocument(routes, GATEWAY_VERSION);
    SwaggerModule.setup('docs', app, openApi as unknown as OpenAPIObject, { jsonDocumentUrl: 'docs/json' });
    await app.listen(options.config.port, options.config.host);
    if (options.readiness === undefined) readiness.markReady();
    const address = fastify.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.config.port;
    return { app, url: `http://127.0.0.1:${port}`, tokens, openApi, dashboard, close: () => closers.closeAll() };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}

function registerRoutes(fastify: FastifyInstance, routes: readonly Route[], dependencies: RouteDependencies): void {
  for (const route of routes) {
    fastify.route({
      method: route.method,
      url: route.path,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const response = await handleRoute(
          route,
          { params: request.params as Record<string, string>, query: request.query as Record<string, string>, body: request.body, headers: request.headers },
          dependencies,
        );
        return reply.status(response.status).headers(response.headers).type(response.contentType).send(response.body);
      },
    });
  }
}

/** Whether a handoff of the case to legal started, as legal-escalation's read model says. */
function handedToLegal(upstream: Upstream, timeoutMs: number): RouteDependencies['handedToLegal'] {
  return async (caseId: string, asker: Operator) => {
    const answer = (await upstream.ask('legal-escalation', 'HandoffsStarted', { caseId }, { actorId: asker.operatorId, actorRole: asker.role }, timeoutMs)) as { handoffs: number };
    return answer.handoffs > 0;
  };
}

/** Which collector works a case, as case-workflow's read model says; null when unassigned or unknown. */
function collectorOf(upstream: Upstream, timeoutMs: number): RouteDependencies['collectorOf'] {
  return async (caseId: string, asker: Operator) => {
    try {
      const answer = (await upstream.ask('case-workflow', 'CaseAssignment', { caseId }, { actorId: asker.operatorId, actorRole: asker.role }, timeoutMs)) as { collectorId: string | null };
      return answer.collectorId;
    } catch (error) {
      if (error instanceof ArrearsError && error.code === ErrorCode.NOT_FOUND) return null;
      throw error;
    }
  };
}
