import { EventEmitter } from 'node:events';
import { compareGlobalPositions, globalPosition, START, streamCategory, type EventEnvelope, type GlobalPosition, type NewEvent } from '@arrears/contracts';
import { checkAppend, checkStreamId } from '../append-input';
import { concurrencyConflict, idempotencyConflict } from '../errors';
import { pollingSubscription, type PollingSource } from '../polling-subscription';
import type { AppendOptions, AppendResult, EventStore, ExpectedVersion, ReadAllOptions, ReadStreamOptions, SubscribeOptions, Subscription, SubscriptionTarget } from '../port';
import { readStreamSlice, subscriptionStart } from '../stream-reading';

interface StreamState {
  /** Position of the last event ever appended, deleted ones included; -1 before the first. */
  version: number;
  deleted: boolean;
  events: EventEnvelope[];
}

/** For unit tests of services: the same guarantees as the real adapters, in one process, nothing kept. */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, StreamState>();
  private log: EventEnvelope[] = [];
  private readonly appended = new EventEmitter().setMaxListeners(0);
  private commits = 0;
  private sequence = 0;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const batch = checkAppend(streamId, events, options.expectedVersion);
    const stream = this.streams.get(streamId);
    const retried = this.findRetry(streamId, stream, batch);
    if (retried !== undefined) return retried;
    this.checkExpected(streamId, stream, options.expectedVersion);

    const first = (stream?.version ?? -1) + 1;
    const commit = ++this.commits;
    const recordedAt = this.clock().toISOString();
    const stored = batch.map(
      (event, index): EventEnvelope => ({
        ...event,
        streamId,
        streamPosition: first + index,
        globalPosition: globalPosition(commit, ++this.sequence),
        recordedAt,
      }),
    );
    const next: StreamState = stream ?? { version: -1, deleted: false, events: [] };
    next.deleted = false;
    next.version = first + stored.length - 1;
    next.events.push(...stored);
    this.streams.set(streamId, next);
    this.log.push(...stored);
    this.appended.emit('appended');
    const last = stored[stored.length - 1] as EventEnvelope;
    return { nextExpectedVersion: last.streamPosition, position: last.globalPosition };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    checkStreamId(streamId);
    return readStreamSlice(this.streams.get(streamId)?.events ?? [], options);
  }

  async readAll(options: ReadAllOptions = {}): Promise<EventEnvelope[]> {
    const after = options.after ?? START;
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const result: EventEnvelope[] = [];
    for (const event of this.log) {
      if (result.length >= maxCount) break;
      if (compareGlobalPositions(event.globalPosition, after) <= 0) continue;
      if (options.category !== undefined && streamCategory(event.streamId) !== options.category) continue;
      result.push(event);
    }
    return result;
  }

  subscribe(target: SubscriptionTarget, options: SubscribeOptions): Subscription {
    const tuning = { pageSize: 500, pollIntervalMs: 1000, maxRetryDelayMs: 1000 };
    const wait = (ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.appended.off('appended', done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        this.appended.once('appended', done);
        signal.addEventListener('abort', done, { once: true });
      });
    if (target.kind === 'stream') {
      const source: PollingSource<number> = {
        fetch: (after, maxCount) => this.readStream(target.streamId, { from: after === undefined ? 'start' : after + 1, maxCount }),
        end: async () => this.streams.get(target.streamId)?.version,
        checkpointOf: (event) => event.streamPosition,
        wait,
      };
      return pollingSubscription(source, subscriptionStart(options.from, 'stream'), options, tuning);
    }
    const category = target.kind === 'category' ? target.category : undefined;
    const source: PollingSource<GlobalPosition> = {
      fetch: (after, maxCount) => this.readAll({ ...(after === undefined ? {} : { after }), maxCount, ...(category === undefined ? {} : { category }) }),
      end: async () => this.log[this.log.length - 1]?.globalPosition,
      checkpointOf: (event) => event.globalPosition,
      wait,
    };
    return pollingSubscription(source, subscriptionStart(options.from, 'global'), options, tuning);
  }

  async deleteStream(streamId: string, options: AppendOptions): Promise<void> {
    checkStreamId(streamId);
    const stream = this.streams.get(streamId);
    this.checkExpected(streamId, stream, options.expectedVersion);
    if (stream === undefined || stream.deleted) return;
    stream.deleted = true;
    this.dropFromLog(streamId, () => true);
    stream.events = [];
  }

  async truncateStream(streamId: string, before: number): Promise<void> {
    checkStreamId(streamId);
    const stream = this.streams.get(streamId);
    if (stream === undefined) return;
    stream.events = stream.events.filter((event) => event.streamPosition >= before);
    this.dropFromLog(streamId, (event) => event.streamPosition < before);
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
  }

  private dropFromLog(streamId: string, drop: (event: EventEnvelope) => boolean): void {
    this.log = this.log.filter((event) => event.streamId !== streamId || !drop(event));
  }

  private findRetry(streamId: string, stream: StreamState | undefined, batch: readonly NewEvent[]): AppendResult | undefined {
    const ids = new Set(batch.map((event) => event.eventId));
    const known = this.log.filter((event) => ids.has(event.eventId));
    if (known.length === 0) return undefined;
    const first = known[0] as EventEnvelope;
    const inPlace =
      known.length === batch.length &&
      known.every((event, index) => event.streamId === streamId && event.eventId === batch[index]?.eventId && event.streamPosition === first.streamPosition + index);
    if (!inPlace || stream === undefined) {
      throw idempotencyConflict(streamId, first.eventId, 'some of these event ids were already appended, but not as this same batch');
    }
    const last = known[known.length - 1] as EventEnvelope;
    return { nextExpectedVersion: last.streamPosition, position: last.globalPosition };
  }

  private checkExpected(streamId: string, stream: StreamState | undefined, expected: ExpectedVersion): void {
    const exists = stream !== undefined && !stream.deleted;
    const actual = exists ? stream.version : 'no_stream';
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && !exists) ||
      (expected === 'stream_exists' && exists) ||
      (typeof expected === 'number' && exists && stream.version === expected);
    if (!ok) throw concurrencyConflict(streamId, expected, actual);
  }
}
