import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { contextFromHeaders, contextFromTrace, currentTraceContext, injectTraceHeaders } from './propagation';
import { spanNamed } from './span-tree';
import { withSpan } from './spans';
import { startTestTelemetry, type TestTelemetry } from './testing';

describe('trace context propagation', () => {
  let telemetry: TestTelemetry;

  beforeAll(() => {
    telemetry = startTestTelemetry('case-workflow');
  });
  afterEach(() => telemetry.reset());
  afterAll(() => telemetry.shutdown());

  it('carries the active span as a W3C traceparent, and nothing outside a span', async () => {
    const carried = await withSpan('handle RecordPromise', SpanKind.SERVER, ROOT_CONTEXT, {}, (span) => ({ trace: currentTraceContext(), span: span.spanContext() }));

    expect(carried.trace).toEqual({ traceparent: `00-${carried.span.traceId}-${carried.span.spanId}-01` });
    expect(context.with(ROOT_CONTEXT, () => currentTraceContext())).toBeUndefined();
  });

  it('round trip: currentTraceContext → stored metadata → contextFromTrace → a child of the original span', async () => {
    const stored = await withSpan('append PromiseRecorded', SpanKind.INTERNAL, ROOT_CONTEXT, {}, () => JSON.stringify({ trace: currentTraceContext() }));
    // Later, in another async flow with nothing active: the relay reads the event back from the store.
    await context.with(ROOT_CONTEXT, () => withSpan('send arrears.evt.promises-to-pay.PromiseRecorded', SpanKind.PRODUCER, contextFromTrace(JSON.parse(stored).trace), {}, () => undefined));

    const spans = await telemetry.finishedSpans();
    const origin = spanNamed(spans, 'append PromiseRecorded');
    const relayed = spanNamed(spans, 'send arrears.evt.promises-to-pay.PromiseRecorded', SpanKind.PRODUCER);
    expect(relayed.spanContext().traceId).toBe(origin.spanContext().traceId);
    expect(relayed.parentSpanContext?.spanId).toBe(origin.spanContext().spanId);
    expect(relayed.parentSpanContext?.isRemote).toBe(true);
  });

  it('round trip through headers: injectTraceHeaders → contextFromHeaders → a child of the producer span', async () => {
    const headers = await withSpan('send arrears.evt.accounts.AccountPlaced', SpanKind.PRODUCER, ROOT_CONTEXT, {}, () =>
      injectTraceHeaders({ 'Nats-Msg-Id': 'e-1' }),
    );
    await withSpan('process arrears.evt.accounts.AccountPlaced', SpanKind.CONSUMER, contextFromHeaders((name) => headers[name], ROOT_CONTEXT), {}, () => undefined);

    const spans = await telemetry.finishedSpans();
    const producer = spanNamed(spans, 'send arrears.evt.accounts.AccountPlaced', SpanKind.PRODUCER);
    const consumer = spanNamed(spans, 'process arrears.evt.accounts.AccountPlaced', SpanKind.CONSUMER);
    expect(headers['Nats-Msg-Id']).toBe('e-1');
    expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
  });

  it('keeps tracestate along with traceparent', () => {
    const incoming = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'vendor=abc' };
    const span = trace.getTracer('test').startSpan('child', {}, contextFromTrace(incoming, ROOT_CONTEXT));
    const outgoing = currentTraceContext(trace.setSpan(ROOT_CONTEXT, span));
    span.end();

    expect(outgoing).toEqual({ traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-${span.spanContext().spanId}-01`, tracestate: 'vendor=abc' });
  });

  it('leaves the context as it was when nothing was carried', () => {
    expect(contextFromTrace(undefined, ROOT_CONTEXT)).toBe(ROOT_CONTEXT);
    expect(trace.getSpanContext(contextFromHeaders(() => undefined, ROOT_CONTEXT))).toBeUndefined();
    expect(trace.getSpanContext(contextFromHeaders(() => '', ROOT_CONTEXT))).toBeUndefined();
  });
});
