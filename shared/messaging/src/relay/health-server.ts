import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RelayHealth } from './relay';

export interface HealthSource {
  health(): Promise<RelayHealth>;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `GET /health`: 200 with the relay's state and lag as JSON, or 503 with the same body when the store or NATS
 * cannot be reached — a standby that can reach both is healthy. Port 0 picks a free port (see `port`).
 */
export async function startHealthServer(source: HealthSource, port: number, host = '0.0.0.0'): Promise<HealthServer> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/health') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found: try GET /health' }));
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

function respond(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
