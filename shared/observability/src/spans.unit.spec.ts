import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { spanNamed } from './span-tree';
import { withSpan } from './spans';
import { startTestTelemetry, type TestTelemetry } from './testing';

class LedgerUnavailable extends Error {}

describe('withSpan', () => {
  let telemetry: TestTelemetry;

  beforeAll(() => {
    telemetry = startTestTelemetry('promises-to-pay');
  });
  afterEach(() => telemetry.reset());
  afterAll(() => telemetry.shutdown());

  it('runs the function in a span of the given name, kind and attributes, active for what it awaits', async () => {
    const result = await withSpan('process arrears.evt.accounts.AccountPlaced', SpanKind.CONSUMER, undefined, { 'messaging.system': 'nats' }, async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      return { active: trace.getActiveSpan()?.spanContext().spanId, own: span.spanContext().spanId };
    });

    const span = spanNamed(await telemetry.finishedSpans(), 'process arrears.evt.accounts.AccountPlaced');
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.attributes['messaging.system']).toBe('nats');
    expect(span.ended).toBe(true);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(result.own).toBe(span.spanContext().spanId);
    expect(result.active).toBe(span.spanContext().spanId);
  });

  it('continues the given parent context', async () => {
    const parent = trace.getTracer('test').startSpan('relay');
    await withSpan('send arrears.evt.accounts.AccountPlaced', SpanKind.PRODUCER, trace.setSpan(ROOT_CONTEXT, parent), {}, () => undefined);
    parent.end();

    const child = spanNamed(await telemetry.finishedSpans(), 'send arrears.evt.accounts.AccountPlaced');
    expect(child.kind).toBe(SpanKind.PRODUCER);
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
  });

  it('continues the active context when no parent is given', async () => {
    const outer = trace.getTracer('test').startSpan('handle RecordPromise');
    await context.with(trace.setSpan(context.active(), outer), () => withSpan('decide', SpanKind.INTERNAL, undefined, {}, () => undefined));
    outer.end();

    expect(spanNamed(await telemetry.finishedSpans(), 'decide').parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
  });

  it('marks the span ERROR, records the exception and rethrows it unchanged', async () => {
    const failure = new LedgerUnavailable('ledger unavailable');
    await expect(withSpan('append', SpanKind.INTERNAL, undefined, {}, async () => Promise.reject(failure))).rejects.toBe(failure);

    const span = spanNamed(await telemetry.finishedSpans(), 'append');
    expect(span.ended).toBe(true);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ledger unavailable' });
    expect(span.attributes['error.type']).toBe('LedgerUnavailable');
    expect(span.events.map((event) => [event.name, event.attributes?.['exception.message']])).toEqual([['exception', 'ledger unavailable']]);
  });

  it('types an error by its stable code when it has one', async () => {
    const conflict = new ArrearsError(ErrorCode.CONCURRENCY_CONFLICT, 'promise-1 moved on to version 4');
    await expect(withSpan('append', SpanKind.INTERNAL, undefined, {}, () => Promise.reject(conflict))).rejects.toBe(conflict);

    const span = spanNamed(await telemetry.finishedSpans(), 'append');
    expect(span.attributes['error.type']).toBe('CONCURRENCY_CONFLICT');
    expect(span.events[0]?.attributes?.['exception.type']).toBe('CONCURRENCY_CONFLICT');
  });

  it('records a synchronous throw of a non-error value too', async () => {
    await expect(
      withSpan('parse', SpanKind.INTERNAL, undefined, {}, () => {
        throw 'not an error';
      }),
    ).rejects.toBe('not an error');

    const span = spanNamed(await telemetry.finishedSpans(), 'parse');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'not an error' });
    expect(span.attributes['error.type']).toBe('string');
  });
});
