import { ArrearsError, CommandCatalog, ErrorCode, natsTopology, type Topology } from '@arrears/contracts';
import { natsUrl, QueryClient } from '@arrears/messaging';
import { createTopology, removeTopology } from '@arrears/messaging/src/consumers/testing/nats-fixtures';
import { prometheusSample, runningTelemetry } from '@arrears/observability';
import { databaseUrl, rejection, uniqueName } from '@arrears/testing';
import { Module, type DynamicModule } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { Closers } from '../closers';
import { listenAsMicroservice } from '../microservice';
import { startService, type StartedService } from '../process';
import { serveHealth } from './health-server';
import { Readiness } from './readiness';

@Module({})
class NothingModule {}

async function scrape(port: number): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/**
 * `/metrics` as a service process serves it: `startService` starts telemetry before the service, the health
 * server answers `/metrics` on its port, and what the service records (here its queries) is there.
 */
describe('GET /metrics on the health port of a service process', () => {
  let nc: NatsConnection;
  let topology: Topology;
  let service: StartedService;
  let client: QueryClient;

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl() });
    topology = natsTopology(uniqueName('metrics'));
    await createTopology(await nc.jetstreamManager(), topology);
    const env = { ...process.env, DATABASE_URL: databaseUrl(), NATS_URL: natsUrl(), NODE_ENV: 'test', ARREARS_HEALTH_PORT: '0', LOG_LEVEL: 'silent', ARREARS_TOPOLOGY_ROOT: topology.root };
    service = await startService(
      'accounts',
      async (settings) => {
        const closers = new Closers();
        await listenAsMicroservice(
          { module: NothingModule } as DynamicModule,
          {
            service: 'accounts',
            topology: settings.topology,
            commands: new CommandCatalog([]),
            queries: {
              AccountCount: async (params) => {
                if (params['region'] === 'mars') throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'No accounts on Mars', { field: 'region' });
                return { count: 3 };
              },
            },
          },
          closers,
        );
        return { close: () => closers.closeAll() };
      },
      env,
    );
    await service.running;
    client = new QueryClient({ connection: nc, topology });
  });

  afterAll(async () => {
    await service?.stop();
    await removeTopology(await nc.jetstreamManager(), topology);
    await nc.close();
  });

  it('answers in the Prometheus text format, every series labelled with the service name', async () => {
    const port = service.health?.port ?? 0;
    const { status, contentType, text } = await scrape(port);
    expect(status).toBe(200);
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toMatch(/^# HELP target_info Target metadata$/m);
    expect(text).toMatch(/^target_info\{.*service_name="accounts".*\} 1$/m);
  });

  it('counts each query in arrears_query_duration_seconds, by query and outcome', async () => {
    const port = service.health?.port ?? 0;
    const labels = { service: 'accounts', query: 'AccountCount', service_name: 'accounts' };
    const before = await scrape(port);
    const okBefore = prometheusSample(before.text, 'arrears_query_duration_seconds_count', { ...labels, outcome: 'ok' }) ?? 0;

    await client.ask('accounts', 'AccountCount', {}, { actorId: 'auditor-7', actorRole: 'auditor' });
    await client.ask('accounts', 'AccountCount', {}, { actorId: 'auditor-7', actorRole: 'auditor' });
    await rejection(client.ask('accounts', 'AccountCount', { region: 'mars' }, { actorId: 'auditor-7', actorRole: 'auditor' }));

    const after = (await scrape(port)).text;
    expect(prometheusSample(after, 'arrears_query_duration_seconds_count', { ...labels, outcome: 'ok' })).toBe(okBefore + 2);
    expect(prometheusSample(after, 'arrears_query_duration_seconds_count', { ...labels, outcome: 'VALIDATION_FAILED' })).toBe(1);
    expect(prometheusSample(after, 'arrears_query_duration_seconds_bucket', { ...labels, outcome: 'ok', le: '+Inf' })).toBe(okBefore + 2);
  });

  it('times its own HTTP requests by route template, method and status; an unknown path as unmatched', async () => {
    const port = service.health?.port ?? 0;
    await scrape(port);
    expect((await fetch(`http://127.0.0.1:${port}/no/such/${'x'.repeat(8)}`)).status).toBe(404);
    await fetch(`http://127.0.0.1:${port}/health/live`);
    const { text } = await scrape(port);
    expect(prometheusSample(text, 'arrears_http_request_duration_seconds_count', { route: '/metrics', method: 'GET', status: '200', service_name: 'accounts' })).toBeGreaterThanOrEqual(1);
    expect(prometheusSample(text, 'arrears_http_request_duration_seconds_count', { route: '/health/live', method: 'GET', status: '200' })).toBe(1);
    expect(prometheusSample(text, 'arrears_http_request_duration_seconds_count', { route: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    expect(text).not.toContain('/no/such/');
  });

  it('stops the telemetry it started when the service stops', async () => {
    const port = service.health?.port ?? 0;
    expect(runningTelemetry()).toBeDefined();
    await service.stop();
    expect(runningTelemetry()).toBeUndefined();
    await expect(scrape(port)).rejects.toThrow();
  });

  it('is 503, not an empty 200, in a process that has not started telemetry', async () => {
    const readiness = new Readiness();
    readiness.markReady();
    const server = await serveHealth({ port: 0, host: '127.0.0.1', readiness, name: 'arrears-metrics-test' });
    try {
      expect(runningTelemetry()).toBeUndefined();
      expect((await scrape(server.port)).status).toBe(503);
    } finally {
      await server.close();
    }
  });
});
