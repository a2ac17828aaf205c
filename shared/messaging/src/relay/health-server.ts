import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from '@arrears/observability';
import type { RelayHealth } from './relay';

export interface HealthSource {
  health(): Promise<RelayHealth>;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/** The process's metrics in the Prometheus text format; undefined when telemetry is not started. */
export type MetricsSource = () => Promise<string> | undefined;

/**
 * `GET /health`: 200 with the relay's state and lag as JSON, or 503 with the same body when the store or NATS
 * cannot be reached — a standby that can reach both is healthy. `GET /metrics`: the process's metrics (default:
 * the running telemetry's) in the Prometheus text format. Port 0 picks a free port (see `port`).
 */
export async function startHealthServer(source: HealthSource, port: number, host = '0.0.0.0', metrics: MetricsSource = renderMetrics): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    if (request.method === 'GET' && path === '/metrics') {
      serveMetrics(response, metrics);
      return;
    }
    if (request.method !== 'GET' || path !== '/health') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found: try GET /health or GET /metrics' }));
      return;
    }
    source.health().then(
      (health) => respond(response, health.status === 'ok' ? 200 : 503, health),
      (error: unknown) => respond(response, 503, { status: 'unavailable', problems: [error instanceof Error ? error.message : String(error)] }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
}

function serveMetrics(response: ServerResponse, metrics: MetricsSource): void {
  const rendered = metrics();
  if (rendered === undefined) {
    response.writeHead(503, { 'content-type': 'text/plain' }).end('Telemetry is not started in this process: there are no metrics to show\n');
    return;
  }
  rendered.then(
    (text) => response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(text),
    (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`Collecting the metrics failed: ${error instanceof Error ? error.message : String(error)}\n`),
  );
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
