import { context, SpanStatusCode, trace, type Attributes, type Context, type Span, type SpanKind } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';

/** The instrumentation scope of every span Arrears' own code starts. */
export const TRACER_NAME = '@arrears/observability';

/**
 * Runs `fn` inside a new span, active for everything `fn` awaits, and ends the span when `fn` settles. A throw
 * marks the span ERROR with the exception recorded, then propagates unchanged. `parent` is the context to
 * continue (from `contextFromTrace` or `contextFromHeaders`); undefined continues the active one.
 */
export async function withSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context | undefined,
  attributes: Attributes,
  fn: (span: Span) => T | Promise<T>,
): Promise<T> {
  // Looked up per call: a tracer fetched once at import would outlive a telemetry restart in tests.
  const tracer = trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(name, { kind, attributes }, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      recordSpanError(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Records a failure on a span the way every Arrears span does: the exception event, status ERROR, `error.type`. */
export function recordSpanError(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.recordException(String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
  span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
}

/**
 * What dashboards group failures by: an error's stable `code` when it has one (an ArrearsError's
 * `CONCURRENCY_CONFLICT`, a system error's `ECONNREFUSED`), the same value the SDK puts in `exception.type`;
 * otherwise its class.
 */
export function errorType(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code: unknown = (error as { code?: unknown }).code;
  if ((typeof code === 'string' && code !== '') || typeof code === 'number') return String(code);
  return error.constructor.name || error.name;
}
