import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { MeterProvider, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { traceExportFromEnv, type Environment } from './trace-export';

export interface TelemetryOptions {
  /** `service.name` on every span and metric; OTEL_SERVICE_NAME, when set, overrides it (one image, several deployments). */
  readonly serviceName: string;
  readonly version?: string;
  /** Replaces the exporter the environment would choose; spans reach it in batches. */
  readonly traceExporter?: SpanExporter;
  /** Replace the exporter the environment would choose; tests pass a SimpleSpanProcessor over an in-memory exporter. */
  readonly spanProcessors?: readonly SpanProcessor[];
  readonly metricReaders?: readonly IMetricReader[];
  /** Defaults to `process.env`. */
  readonly env?: Environment;
}

export interface Telemetry {
  readonly serviceName: string;
  /** How spans leave the process: `custom` when the caller passed its own exporter or processors. */
  readonly traceExport: 'otlp' | 'none' | 'custom';
  readonly tracerProvider: NodeTracerProvider;
  readonly meterProvider: MeterProvider;
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
  const spans = spanProcessorsFor(options, env);
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [...spans.processors] });
  const meterProvider = new MeterProvider({ resource, readers: [...(options.metricReaders ?? [])] });
  registerGlobals(tracerProvider, meterProvider);
  const telemetry = handle(serviceName, spans.kind, tracerProvider, meterProvider);
  running = telemetry;
  return telemetry;
}

/** The telemetry this process started, if any. */
export function runningTelemetry(): Telemetry | undefined {
  return running;
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
function registerGlobals(tracerProvider: NodeTracerProvider, meterProvider: MeterProvider): void {
  const registrations: ReadonlyArray<readonly [registered: boolean, undo: () => void]> = [
    [trace.setGlobalTracerProvider(tracerProvider), () => trace.disable()],
    [context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()), () => context.disable()],
    [propagation.setGlobalPropagator(w3cPropagator()), () => propagation.disable()],
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

function handle(serviceName: string, traceExport: Telemetry['traceExport'], tracerProvider: NodeTracerProvider, meterProvider: MeterProvider): Telemetry {
  let stopping: Promise<void> | undefined;
  const telemetry: Telemetry = {
    serviceName,
    traceExport,
    tracerProvider,
    meterProvider,
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
