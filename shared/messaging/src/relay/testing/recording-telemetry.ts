import {
  TraceFlags,
  context,
  createNoopMeter,
  createTraceState,
  isSpanContextValid,
  trace,
  type Attributes,
  type BatchObservableCallback,
  type Context,
  type Meter,
  type Observable,
  type ObservableGauge,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanOptions,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type Tracer,
} from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';

/**
 * Just enough OpenTelemetry to see the relay's spans and headers in a test with nothing but the API installed:
 * a tracer that records what it starts, a W3C `traceparent`/`tracestate` propagator, and a meter whose
 * observable gauges are read on demand.
 */
export interface RecordedSpan {
  readonly name: string;
  readonly kind: SpanKind | undefined;
  readonly parent: SpanContext | undefined;
  readonly context: SpanContext;
  readonly attributes: Attributes;
  readonly events: string[];
  ended: boolean;
}

export class RecordingTracer implements Tracer {
  readonly spans: RecordedSpan[] = [];

  startSpan(name: string, options: SpanOptions = {}, parentContext: Context = context.active()): Span {
    const parent = trace.getSpanContext(parentContext);
    const record: RecordedSpan = {
      name,
      kind: options.kind,
      parent,
      context: {
        traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
        traceFlags: TraceFlags.SAMPLED,
        ...(parent?.traceState === undefined ? {} : { traceState: parent.traceState }),
      },
      attributes: { ...options.attributes },
      events: [],
      ended: false,
    };
    this.spans.push(record);
    return recordingSpan(record);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = (rest.length > 1 ? rest[0] : {}) as SpanOptions;
    const parent = (rest.length > 2 ? rest[1] : context.active()) as Context;
    const span = this.startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), () => fn(span)) as ReturnType<F>;
  }
}

function recordingSpan(record: RecordedSpan): Span {
  const span: Span = {
    spanContext: () => record.context,
    setAttribute: (key, value) => {
      if (value !== undefined) (record.attributes as Record<string, unknown>)[key] = value;
      return span;
    },
    setAttributes: (attributes) => {
      Object.assign(record.attributes, attributes);
      return span;
    },
    addEvent: (name) => {
      record.events.push(name);
      return span;
    },
    addLink: () => span,
    addLinks: () => span,
    setStatus: () => span,
    updateName: () => span,
    end: () => {
      record.ended = true;
    },
    isRecording: () => !record.ended,
    recordException: () => undefined,
  };
  return span;
}

const TRACEPARENT = /^00-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})$/;

export class W3CTraceContextTestPropagator implements TextMapPropagator {
  inject(active: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpanContext(active);
    if (span === undefined || !isSpanContextValid(span)) return;
    setter.set(carrier, 'traceparent', `00-${span.traceId}-${span.spanId}-0${span.traceFlags & TraceFlags.SAMPLED}`);
    if (span.traceState !== undefined) setter.set(carrier, 'tracestate', span.traceState.serialize());
  }

  extract(active: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = getter.get(carrier, 'traceparent');
    const match = TRACEPARENT.exec(Array.isArray(header) ? (header[0] ?? '') : (header ?? ''));
    if (match === null) return active;
    const state = getter.get(carrier, 'tracestate');
    return trace.setSpanContext(active, {
      traceId: match[1] as string,
      spanId: match[2] as string,
      traceFlags: parseInt(match[3] as string, 16),
      isRemote: true,
      ...(typeof state === 'string' && state !== '' ? { traceState: createTraceState(state) } : {}),
    });
  }

  fields(): string[] {
    return ['traceparent', 'tracestate'];
  }
}

export interface RecordingMeter {
  readonly meter: Meter;
  /** Runs every registered batch callback, as an SDK's reader would, and returns the values by instrument name. */
  collect(): Promise<Map<string, number>>;
  /** Batch callbacks still registered. */
  readonly callbacks: number;
}

export function recordingMeter(): RecordingMeter {
  const names = new Map<Observable, string>();
  const callbacks = new Set<BatchObservableCallback>();
  const meter: Meter = Object.assign(Object.create(createNoopMeter()) as Meter, {
    createObservableGauge: (name: string): ObservableGauge => {
      const gauge: ObservableGauge = { addCallback: () => undefined, removeCallback: () => undefined };
      names.set(gauge, name);
      return gauge;
    },
    addBatchObservableCallback: (callback: BatchObservableCallback) => void callbacks.add(callback),
    removeBatchObservableCallback: (callback: BatchObservableCallback) => void callbacks.delete(callback),
  });
  return {
    meter,
    get callbacks() {
      return callbacks.size;
    },
    async collect() {
      const values = new Map<string, number>();
      for (const callback of callbacks) {
        await callback({ observe: (observable, value) => void values.set(names.get(observable) ?? '?', value) });
      }
      return values;
    },
  };
}
