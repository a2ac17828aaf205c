import type { AddressInfo } from 'node:net';
import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthModule, type HealthOptions } from './health.module';

export interface HealthServerOptions extends HealthOptions {
  /** 0 picks a free port (see `HealthServer.port`). */
  readonly port: number;
  /** Default `0.0.0.0`, so an orchestrator's probes reach it. */
  readonly host?: string;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/** The health module as an HTTP server of its own (Fastify), for a process that serves nothing else over HTTP. */
export async function serveHealth(options: HealthServerOptions): Promise<HealthServer> {
  const { port, host, ...health } = options;
  const app = await NestFactory.create<NestFastifyApplication>(HealthModule.forRoot(health), new FastifyAdapter(), { logger: false, abortOnError: false });
  try {
    await app.listen(port, host ?? '0.0.0.0');
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  return { port: (app.getHttpServer().address() as AddressInfo).port, close: () => app.close() };
}

/** `ARREARS_HEALTH_PORT`: undefined when unset or empty (no health server); 0 picks a free port. */
export function healthPortFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env['ARREARS_HEALTH_PORT']?.trim();
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `ARREARS_HEALTH_PORT must be a port number (0 to 65535), not "${value}"`, { field: 'ARREARS_HEALTH_PORT' });
  return port;
}
