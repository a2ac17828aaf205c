import { ArrearsError, ErrorCode, type EventEnvelope } from '@arrears/contracts';

/** Where an event stands in its stream. */
export interface StreamPoint {
  readonly streamId: string;
  readonly streamPosition: number;
}

/** VALIDATION_FAILED (field `streamId`) unless the event of case `accountId` arrived on the stream its data names. */
export function expectStream(envelope: EventEnvelope, expected: string, accountId: string): void {
  if (envelope.streamId !== expected) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} for case ${accountId} arrived on stream ${envelope.streamId}, not ${expected}`, { field: 'streamId' });
  }
}

/** The CONCURRENCY_CONFLICT for an event that arrived before its predecessor (position `expected`) was applied: retried, it applies later. */
export function outOfOrder(at: StreamPoint, expected: number): ArrearsError {
  return new ArrearsError(
    ErrorCode.CONCURRENCY_CONFLICT,
    `${at.streamId}: the event at position ${at.streamPosition} arrived before position ${expected} was applied; it will apply once its predecessors have`,
    { field: 'streamPosition', details: { streamId: at.streamId, expected, actual: at.streamPosition } },
  );
}

/**
 * The order guard of a stream read whole and in order, given the last position of it applied (-1 before any): false for
 * an event at or below that position, applied already and to be skipped, so that a replay changes nothing; true for the
 * next one; CONCURRENCY_CONFLICT (`outOfOrder`) for one whose predecessor is not applied yet, to be retried.
 */
export function isNextInStream(at: StreamPoint, applied: number): boolean {
  if (at.streamPosition <= applied) return false;
  if (at.streamPosition !== applied + 1) throw outOfOrder(at, applied + 1);
  return true;
}
