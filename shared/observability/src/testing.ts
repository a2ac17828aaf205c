import { AggregationTemporality, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { buildSpanTree, type SpanNode } from './span-tree';
import { runningTelemetry, startTelemetry, type Telemetry } from './telemetry';

/**
 * A metric reader that only answers `collect()`. Delta temporality makes each collection report what was
 * recorded since the previous one, so `reset()` can start every test from zero.
 */
export class InMemoryMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }

  // Nothing is buffered or pushed anywhere: collect() reads straight from the SDK.
  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}

export interface TestTelemetry {
  readonly telemetry: Telemetry;
  readonly spanExporter: InMemorySpanExporter;
  readonly metricReader: InMemoryMetricReader;
  /** Every span ended since the last reset. */
  finishedSpans(): Promise<ReadableSpan[]>;
  spanTree(): Promise<SpanNode[]>;
  /** The metrics recorded since the last collection or reset. */
  collectMetrics(): Promise<ResourceMetrics>;
  /** The last value of every instrument collected now, by name (gauges, and sums since the last collection). */
  metricValues(): Promise<Map<string, number>>;
  /** Forgets the spans and metrics recorded so far; call it between tests. */
  reset(): Promise<void>;
  /** Stops and unregisters telemetry so nothing keeps Jest waiting; call it in afterAll. */
  shutdown(): Promise<void>;
}

let current: TestTelemetry | undefined;

/**
 * Telemetry that keeps spans and metrics in memory for assertions. Spans are exported synchronously as they end
 * (SimpleSpanProcessor), so a span that ended is already in `finishedSpans()`. Calling it again while it runs
 * returns the same instance, so shared test helpers may call it too.
 */
export function startTestTelemetry(serviceName = 'test'): TestTelemetry {
  if (current !== undefined && runningTelemetry() === current.telemetry) return current;
  if (runningTelemetry() !== undefined) {
    throw new Error('Telemetry is already running in this process without the in-memory exporter: shut it down before startTestTelemetry()');
  }
  const spanExporter = new InMemorySpanExporter();
  const metricReader = new InMemoryMetricReader();
  const telemetry = startTelemetry({ serviceName, spanProcessors: [new SimpleSpanProcessor(spanExporter)], metricReaders: [metricReader] });
  const finishedSpans = async (): Promise<ReadableSpan[]> => {
    await telemetry.forceFlush();
    return spanExporter.getFinishedSpans();
  };
  current = {
    telemetry,
    spanExporter,
    metricReader,
    finishedSpans,
    spanTree: async () => buildSpanTree(await finishedSpans()),
    collectMetrics: async () => (await metricReader.collect()).resourceMetrics,
    metricValues: async () => lastValues((await metricReader.collect()).resourceMetrics),
    reset: async () => {
      spanExporter.reset();
      await metricReader.collect();
    },
    shutdown: async () => {
      current = undefined;
      await telemetry.shutdown();
    },
  };
  return current;
}

function lastValues(resourceMetrics: ResourceMetrics): Map<string, number> {
  const values = new Map<string, number>();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const last = metric.dataPoints.at(-1);
      if (last !== undefined && typeof last.value === 'number') values.set(metric.descriptor.name, last.value);
    }
  }
  return values;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The value of a series in a Prometheus text exposition (what `GET /metrics` answers): the sum of the samples named
 * `name` whose labels include `labels` (other labels may be there too); undefined when there is none.
 */
export function prometheusSample(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    const match = SAMPLE_LINE.exec(line);
    if (match === null || match[1] !== name) continue;
    const found = new Map([...(match[2] ?? '').matchAll(LABEL)].map(([, key, value]) => [key, (value ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))]));
    if (!Object.entries(labels).every(([key, value]) => found.get(key) === value)) continue;
    total = (total ?? 0) + Number(match[3]);
  }
  return total;
}
