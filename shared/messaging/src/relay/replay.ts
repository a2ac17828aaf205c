import { ErrorCode, START, compareGlobalPositions, globalPosition, isArrearsError, parseGlobalPosition, type EventEnvelope, type GlobalPosition } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import { backoffMs, delay } from '@arrears/event-store';
import type { EventPublisher } from './event-publisher';

export interface ReplayRange {
  /** The first event to publish again (inclusive), or 'start'. */
  readonly from: GlobalPosition | 'start';
  /** The last event to publish again (inclusive); without it, up to the head of the log when the replay gets there. */
  readonly to?: GlobalPosition;
}

export interface ReplayProgress {
  /** Events published and acknowledged so far. */
  readonly published: number;
  /** Of those, events JetStream still had within its duplicate window, and so dropped. */
  readonly duplicates: number;
  readonly first: GlobalPosition | undefined;
  readonly last: GlobalPosition | undefined;
}

export interface ReplaySummary extends ReplayProgress {
  /** False when `signal` stopped the replay before the end of the range. */
  readonly complete: boolean;
  readonly elapsedMs: number;
}

export interface ReplayOptions {
  readonly pageSize?: number;
  /** Stops the replay between events (the event in flight is finished); the summary then says `complete: false`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReplayProgress) => void;
  /** How many events between progress reports. */
  readonly progressEvery?: number;
  readonly onRetry?: (error: unknown, attempt: number) => void;
  readonly maxRetryDelayMs?: number;
}

/**
 * Publishes a range of the global log into JetStream again, in log order, one event at a time, each with its
 * event id as `Nats-Msg-Id`. It has no checkpoint and touches none. JetStream drops an event it still holds
 * within its duplicate window; older ones are stored again, after whatever the stream already holds — which is
 * why consumers de-duplicate by event id.
 */
export async function replayRange(store: EventStore, publisher: EventPublisher, range: ReplayRange, options: ReplayOptions = {}): Promise<ReplaySummary> {
  const startedAt = Date.now();
  const signal = options.signal ?? new AbortController().signal;
  let progress: ReplayProgress = { published: 0, duplicates: 0, first: undefined, last: undefined };
  const summary = (complete: boolean): ReplaySummary => ({ ...progress, complete, elapsedMs: Date.now() - startedAt });
  const stopped = new Error('replay stopped');
  const guard = () => {
    if (signal.aborted) throw stopped;
  };
  try {
    for await (const event of readRange(store, range, signal, options)) {
      const ack = await publisher.publish(event, { guard, signal, ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }) });
      progress = advance(progress, event, ack.duplicate);
      if (progress.published % (options.progressEvery ?? 1_000) === 0) options.onProgress?.(progress);
      guard();
    }
  } catch (error) {
    if (error === stopped || signal.aborted) return summary(false);
    throw error;
  }
  return summary(true);
}

/** The events of the range in log order, a page at a time, waiting out an unreachable store. */
async function* readRange(store: EventStore, range: ReplayRange, signal: AbortSignal, options: ReplayOptions): AsyncGenerator<EventEnvelope> {
  const pageSize = options.pageSize ?? 1_000;
  let after = range.from === 'start' ? START : positionBefore(range.from);
  for (;;) {
    const page = await readWhileUnavailable(() => store.readAll({ after, maxCount: pageSize }), signal, options);
    for (const event of page) {
      if (range.to !== undefined && compareGlobalPositions(event.globalPosition, range.to) > 0) return;
      yield event;
      after = event.globalPosition;
    }
    if (page.length < pageSize) return;
  }
}

function advance(progress: ReplayProgress, event: EventEnvelope, duplicate: boolean): ReplayProgress {
  return {
    published: progress.published + 1,
    duplicates: progress.duplicates + (duplicate ? 1 : 0),
    first: progress.first ?? event.globalPosition,
    last: event.globalPosition,
  };
}

/** Both halves of a position fit a signed 64-bit integer in every adapter (PostgreSQL reads the second as bigint). */
const MAX_PREPARE = 9_223_372_036_854_775_807n;

/** The greatest position before `position`, so that reading strictly after it includes `position` itself. */
export function positionBefore(position: GlobalPosition): GlobalPosition {
  const { commit, prepare } = parseGlobalPosition(position);
  if (prepare > 0n) return globalPosition(commit, prepare - 1n);
  return commit > 0n ? globalPosition(commit - 1n, MAX_PREPARE) : START;
}

async function readWhileUnavailable<T>(read: () => Promise<T>, signal: AbortSignal, options: ReplayOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (!isArrearsError(error, ErrorCode.UNAVAILABLE) || signal.aborted) throw error;
      options.onRetry?.(error, attempt);
      await delay(backoffMs(attempt, options.maxRetryDelayMs ?? 2_000), signal);
    }
  }
}
