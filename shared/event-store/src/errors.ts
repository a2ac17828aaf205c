import { ArrearsError, ErrorCode } from '@arrears/contracts';
import type { ExpectedVersion } from './port';

export function concurrencyConflict(streamId: string, expected: ExpectedVersion, actual: number | 'no_stream'): ArrearsError {
  return new ArrearsError(
    ErrorCode.CONCURRENCY_CONFLICT,
    `Stream ${streamId} is at ${actual === 'no_stream' ? 'no stream' : `version ${actual}`}, the writer expected ${String(expected)}: reload and decide again`,
    { field: 'expectedVersion', details: { streamId, expectedVersion: expected, actualVersion: actual } },
  );
}

export function idempotencyConflict(streamId: string, eventId: string, reason: string): ArrearsError {
  return new ArrearsError(ErrorCode.IDEMPOTENCY_CONFLICT, `Event ${eventId} cannot be appended to ${streamId}: ${reason}`, {
    field: 'events',
    details: { streamId, eventId },
  });
}

export function unavailable(store: string, cause: unknown): ArrearsError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ArrearsError(ErrorCode.UNAVAILABLE, `The ${store} event store cannot be reached: ${reason}`, { cause });
}
