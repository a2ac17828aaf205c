import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { contextFromTrace } from './propagation';
import { buildSpanTree, describeSpanTree, expectSpanChain, spanNamed } from './span-tree';
import { withSpan } from './spans';
import { startTestTelemetry, type TestTelemetry } from './testing';

const REMOTE_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const REMOTE_SPAN = '00f067aa0ba902b7';

describe('span trees', () => {
  let telemetry: TestTelemetry;

  beforeAll(() => {
    telemetry = startTestTelemetry('gateway');
  });
  afterEach(() => telemetry.reset());
  afterAll(() => telemetry.shutdown());

  /** gateway → command → two events, under a remote parent; and an unrelated trace beside it. */
  async function recordFlow(): Promise<void> {
    const remote = contextFromTrace({ traceparent: `00-${REMOTE_TRACE}-${REMOTE_SPAN}-01` }, ROOT_CONTEXT);
    await withSpan('POST /promises', SpanKind.SERVER, remote, {}, () =>
      withSpan('send arrears.cmd.promises-to-pay.RecordPromise', SpanKind.CLIENT, undefined, {}, async () => {
        await withSpan('send arrears.evt.promises-to-pay.PromiseRecorded', SpanKind.PRODUCER, undefined, {}, () => undefined);
        await withSpan('send arrears.evt.promises-to-pay.PromiseScheduled', SpanKind.PRODUCER, undefined, {}, () => undefined);
      }),
    );
    await withSpan('poll timers', SpanKind.INTERNAL, ROOT_CONTEXT, {}, () => undefined);
  }

  it('puts each span under its parent and treats a span with a remote parent as a root', async () => {
    await recordFlow();
    const tree = buildSpanTree(await telemetry.finishedSpans());

    expect(tree.map((root) => root.span.name)).toEqual(['POST /promises', 'poll timers']);
    const [server] = tree;
    expect(server?.span.parentSpanContext?.spanId).toBe(REMOTE_SPAN);
    expect(server?.children.map((child) => child.span.name)).toEqual(['send arrears.cmd.promises-to-pay.RecordPromise']);
    expect(server?.children[0]?.children.map((child) => child.span.name)).toEqual([
      'send arrears.evt.promises-to-pay.PromiseRecorded',
      'send arrears.evt.promises-to-pay.PromiseScheduled',
    ]);
  });

  it('finds a chain by name and kind and returns its spans in order', async () => {
    await recordFlow();
    const spans = await telemetry.finishedSpans();

    const chain = expectSpanChain(spans, [
      { name: 'POST /promises', kind: SpanKind.SERVER },
      { name: 'send arrears.cmd.promises-to-pay.RecordPromise', kind: SpanKind.CLIENT },
      { name: 'send arrears.evt.promises-to-pay.PromiseScheduled', kind: SpanKind.PRODUCER },
    ]);
    expect(chain.map((span) => span.spanContext().traceId)).toEqual([REMOTE_TRACE, REMOTE_TRACE, REMOTE_TRACE]);
    expect(chain[2]?.parentSpanContext?.spanId).toBe(chain[1]?.spanContext().spanId);
  });

  it('rejects a chain whose kinds differ, whose links skip a generation or that crosses traces, showing the tree', async () => {
    await recordFlow();
    const spans = await telemetry.finishedSpans();

    expect(() => expectSpanChain(spans, [{ name: 'POST /promises', kind: SpanKind.INTERNAL }])).toThrow(/No chain of spans POST \/promises \[INTERNAL\]/);
    expect(() =>
      expectSpanChain(spans, [
        { name: 'POST /promises', kind: SpanKind.SERVER },
        { name: 'send arrears.evt.promises-to-pay.PromiseRecorded', kind: SpanKind.PRODUCER },
      ]),
    ).toThrow(/POST \/promises \[SERVER\] trace=4bf92f3577b34da6a3ce929d0e0e4736/);
    expect(() =>
      expectSpanChain(spans, [
        { name: 'POST /promises', kind: SpanKind.SERVER },
        { name: 'poll timers', kind: SpanKind.INTERNAL },
      ]),
    ).toThrow('No chain of spans');
  });

  it('describes the spans as an indented tree', async () => {
    await context.with(ROOT_CONTEXT, () => withSpan('outer', SpanKind.INTERNAL, undefined, {}, () => withSpan('inner', SpanKind.CLIENT, undefined, {}, () => undefined)));
    const spans = await telemetry.finishedSpans();
    const outer = spanNamed(spans, 'outer').spanContext();
    const inner = spanNamed(spans, 'inner', SpanKind.CLIENT).spanContext();

    expect(describeSpanTree(spans)).toBe(
      `outer [INTERNAL] trace=${outer.traceId} span=${outer.spanId}\n  inner [CLIENT] trace=${inner.traceId} span=${inner.spanId}`,
    );
    expect(describeSpanTree([])).toBe('(no spans)');
  });

  it('spanNamed refuses a name that is missing or ambiguous', async () => {
    await withSpan('twice', SpanKind.INTERNAL, undefined, {}, () => undefined);
    await withSpan('twice', SpanKind.INTERNAL, undefined, {}, () => undefined);
    const spans = await telemetry.finishedSpans();

    expect(() => spanNamed(spans, 'twice')).toThrow('Expected exactly one span twice, found 2');
    expect(() => spanNamed(spans, 'twice', SpanKind.SERVER)).toThrow('Expected exactly one span twice [SERVER], found 0');
  });

  it('reads the parent from the SDK 2.x parentSpanContext', async () => {
    const parent = trace.getTracer('test').startSpan('parent', {}, ROOT_CONTEXT);
    trace.getTracer('test').startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
    parent.end();

    const [root] = buildSpanTree(await telemetry.finishedSpans());
    expect(root?.span.name).toBe('parent');
    expect(root?.children.map((child) => child.span.name)).toEqual(['child']);
  });
});
