import { ArrearsError, ErrorCode, NewEventSchema, StreamIdSchema, validationFailed, type NewEvent } from '@arrears/contracts';
import { z } from 'zod';
import type { ExpectedVersion } from './port';

const ExpectedVersionSchema = z.union([z.enum(['no_stream', 'stream_exists', 'any']), z.number().int().min(0)]);
const BatchSchema = z.array(NewEventSchema).min(1, 'an append needs at least one event');

/**
 * Checks an append before any adapter touches storage, so bad input fails the same way everywhere and
 * writes nothing. Times are normalised to UTC with milliseconds, the precision every adapter keeps.
 */
export function checkAppend(streamId: string, events: readonly NewEvent[], expectedVersion: ExpectedVersion): NewEvent[] {
  const stream = StreamIdSchema.safeParse(streamId);
  if (!stream.success) throw validationFailed(stream.error, 'streamId');
  const expected = ExpectedVersionSchema.safeParse(expectedVersion);
  if (!expected.success) throw validationFailed(expected.error, 'expectedVersion');
  const batch = BatchSchema.safeParse(events);
  if (!batch.success) throw validationFailed(batch.error, 'events');
  const seen = new Set<string>();
  batch.data.forEach((event, index) => {
    if (seen.has(event.eventId)) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Event id ${event.eventId} appears twice in one append`, {
        field: `events[${index}].eventId`,
      });
    }
    seen.add(event.eventId);
  });
  return batch.data.map((event) => ({ ...event, occurredAt: new Date(event.occurredAt).toISOString() }));
}

export function checkStreamId(streamId: string): void {
  const stream = StreamIdSchema.safeParse(streamId);
  if (!stream.success) throw validationFailed(stream.error, 'streamId');
}
