import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

export interface SpanNode {
  readonly span: ReadableSpan;
  /** In the order they started. */
  readonly children: readonly SpanNode[];
}

/** One link of an expected chain: each step is a direct child of the one before it. */
export interface SpanStep {
  readonly name: string;
  readonly kind: SpanKind;
}

/** SDK 2.x replaced `parentSpanId` with `parentSpanContext`; this is the one place that knows. */
export function parentSpanIdOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** Span ids are unique within a trace only, so a span is known by both. */
function key(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}

function parentKey(span: ReadableSpan): string | undefined {
  const parentId = parentSpanIdOf(span);
  return parentId === undefined ? undefined : key(span.spanContext().traceId, parentId);
}

/**
 * The spans as trees. A span whose parent is not among them is a root: a trace's first span, and also a span
 * continuing a remote parent (an incoming `traceparent`) whose span another process exported.
 */
export function buildSpanTree(spans: readonly ReadableSpan[]): SpanNode[] {
  const byStart = [...spans].sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
  const children = new Map<string, ReadableSpan[]>();
  const known = new Set(byStart.map((span) => key(span.spanContext().traceId, span.spanContext().spanId)));
  const roots: ReadableSpan[] = [];
  for (const span of byStart) {
    const parent = parentKey(span);
    if (parent === undefined || !known.has(parent)) roots.push(span);
    else children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const node = (span: ReadableSpan): SpanNode => ({
    span,
    children: (children.get(key(span.spanContext().traceId, span.spanContext().spanId)) ?? []).map(node),
  });
  return roots.map(node);
}

/** The trees as indented text, for failure messages: `POST /cases [SERVER] trace=… span=…`. */
export function describeSpanTree(spans: readonly ReadableSpan[]): string {
  const lines: string[] = [];
  const visit = (node: SpanNode, depth: number): void => {
    const { traceId, spanId } = node.span.spanContext();
    lines.push(`${'  '.repeat(depth)}${node.span.name} [${SpanKind[node.span.kind]}] trace=${traceId} span=${spanId}`);
    node.children.forEach((child) => visit(child, depth + 1));
  };
  buildSpanTree(spans).forEach((root) => visit(root, 0));
  return lines.length === 0 ? '(no spans)' : lines.join('\n');
}

/**
 * Finds spans matching `steps` in which each is the parent of the next, and returns them in order; throws,
 * showing every span, when there is no such chain. The chain may start anywhere in a tree.
 */
export function expectSpanChain(spans: readonly ReadableSpan[], steps: readonly SpanStep[]): ReadableSpan[] {
  if (steps.length === 0) throw new Error('expectSpanChain needs at least one step');
  const nodes = flatten(buildSpanTree(spans));
  for (const start of nodes) {
    const chain = chainFrom(start, steps);
    if (chain !== undefined) return chain;
  }
  const wanted = steps.map((step) => `${step.name} [${SpanKind[step.kind]}]`).join(' → ');
  throw new Error(`No chain of spans ${wanted}. The spans were:\n${describeSpanTree(spans)}`);
}

function chainFrom(node: SpanNode, steps: readonly SpanStep[]): ReadableSpan[] | undefined {
  const [step, ...rest] = steps;
  if (step === undefined || !matches(node.span, step)) return undefined;
  if (rest.length === 0) return [node.span];
  for (const child of node.children) {
    const tail = chainFrom(child, rest);
    if (tail !== undefined) return [node.span, ...tail];
  }
  return undefined;
}

function matches(span: ReadableSpan, step: SpanStep): boolean {
  return span.name === step.name && span.kind === step.kind;
}

function flatten(nodes: readonly SpanNode[]): SpanNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

/** The one span with this name (and kind, if given); throws, showing every span, if there is none or several. */
export function spanNamed(spans: readonly ReadableSpan[], name: string, kind?: SpanKind): ReadableSpan {
  const found = spans.filter((span) => span.name === name && (kind === undefined || span.kind === kind));
  if (found.length === 1 && found[0] !== undefined) return found[0];
  const what = kind === undefined ? name : `${name} [${SpanKind[kind]}]`;
  throw new Error(`Expected exactly one span ${what}, found ${found.length}. The spans were:\n${describeSpanTree(spans)}`);
}
