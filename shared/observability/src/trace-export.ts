/** The process environment, or a stand-in for it: configuration is read from this, never from globals directly. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Where spans go, as the standard OTEL_* variables decide it. */
export type TraceExport = { readonly kind: 'none'; readonly reason: string } | { readonly kind: 'otlp'; readonly url: string };

const SUPPORTED_EXPORTERS = ['otlp', 'none'];

/**
 * OTLP over HTTP when an endpoint is configured and OTEL_TRACES_EXPORTER does not say `none`; nothing otherwise.
 * A value this package cannot honour (`zipkin`, `console`) fails the start rather than silently dropping every span.
 */
export function traceExportFromEnv(env: Environment): TraceExport {
  const exporters = listed(env['OTEL_TRACES_EXPORTER']);
  const unsupported = exporters.filter((name) => !SUPPORTED_EXPORTERS.includes(name));
  if (unsupported.length > 0) {
    throw new Error(`OTEL_TRACES_EXPORTER=${env['OTEL_TRACES_EXPORTER']}: only "otlp" and "none" are supported (got ${unsupported.join(', ')})`);
  }
  if (exporters.includes('none')) return { kind: 'none', reason: 'OTEL_TRACES_EXPORTER=none' };
  const url = otlpTracesUrl(env);
  if (url === undefined) return { kind: 'none', reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT' };
  return { kind: 'otlp', url };
}

/** The signal-specific endpoint is a full URL; the general one is a base that `/v1/traces` is appended to (OTLP spec). */
function otlpTracesUrl(env: Environment): string | undefined {
  const tracesEndpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim();
  if (tracesEndpoint) return tracesEndpoint;
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (!endpoint) return undefined;
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

function listed(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
}
