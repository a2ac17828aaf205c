import 'reflect-metadata';
import { measureHttpRequests, renderMetrics, PROMETHEUS_CONTENT_TYPE, type FastifyResponseHooks } from '@arrears/observability';
import { Controller, Get, Header, Inject, Injectable, Module, ServiceUnavailableException, type DynamicModule, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule, type HealthIndicatorResult } from '@nestjs/terminus';
import type { NatsConnection } from 'nats';
import { NatsCheck } from './nats-check';
import { PostgresCheck, type DependencyStatus } from './postgres-check';
import type { Readiness } from './readiness';

export interface HealthOptions {
  /** The process's own state: ready only between the end of its start and the beginning of its stop. */
  readonly readiness: Readiness;
  /** Shown in `pg_stat_activity` and NATS' connection list, e.g. `arrears-accounts health`. */
  readonly name: string;
  /** PostgreSQL, checked on a connection of the module's own; omitted, not checked. */
  readonly databaseUrl?: string;
  /** NATS: a URL (the module opens a connection of its own) or a connection the caller owns; omitted, not checked. */
  readonly nats?: string | NatsConnection;
  /** What `GET /metrics` answers (Prometheus text); default the running telemetry's metrics (`renderMetrics`). */
  readonly metrics?: () => Promise<string> | undefined;
}

export const HEALTH_OPTIONS = Symbol('HealthOptions');

/** The indicators, under the keys a failing readiness body names: `service`, `database`, `nats`. */
@Injectable()
export class HealthIndicators implements OnModuleDestroy {
  private readonly postgres: PostgresCheck | undefined;
  private readonly nats: NatsCheck | undefined;

  constructor(
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
  ) {
    this.postgres = options.databaseUrl === undefined ? undefined : new PostgresCheck(options.databaseUrl, options.name);
    this.nats =
      options.nats === undefined ? undefined : new NatsCheck(typeof options.nats === 'string' ? { url: options.nats, name: options.name } : { connection: options.nats });
  }

  process(): HealthIndicatorResult {
    return this.indicators.check('process').up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()) });
  }

  service(): HealthIndicatorResult {
    const state = this.options.readiness.state;
    const session = this.indicators.check('service');
    if (state === 'ready') return session.up({ state });
    return session.down({ state, message: state === 'starting' ? 'the service has not finished starting' : 'the service is stopping' });
  }

  /** Every check that applies; terminus runs them at once. */
  readinessChecks(): (() => HealthIndicatorResult | Promise<HealthIndicatorResult>)[] {
    const { postgres, nats } = this;
    return [
      () => this.service(),
      ...(postgres ? [async () => this.result('database', await postgres.status())] : []),
      ...(nats ? [async () => this.result('nats', await nats.status())] : []),
    ];
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.postgres?.close().catch(() => undefined), this.nats?.close()]);
  }

  private result(key: 'database' | 'nats', status: DependencyStatus): HealthIndicatorResult {
    return status.up ? this.indicators.check(key).up() : this.indicators.check(key).down({ message: status.message });
  }
}

/** `GET /health/live`: the process answers. `GET /health/ready`: 200 when it may take work, else 503 naming what is not. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicators) private readonly indicators: HealthIndicators,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([() => this.indicators.process()]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(this.indicators.readinessChecks());
  }
}

/**
 * `GET /metrics`: every metric of the process in the Prometheus text format, on the port the probes use. 503 when
 * the process has not started telemetry (there is nothing that records).
 */
@Controller()
export class MetricsController {
  constructor(@Inject(HEALTH_OPTIONS) private readonly options: HealthOptions) {}

  @Get('metrics')
  @Header('content-type', PROMETHEUS_CONTENT_TYPE)
  @Header('cache-control', 'no-store')
  async metrics(): Promise<string> {
    const rendered = (this.options.metrics ?? renderMetrics)();
    if (rendered === undefined) throw new ServiceUnavailableException('Telemetry is not started in this process: there are no metrics to show');
    return rendered;
  }
}

/**
 * The application that serves `/metrics` measures its own HTTP requests (`arrears_http_request_duration_seconds`):
 * the gateway's API through the health module it imports, the probes and scrapes on a health server of its own.
 */
@Injectable()
export class HttpRequestMetrics implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.host.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    measureHttpRequests(adapter.getInstance<FastifyResponseHooks>());
  }
}

/**
 * Liveness and readiness on terminus, for any Nest HTTP application (Fastify): an HTTP service imports
 * `HealthModule.forRoot(...)` into its own module; a microservice process serves it on a port of its own with
 * `serveHealth` (health-server.ts). Either way `GET /metrics` is served beside them. Terminus' own error log is
 * off: a probe that fails is an answer, not an error.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: HEALTH_OPTIONS, useValue: options }, HealthIndicators, HttpRequestMetrics],
      exports: [HealthIndicators],
    };
  }
}
