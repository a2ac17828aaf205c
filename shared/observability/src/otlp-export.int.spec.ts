import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

interface Received {
  readonly path: string;
  readonly body: string;
}

/** A stand-in OTLP/HTTP collector on a free local port that keeps every request it gets. */
async function startCollector(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A service in miniature: starts telemetry from its environment, ends one span, shuts down, prints what it did.
 * It runs as its own Node process because the OTLP exporter loads `http` with a dynamic import(), which Jest's
 * CommonJS runtime refuses; a real service is a plain Node process too.
 */
const SERVICE = `
const { startTelemetry } = require(${JSON.stringify(path.join(__dirname, 'telemetry.ts'))});
const { trace } = require('@opentelemetry/api');
const telemetry = startTelemetry({ serviceName: 'accounts', version: '2.0.0' });
const span = trace.getTracer('test').startSpan('place account');
span.end();
telemetry.shutdown().then(() => console.log(JSON.stringify({ traceExport: telemetry.traceExport, traceId: span.spanContext().traceId })));
`;

async function runService(env: Record<string, string>): Promise<{ traceExport: string; traceId: string }> {
  // test/setup-env.js sets OTEL_TRACES_EXPORTER=none for every test; the service must see only what the test gives.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'OTEL_TRACES_EXPORTER'));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', SERVICE], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...inherited, ...env },
    timeout: 20_000,
  });
  return JSON.parse(stdout);
}

describe('startTelemetry exporting over OTLP/HTTP, in a service process', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;

  beforeEach(async () => {
    collector = await startCollector();
  });

  afterEach(() => collector.close());

  it('sends spans to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces with the service name', async () => {
    const service = await runService({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });

    expect(service.traceExport).toBe('otlp');
    expect(collector.received.map((request) => request.path)).toEqual(['/v1/traces']);
    const body = collector.received[0]?.body ?? '';
    expect(body).toContain('"place account"');
    expect(body).toContain(service.traceId);
    expect(body).toContain('"accounts"');
  });

  it('sends nothing when OTEL_TRACES_EXPORTER=none, though the endpoint is set', async () => {
    const service = await runService({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_TRACES_EXPORTER: 'none' });

    expect(service.traceExport).toBe('none');
    expect(service.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(collector.received).toEqual([]);
  });
});
