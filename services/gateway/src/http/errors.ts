import { ArrearsError, ErrorCode, isArrearsError, type ErrorBody } from '@arrears/contracts';

/** The HTTP status of each error code (contracts/src/errors.ts leaves this to the gateway). */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONCURRENCY_CONFLICT: 409,
  IDEMPOTENCY_CONFLICT: 409,
  STATE_CONFLICT: 409,
  STREAM_DELETED: 410,
  COMPLIANCE_BLOCKED: 422,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  TIMEOUT: 503,
};

/** The body of every error response: the stable code, a message, the offending field, details to act on. */
export interface HttpErrorBody extends ErrorBody {
  readonly status: number;
  readonly correlationId: string;
}

export function httpError(error: unknown, correlationId: string): { status: number; body: HttpErrorBody } {
  const arrears = isArrearsError(error) ? error : new ArrearsError(ErrorCode.INTERNAL, 'The gateway failed to handle the request; the cause is in its log');
  const status = HTTP_STATUS[arrears.code];
  return { status, body: { status, correlationId, ...arrears.toJSON() } };
}
