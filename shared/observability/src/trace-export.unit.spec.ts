import { traceExportFromEnv } from './trace-export';

describe('traceExportFromEnv', () => {
  it('exports over OTLP/HTTP to <endpoint>/v1/traces when an endpoint is set', () => {
    expect(traceExportFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({ kind: 'otlp', url: 'http://collector:4318/v1/traces' });
  });

  it('takes the traces endpoint as the full URL', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:9999/custom' };
    expect(traceExportFromEnv(env)).toEqual({ kind: 'otlp', url: 'http://traces:9999/custom' });
  });

  it('exports over OTLP when OTEL_TRACES_EXPORTER=otlp names it explicitly', () => {
    expect(traceExportFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      kind: 'otlp',
      url: 'http://collector:4318/v1/traces',
    });
  });

  it('exports nothing when OTEL_TRACES_EXPORTER=none, even with an endpoint', () => {
    expect(traceExportFromEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({
      kind: 'none',
      reason: 'OTEL_TRACES_EXPORTER=none',
    });
  });

  it('exports nothing when no endpoint is configured', () => {
    expect(traceExportFromEnv({})).toEqual({ kind: 'none', reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT' });
    expect(traceExportFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toEqual({ kind: 'none', reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT' });
  });

  it('refuses an exporter it cannot honour rather than dropping spans silently', () => {
    expect(() => traceExportFromEnv({ OTEL_TRACES_EXPORTER: 'otlp,zipkin', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toThrow(
      'OTEL_TRACES_EXPORTER=otlp,zipkin: only "otlp" and "none" are supported (got zipkin)',
    );
  });
});
