import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { currentTraceContext } from './propagation';
import { runningTelemetry, startTelemetry, type Telemetry } from './telemetry';

describe('startTelemetry', () => {
  let telemetry: Telemetry | undefined;

  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
  });

  function startWithMemory(env: Record<string, string> = {}): InMemorySpanExporter {
    const exporter = new InMemorySpanExporter();
    telemetry = startTelemetry({ serviceName: 'accounts', version: '1.4.2', spanProcessors: [new SimpleSpanProcessor(exporter)], env });
    return exporter;
  }

  it('exports spans to the processors it is given, with the service name and version as the resource', async () => {
    const exporter = startWithMemory();
    trace.getTracer('test').startSpan('load account').end();
    await telemetry?.forceFlush();

    const [span, ...others] = exporter.getFinishedSpans();
    expect(others).toHaveLength(0);
    expect(span?.name).toBe('load account');
    expect(span?.resource.attributes['service.name']).toBe('accounts');
    expect(span?.resource.attributes['service.version']).toBe('1.4.2');
    expect(telemetry?.traceExport).toBe('custom');
  });

  it('lets OTEL_SERVICE_NAME override the service name the code gives', async () => {
    const exporter = startWithMemory({ OTEL_SERVICE_NAME: 'accounts-eu' });
    trace.getTracer('test').startSpan('load account').end();
    await telemetry?.forceFlush();

    expect(telemetry?.serviceName).toBe('accounts-eu');
    expect(exporter.getFinishedSpans()[0]?.resource.attributes['service.name']).toBe('accounts-eu');
  });

  it('with OTEL_TRACES_EXPORTER=none exports nothing, yet spans still get ids to propagate', () => {
    telemetry = startTelemetry({ serviceName: 'accounts', env: { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' } });
    const span = trace.getTracer('test').startSpan('load account');
    const traced = currentTraceContext(trace.setSpan(context.active(), span));
    span.end();

    expect(telemetry.traceExport).toBe('none');
    expect(traced?.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
  });

  it('chooses OTLP from the environment when an endpoint is set', () => {
    telemetry = startTelemetry({ serviceName: 'accounts', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' } });
    expect(telemetry.traceExport).toBe('otlp');
  });

  it('with tracing off registers metrics only: spans stay no-ops and nothing is propagated', async () => {
    telemetry = startTelemetry({ serviceName: 'relay', tracing: false, env: {} });
    const span = trace.getTracer('test').startSpan('publish');
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), carrier);
    span.end();

    expect(span.isRecording()).toBe(false);
    expect(carrier).toEqual({});
    metrics.getMeter('test').createCounter('arrears.relay.published').add(1);
    expect(await telemetry.renderMetrics()).toContain('arrears_relay_published_total{service_name="relay"} 1');
  });

  it('is started once per process: a second call returns the running handle', () => {
    startWithMemory();
    const again = startTelemetry({ serviceName: 'other', env: {} });
    expect(again).toBe(telemetry);
    expect(again.serviceName).toBe('accounts');
  });

  it('unregisters itself on shutdown, so it can be started again', async () => {
    const first = startWithMemory();
    await telemetry?.shutdown();
    await telemetry?.shutdown();
    expect(runningTelemetry()).toBeUndefined();
    trace.getTracer('test').startSpan('after shutdown').end();

    const second = startWithMemory();
    trace.getTracer('test').startSpan('second life').end();
    expect(first.getFinishedSpans().map((span) => span.name)).toEqual([]);
    expect(second.getFinishedSpans().map((span) => span.name)).toEqual(['second life']);
  });

  it('refuses to start beside another SDK that registered first', () => {
    const other = new NodeTracerProvider();
    trace.setGlobalTracerProvider(other);
    try {
      expect(() => startTelemetry({ serviceName: 'accounts', env: {} })).toThrow('Another OpenTelemetry SDK is already registered');
      expect(runningTelemetry()).toBeUndefined();
      // What did register was undone: no propagator (inject writes nothing), no meter provider of ours.
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      expect(carrier).toEqual({});
      expect(metrics.getMeterProvider().constructor.name).toBe('NoopMeterProvider');
    } finally {
      trace.disable();
    }
  });
});
