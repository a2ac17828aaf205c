import { metrics, type BatchObservableCallback, type BatchObservableResult, type Meter, type MeterProvider, type Observable } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';

/** What `GET /metrics` answers with: the Prometheus text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** `service.name` from the resource becomes a `service_name` label on every series. */
const RESOURCE_LABELS = /^service\.name$/;

/**
 * The process's metrics in the Prometheus text format, read on demand from the MeterProvider it is a reader of.
 * It never listens on a port of its own: each process already serves HTTP for its health probes, and `/metrics`
 * is answered there (`renderMetrics()`), so there is one port per process to open and to scrape.
 */
export class PrometheusEndpoint {
  readonly reader: PrometheusExporter;
  private readonly serializer = new PrometheusSerializer(undefined, false, RESOURCE_LABELS, false, true);

  constructor() {
    this.reader = new PrometheusExporter({ preventServerStart: true, withResourceConstantLabels: RESOURCE_LABELS, withoutScopeInfo: true });
  }

  /** Collects every instrument now (asynchronous ones call their callbacks) and serializes the result. */
  async render(): Promise<string> {
    const { resourceMetrics } = await this.reader.collect();
    return this.serializer.serialize(resourceMetrics);
  }
}

/**
 * Instruments created on the meter of whichever provider is registered when they are used, and again when that
 * provider changes: instruments kept from import time would outlive a telemetry restart and record into a
 * provider that is gone (or into the no-op one that was there before telemetry started).
 */
export function lazyInstruments<T>(scope: string, create: (meter: Meter) => T): () => T {
  let cached: { readonly provider: MeterProvider; readonly instruments: T } | undefined;
  return () => {
    const provider = metrics.getMeterProvider();
    if (cached?.provider !== provider) cached = { provider, instruments: create(provider.getMeter(scope)) };
    return cached.instruments;
  };
}

/**
 * Registers asynchronous instruments on the current provider's meter and one callback that observes them all;
 * returns the function that unregisters it. For gauges whose source starts and stops (a pull loop, a poller).
 */
export function observeBatch<T extends Readonly<Record<string, Observable>>>(
  scope: string,
  create: (meter: Meter) => T,
  observe: (result: BatchObservableResult, instruments: T) => void | Promise<void>,
): () => void {
  const meter = metrics.getMeter(scope);
  const instruments = create(meter);
  const observables = Object.values(instruments);
  const callback: BatchObservableCallback = (result) => observe(result, instruments);
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}

/**
 * A value fetched at most once per `maxAgeMs`, shared by everyone asking meanwhile (one fetch in flight at a
 * time), so a scrape — or many scrapes — cost the source one call per interval. A failed fetch is not kept:
 * the next ask tries again.
 */
export class CachedProbe<T> {
  private cached: { readonly at: number; readonly value: Promise<T> } | undefined;

  constructor(
    private readonly fetch: () => Promise<T>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(): Promise<T> {
    const now = this.now();
    if (this.cached !== undefined && now - this.cached.at < this.maxAgeMs) return this.cached.value;
    const value = this.fetch();
    const entry = { at: now, value };
    this.cached = entry;
    value.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return value;
  }
}

/** Bucket boundaries (seconds) for request-reply latencies: a few milliseconds to a NATS request timeout. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Seconds since `start` (a `performance.now()` reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1_000;
}
