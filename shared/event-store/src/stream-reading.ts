import { ArrearsError, ErrorCode, type EventEnvelope, type GlobalPosition } from '@arrears/contracts';
import type { ReadStreamOptions, SubscriptionStart } from './port';

/** Applies read-stream options to a stream's events held in position order (the in-memory adapter's reads). */
export function readStreamSlice(events: readonly EventEnvelope[], options: ReadStreamOptions): EventEnvelope[] {
  const { direction = 'forwards', maxCount = Number.MAX_SAFE_INTEGER } = options;
  const from = resolveFrom(options.from, direction);
  if (direction === 'forwards') {
    return events.filter((event) => event.streamPosition >= from).slice(0, maxCount);
  }
  return events
    .filter((event) => event.streamPosition <= from)
    .reverse()
    .slice(0, maxCount);
}

/** The inclusive first position a read starts at; `end` and backwards defaults are the largest position. */
export function resolveFrom(from: ReadStreamOptions['from'], direction: 'forwards' | 'backwards'): number {
  if (from === undefined) return direction === 'forwards' ? 0 : Number.MAX_SAFE_INTEGER;
  if (from === 'start') return 0;
  if (from === 'end') return Number.MAX_SAFE_INTEGER;
  return from;
}

export function subscriptionStart(from: SubscriptionStart, kind: 'stream'): number | undefined | 'end';
export function subscriptionStart(from: SubscriptionStart, kind: 'global'): GlobalPosition | undefined | 'end';
export function subscriptionStart(from: SubscriptionStart, kind: 'stream' | 'global'): GlobalPosition | number | undefined | 'end' {
  if (from === 'start') return undefined;
  if (from === 'end') return 'end';
  if (kind === 'stream' && 'afterStreamPosition' in from) return from.afterStreamPosition;
  if (kind === 'global' && 'after' in from) return from.after;
  throw new ArrearsError(
    ErrorCode.VALIDATION_FAILED,
    kind === 'stream' ? 'A stream subscription starts after a stream position' : 'An all or category subscription starts after a global position',
    { field: 'from' },
  );
}
