import type { TraceContext } from '@arrears/contracts';
import { context, propagation, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';

const recordGetter: TextMapGetter<Readonly<Record<string, string | undefined>>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};
const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** The active span's W3C trace context, as commands and events carry it (`metadata.trace`); undefined outside a trace. */
export function currentTraceContext(active: Context = context.active()): TraceContext | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier, recordSetter);
  const traceparent = carrier['traceparent'];
  if (traceparent === undefined) return undefined;
  return carrier['tracestate'] === undefined ? { traceparent } : { traceparent, tracestate: carrier['tracestate'] };
}

/** A context whose parent is the trace a command or event carried, to start the next span under it. */
export function contextFromTrace(trace: TraceContext | undefined, base: Context = context.active()): Context {
  if (trace === undefined) return base;
  return propagation.extract(base, { traceparent: trace.traceparent, ...(trace.tracestate === undefined ? {} : { tracestate: trace.tracestate }) }, recordGetter);
}

/** Writes the active trace context into any string map (HTTP or NATS headers). */
export function injectTraceHeaders(into: Record<string, string>, active: Context = context.active()): Record<string, string> {
  propagation.inject(active, into, recordSetter);
  return into;
}

/** Reads a trace context out of headers given by a lookup function (NATS `MsgHdrs.get`, an HTTP request). */
export function contextFromHeaders(header: (name: string) => string | undefined, base: Context = context.active()): Context {
  return propagation.extract(base, {}, {
    keys: () => ['traceparent', 'tracestate'],
    get: (_carrier, key) => header(key) || undefined,
  });
}
