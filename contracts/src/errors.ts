import type { z } from 'zod';

/**
 * Stable error codes. Clients branch on these, so a code is never renamed or reused;
 * the HTTP status each maps to lives with the gateway.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  CONCURRENCY_CONFLICT: 'CONCURRENCY_CONFLICT',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  NOT_FOUND: 'NOT_FOUND',
  /** The command is well formed but does not fit what the aggregate is now (a payment on a closed account, a flag already set). */
  STATE_CONFLICT: 'STATE_CONFLICT',
  STREAM_DELETED: 'STREAM_DELETED',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  COMPLIANCE_BLOCKED: 'COMPLIANCE_BLOCKED',
  UNAVAILABLE: 'UNAVAILABLE',
  TIMEOUT: 'TIMEOUT',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorDetails {
  /** The offending field as a dotted path (`data.amount.minor`), when one field is to blame. */
  readonly field?: string;
  /** Anything a caller may act on: expected and actual versions, every validation issue, rule reasons. */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** The one error type that crosses service boundaries: a stable code, a message a person can act on, the field. */
export class ArrearsError extends Error {
  override readonly name = 'ArrearsError';
  readonly field: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: ErrorDetails = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.field = extra.field;
    this.details = extra.details;
  }

  /** The wire form: what a NATS reply or an HTTP body carries. */
  toJSON(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly field?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export function isArrearsError(error: unknown, code?: ErrorCode): error is ArrearsError {
  return error instanceof ArrearsError && (code === undefined || error.code === code);
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : String(segment))).join('.').replace(/\.\[/g, '[');
}

/** Turns a zod failure into VALIDATION_FAILED naming the first offending field and listing every issue. */
export function validationFailed(error: z.ZodError, prefix?: string): ArrearsError {
  const issues = error.issues.map((issue) => ({
    field: fieldPath([...(prefix ? [prefix] : []), ...issue.path]),
    message: issue.message,
    code: issue.code,
  }));
  const first = issues[0];
  const field = first?.field === '' ? undefined : first?.field;
  return new ArrearsError(
    ErrorCode.VALIDATION_FAILED,
    first === undefined ? 'Invalid input' : `${field ?? 'input'}: ${first.message}`,
    { ...(field === undefined ? {} : { field }), details: { issues } },
  );
}
