import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, stdTimeFunctions, type DestinationStream, type Logger, type LoggerOptions as LoggerSettings } from 'pino';
import type { Environment } from './trace-export';

/**
 * Field names that hold a debtor's personal data (DESIGN.md, "Money and identity"). Whatever their value, at
 * the top of a log line or nested up to REDACTION_DEPTH objects down, it is replaced before the line is written.
 */
export const PERSONAL_DATA_FIELDS = [
  'name',
  'firstName',
  'lastName',
  'fullName',
  'phone',
  'phones',
  'phoneNumber',
  'email',
  'emails',
  'address',
  'addresses',
  'nationalId',
  'dateOfBirth',
] as const;

/** How many objects down a personal field is still found: `event.data.debtor.phone` is three. */
export const REDACTION_DEPTH = 3;

export const REDACTED = '[redacted]';

export interface LoggerOptions {
  /** Written on every line as `service`. */
  readonly service: string;
  /** Defaults to LOG_LEVEL, then `info`. */
  readonly level?: string;
  /** Defaults to stdout; tests pass an in-memory stream. */
  readonly destination?: DestinationStream;
  /** Defaults to `process.env`. */
  readonly env?: Environment;
}

/**
 * A pino logger writing JSON lines. Each line logged while a span is active carries its `trace_id`, `span_id`
 * and `trace_flags`, so a log search leads to the trace and back; personal data fields are redacted.
 */
export function createLogger(options: LoggerOptions): Logger {
  const env = options.env ?? process.env;
  const settings: LoggerSettings = {
    level: options.level ?? env['LOG_LEVEL'] ?? 'info',
    base: { service: options.service, pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: activeTraceFields,
    redact: { paths: redactionPaths(PERSONAL_DATA_FIELDS, REDACTION_DEPTH), censor: REDACTED },
  };
  // Without a destination pino writes to stdout synchronously, so the last lines before a crash are not lost.
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

/** The active span's ids in the names the OpenTelemetry log data model uses; nothing outside a span. */
export function activeTraceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: spanContext.traceFlags.toString(16).padStart(2, '0'),
  };
}

/** `phone`, `*.phone`, `*.*.phone`, …: pino's wildcard matches exactly one level (an array index counts as one). */
export function redactionPaths(fields: readonly string[], depth: number): string[] {
  return Array.from({ length: depth + 1 }, (_, level) => '*.'.repeat(level)).flatMap((prefix) => fields.map((field) => `${prefix}${field}`));
}
