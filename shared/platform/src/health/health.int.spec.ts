import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { natsUrl } from '@arrears/messaging';
import { ThrowawayNats } from '@arrears/messaging/src/relay/testing/throwaway-nats';
import { databaseUrl, eventually } from '@arrears/testing';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { startService } from '../process';
import { HealthModule } from './health.module';
import { serveHealth, type HealthServer } from './health-server';
import { Readiness } from './readiness';

interface Answer {
  readonly status: number;
  readonly body: { status: string; info?: Record<string, { status: string }>; error?: Record<string, { status: string; message?: string; state?: string }> };
}

async function get(port: number, path: string): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** A port nothing listens on: taken from the OS, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('health and readiness (terminus)', () => {
  const servers: HealthServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  async function serve(options: { databaseUrl?: string; nats?: string; ready?: boolean }): Promise<HealthServer> {
    const readiness = new Readiness();
    if (options.ready !== false) readiness.markReady();
    const server = await serveHealth({ port: 0, host: '127.0.0.1', readiness, name: 'arrears-health-test', ...options });
    servers.push(server);
    return server;
  }

  it('answers live and ready with 200 when the service runs and PostgreSQL and NATS answer', async () => {
    const server = await serve({ databaseUrl: databaseUrl(), nats: natsUrl() });
    expect(await get(server.port, '/health/live')).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok', info: { process: expect.objectContaining({ status: 'up' }) } }) });
    const ready = await get(server.port, '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { service: { status: 'up', state: 'ready' }, database: { status: 'up' }, nats: { status: 'up' } }, error: {} });
  });

  it('is not ready, naming NATS, when nothing listens at the NATS URL', async () => {
    const server = await serve({ databaseUrl: databaseUrl(), nats: `nats://127.0.0.1:${await closedPort()}` });
    const ready = await get(server.port, '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', info: { service: { status: 'up' }, database: { status: 'up' } }, error: { nats: { status: 'down', message: expect.any(String) } } });
    expect(Object.keys(ready.body.error ?? {})).toEqual(['nats']);
    expect((await get(server.port, '/health/live')).status).toBe(200);
  });

  it('is not ready, naming the database, when PostgreSQL cannot be reached', async () => {
    const server = await serve({ databaseUrl: `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`, nats: natsUrl() });
    const ready = await get(server.port, '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', info: { nats: { status: 'up' } }, error: { database: { status: 'down', message: expect.stringContaining('ECONNREFUSED') } } });
    expect(Object.keys(ready.body.error ?? {})).toEqual(['database']);
  });

  it('turns not ready when the NATS it was connected to goes away, and ready again when it is back', async () => {
    const nats = await ThrowawayNats.start();
    try {
      const server = await serve({ nats: nats.url });
      expect((await get(server.port, '/health/ready')).status).toBe(200);
      await nats.stop();
      const down = await get(server.port, '/health/ready');
      expect(down).toMatchObject({ status: 503, body: { error: { nats: { status: 'down', message: expect.stringContaining(nats.url) } } } });
      await nats.start();
      await eventually(async () => expect((await get(server.port, '/health/ready')).status).toBe(200), { timeoutMs: 15_000, intervalMs: 200 });
    } finally {
      await nats.destroy();
    }
  }, 30_000);

  it('is ready only after the start resolved, and not ready from the moment stopping begins', async () => {
    const starting = deferred();
    const closing = deferred();
    let closed = false;
    const env = { ...process.env, DATABASE_URL: databaseUrl(), NATS_URL: natsUrl(), NODE_ENV: 'test', ARREARS_HEALTH_PORT: '0', LOG_LEVEL: 'silent' };
    const service = await startService(
      'health-test',
      async () => {
        await starting.promise;
        return {
          close: async () => {
            await closing.promise;
            closed = true;
          },
        };
      },
      env,
    );
    const port = service.health?.port ?? 0;
    expect(port).toBeGreaterThan(0);

    expect((await get(port, '/health/live')).status).toBe(200);
    const before = await get(port, '/health/ready');
    expect(before).toMatchObject({ status: 503, body: { error: { service: { status: 'down', state: 'starting' } } } });
    expect(Object.keys(before.body.error ?? {})).toEqual(['service']);

    starting.resolve();
    await service.running;
    expect(await get(port, '/health/ready')).toMatchObject({ status: 200, body: { info: { service: { state: 'ready' }, database: { status: 'up' }, nats: { status: 'up' } } } });

    const stopped = service.stop();
    expect(service.readiness.state).toBe('stopping');
    expect(await get(port, '/health/ready')).toMatchObject({ status: 503, body: { error: { service: { status: 'down', state: 'stopping' } } } });
    expect((await get(port, '/health/live')).status).toBe(200);
    expect(closed).toBe(false);

    closing.resolve();
    await stopped;
    expect(closed).toBe(true);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
  });

  it('is not ready while a service that is asked to stop during its start is still starting', async () => {
    const starting = deferred();
    const service = await startService('health-test', async () => (await starting.promise, { close: async () => undefined }), {
      ...process.env,
      NODE_ENV: 'test',
      ARREARS_HEALTH_PORT: '0',
      LOG_LEVEL: 'silent',
    });
    const port = service.health?.port ?? 0;
    const stopped = service.stop();
    starting.resolve();
    await service.running;
    expect(service.readiness.state).toBe('stopping');
    await stopped;
    await expect(fetch(`http://127.0.0.1:${port}/health/ready`)).rejects.toThrow();
  });

  it('has no health server when ARREARS_HEALTH_PORT is unset', async () => {
    const { ARREARS_HEALTH_PORT: _unset, ...env } = process.env;
    const service = await startService('health-test', async () => ({ close: async () => undefined }), { ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    await service.running;
    expect(service.health).toBeUndefined();
    expect(service.readiness.state).toBe('ready');
    await service.stop();
  });

  it('is a module an HTTP application imports into its own app, under the same paths', async () => {
    const readiness = new Readiness();
    @Module({ imports: [HealthModule.forRoot({ readiness, name: 'arrears-health-test', databaseUrl: databaseUrl() })] })
    class ApiModule {}
    const app = await NestFactory.create<NestFastifyApplication>(ApiModule, new FastifyAdapter(), { logger: false });
    try {
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      const notYet = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(notYet.statusCode).toBe(503);
      readiness.markReady();
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ info: { service: { status: 'up' }, database: { status: 'up' } } });
      expect(ready.headers['cache-control']).toContain('no-store');
    } finally {
      await app.close();
    }
  });
});
