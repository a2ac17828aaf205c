import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { MeterProvider, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { PrometheusEndpoint } from './metrics';
import { traceExportFromEnv, type Environment } from './trace-export';

export interface TelemetryOptions {
  /** `service.name` on every span and metric; OTEL_SERVICE_NAME, when set, overrides it (one image, several deployments). */
  readonly serviceName: string;
  readonly version?: string;
  /** Replaces the exporter the environment would choose; spans reach it in batches. */
  readonly traceExporter?: SpanExporter;
  /** Replace the exporter the environment would choose; tests pass a SimpleSpanProcessor over an in-memory exporter. */
  readonly spanProcessors?: readonly SpanProcessor[];
  /** Besides the Prometheus reader every telemetry has (`renderMetrics`), whatever OTEL_METRICS_EXPORTER says. */
  readonly metricReaders?: readonly IMetricReader[];
  /**
   * `false`: metrics only — no tracer provider, context manager or propagator is registered, so spans stay the API's
   * no-op ones and a stored `traceparent` passes through unchanged. Default true.
   */
  readonly tracing?: boolean;
  /** Defaults to `process.env`. */
  readonly env?: Environment;
}

export interface Telemetry {
  readonly serviceName: string;
  /** How spans leave the process: `custom` when the caller passed its own exporter or processors. */
  readonly traceExport: 'otlp' | 'none' | 'custom';
  readonly tracerProvider: NodeTracerProvider;
  readonly meterProvider: MeterProvider;
  /** Every metric of the process in the Prometheus text format (`GET /metrics`, content type PROMETHEUS_CONTENT_TYPE). */
  renderMetrics(): Promise<string>;
  /** Export is asynchronous: flush before asserting on exported data or before the process exits. */
  forceFlush(): Promise<void>;
  /** Flushes, stops the providers and unregisters them, so a later `startTelemetry` starts afresh. Safe to call twice. */
  shutdown(): Promise<void>;
}

let running: Telemetry | undefined;

/**
 * Registers tracing and metrics for this process: a NodeTracerProvider with an AsyncLocalStorage context manager
 * (the active span follows async calls), W3C trace-context and baggage propagators, and a MeterProvider, both
 * carrying the service's resource. Telemetry is process-wide, so a second call returns the running handle and
 * ignores its options; call `shutdown()` first to start again differently.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (running !== undefined) return running;
  const env = options.env ?? process.env;
  const serviceName = env['OTEL_SERVICE_NAME']?.trim() || options.serviceName;
  const resource = serviceResource(serviceName, options.version);
  const tracing = options.tracing !== false;
  const spans = tracing ? spanProcessorsFor(options, env) : { kind: 'none' as const, processors: [] };
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [...spans.processors] });
  // Pulled by a scrape, never pushed: it costs nothing until `/metrics` is asked, so it is always there.
  const prometheus = new PrometheusEndpoint();
  const meterProvider = new MeterProvider({ resource, readers: [prometheus.reader, ...(options.metricReaders ?? [])] });
  registerGlobals(tracing ? tracerProvider : undefined, meterProvider);
  const telemetry = handle(serviceName, spans.kind, tracerProvider, meterProvider, prometheus);
  running = telemetry;
  return telemetry;
}

/** The telemetry this process started, if any. */
export function runningTelemetry(): Telemetry | undefined {
  return running;
}

/** The running telemetry's metrics in the Prometheus text format; undefined when telemetry is not started. */
export function renderMetrics(): Promise<string> | undefined {
  return running?.renderMetrics();
}

function serviceResource(serviceName: string, version: string | undefined): Resource {
  const attributes = version === undefined ? { [ATTR_SERVICE_NAME]: serviceName } : { [ATTR_SERVICE_NAME]: serviceName, [ATTR_SERVICE_VERSION]: version };
  return defaultResource().merge(resourceFromAttributes(attributes));
}

function spanProcessorsFor(options: TelemetryOptions, env: Environment): { kind: Telemetry['traceExport']; processors: readonly SpanProcessor[] } {
  if (options.spanProcessors !== undefined || options.traceExporter !== undefined) {
    const batched = options.traceExporter === undefined ? [] : [new BatchSpanProcessor(options.traceExporter)];
    return { kind: 'custom', processors: [...(options.spanProcessors ?? []), ...batched] };
  }
  const choice = traceExportFromEnv(env);
  if (choice.kind === 'none') return { kind: 'none', processors: [] };
  return { kind: 'otlp', processors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: choice.url }))] };
}

/**
 * The API keeps the first provider registered and ignores later ones; a process with another SDK already in it
 * would record nothing of ours without a word, so that is an error here, after undoing what did register.
 */
function registerGlobals(tracerProvider: NodeTracerProvider | undefined, meterProvider: MeterProvider): void {
  const registrations: ReadonlyArray<readonly [registered: boolean, undo: () => void]> = [
    ...(tracerProvider === undefined
      ? []
      : ([
          [trace.setGlobalTracerProvider(tracerProvider), () => trace.disable()],
          [context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()), () => context.disable()],
          [propagation.setGlobalPropagator(w3cPropagator()), () => propagation.disable()],
        ] as const)),
    [metrics.setGlobalMeterProvider(meterProvider), () => metrics.disable()],
  ];
  if (registrations.every(([registered]) => registered)) return;
  for (const [registered, undo] of registrations) if (registered) undo();
  throw new Error('Another OpenTelemetry SDK is already registered in this process: start telemetry once, at the top of main');
}

function w3cPropagator(): CompositePropagator {
  return new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
}

function disableGlobals(): void {
  trace.disable();
  metrics.disable();
  propagation.disable();
  context.disable();
}

function handle(serviceName: string, traceExport: Telemetry['traceExport'], tracerProvider: NodeTracerProvider, meterProvider: MeterProvider, prometheus: PrometheusEndpoint): Telemetry {
  let stopping: Promise<void> | undefined;
  const telemetry: Telemetry = {
    serviceName,
    traceExport,
    tracerProvider,
    meterProvider,
    renderMetrics: () => prometheus.render(),
    forceFlush: async () => {
      await Promise.all([tracerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    shutdown: () => {
      stopping ??= (async () => {
        try {
          await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
        } finally {
          disableGlobals();
          if (running === telemetry) running = undefined;
        }
      })();
      return stopping;
    },
  };
  return telemetry;
}
