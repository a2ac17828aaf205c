import { ArrearsError, compareGlobalPositions, ErrorCode, type EventEnvelope, type GlobalPosition, type NewEvent } from '@arrears/contracts';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  metastreamOf,
  NO_STREAM,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type BaseOptions,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
  type StreamMetadata,
} from '@eventstore/db-client';
import { checkAppend, checkStreamId } from '../append-input';
import type { AppendOptions, AppendResult, EventStore, ReadAllOptions, ReadStreamOptions, SubscribeOptions, Subscription, SubscriptionTarget } from '../port';
import { subscriptionStart } from '../stream-reading';
import { liveSubscription, type LiveSource } from './live-subscription';
import {
  checkVersionNumber,
  deletePlan,
  failedAppend,
  inCategory,
  isAfter,
  isSystemEvent,
  mapError,
  readAllFrom,
  reportedPosition,
  subscriptionFilter,
  toAppendResult,
  toEnvelope,
  toEventData,
  toExpectedRevision,
  toGlobalPosition,
  toPosition,
  toReadStreamOptions,
  truncateBeforeOf,
  truncationTarget,
} from './mapping';
import { Truncations } from './truncations';

export interface EventStoreDbEventStoreOptions {
  /** Deadline in milliseconds for each append, delete and metadata write; the client's own default is 10 s. */
  readonly deadlineMs?: number;
  /** How many `$all` events one read fetches while filtering the global log. */
  readonly readPageSize?: number;
  readonly subscription?: {
    readonly maxRetryDelayMs?: number;
    /** How long a subscription trusts what it learnt about a stream's truncation before asking again. */
    readonly truncationCacheMs?: number;
  };
}

/** Attempts at a truncation while other writers keep changing the stream's metadata. */
const METADATA_ATTEMPTS = 5;

/**
 * The event store port on EventStoreDB (`@eventstore/db-client` 6.2.1, server 22.6 or later; 23.10 or later for
 * `onCaughtUp`). Where ESDB's semantics differ from the port's, see `README.md` in this folder.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly call: BaseOptions;
  private readonly pageSize: number;
  private readonly maxRetryDelayMs: number;
  private readonly truncationCacheMs: number;

  /** Either a connection string (`esdb://host:2113?tls=false`; this store creates and disposes the client) or a client the caller owns. */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}) {
    this.ownsClient = typeof connection === 'string';
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.call = options.deadlineMs === undefined ? {} : { deadline: options.deadlineMs };
    // A page re-reads the record it starts at (ESDB reads from a position inclusively): one record could never move on.
    this.pageSize = Math.max(2, options.readPageSize ?? 500);
    this.maxRetryDelayMs = options.subscription?.maxRetryDelayMs ?? 2_000;
    this.truncationCacheMs = options.subscription?.truncationCacheMs ?? 1_000;
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const batch = checkAppend(streamId, events, options.expectedVersion);
    const expectedRevision = toExpectedRevision(options.expectedVersion);
    const context = { streamId, expected: options.expectedVersion, firstEventId: batch[0]?.eventId };
    try {
      const result = await this.client.appendToStream(streamId, batch.map(toEventData), { expectedRevision, ...this.call });
      const failure = failedAppend(result, streamId, expectedRevision);
      if (failure !== undefined) throw failure;
      const position = reportedPosition(result, batch.length) ?? (await this.positionAt(streamId, result.nextExpectedRevision, result.position));
      return toAppendResult(result, position);
    } catch (error) {
      throw mapError(error, context);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<EventEnvelope[]> {
    checkStreamId(streamId);
    const read = toReadStreamOptions(options);
    if (read === undefined) return [];
    try {
      const envelopes: EventEnvelope[] = [];
      for await (const { event } of this.client.readStream(streamId, read)) {
        if (event !== undefined && !isSystemEvent(event.streamId, event.type)) envelopes.push(toEnvelope(event));
      }
      return envelopes;
    } catch (error) {
      // The port reads a deleted stream as empty; a tombstoned one (hard-deleted outside this adapter) too.
      if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError) return [];
      throw mapError(error, { streamId });
    }
  }

  /**
   * Pages through `$all` and filters here: this client's `readAll` has no server-side filter, and `$all` still
   * holds ESDB's system events and the events of truncated or deleted streams (until a scavenge).
   */
  async readAll(options: ReadAllOptions = {}): Promise<EventEnvelope[]> {
    const maxCount = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (maxCount <= 0) return [];
    const truncations = new Truncations((streamId) => this.truncateBefore(streamId), Number.POSITIVE_INFINITY);
    const result: EventEnvelope[] = [];
    let after: Position | undefined = options.after === undefined ? undefined : toPosition(options.after);
    let from: ReadPosition = readAllFrom(options.after);
    try {
      for (;;) {
        const page = await this.readAllPage(from);
        const candidates = page.filter(
          (event) => isAfter(event.position, after) && !isSystemEvent(event.streamId, event.type) && inCategory(event.streamId, options.category),
        );
        await truncations.load(candidates.map((event) => event.streamId));
        for (const event of candidates) {
          if (truncations.hidden(event.streamId, event.revision)) continue;
          result.push(toEnvelope(event));
          if (result.length >= maxCount) return result;
        }
        const last = page[page.length - 1];
        if (last === undefined || page.length < this.pageSize) return result;
        from = last.position;
        after = last.position;
      }
    } catch (error) {
      throw mapError(error, { streamId: '$all' });
    }
  }

  subscribe(target: SubscriptionTarget, options: SubscribeOptions): Subscription {
    const tuning = { maxRetryDelayMs: this.maxRetryDelayMs };
    if (target.kind === 'stream') {
      const { streamId } = target;
      checkStreamId(streamId);
      const source: LiveSource<number> = {
        open: (after) => this.client.subscribeToStream(streamId, { fromRevision: after === undefined ? START : BigInt(after) }),
        envelope: async (delivered) => {
          const { event } = delivered as ResolvedEvent;
          return event === undefined || isSystemEvent(event.streamId, event.type) ? undefined : toEnvelope(event);
        },
        end: async () => (await this.readStream(streamId, { direction: 'backwards', maxCount: 1 }))[0]?.streamPosition,
        checkpointOf: (event) => event.streamPosition,
        isAfter: (event, checkpoint) => checkpoint === undefined || event.streamPosition > checkpoint,
        failure: (error) => mapError(error, { streamId }),
      };
      return liveSubscription(source, subscriptionStart(options.from, 'stream'), options, tuning);
    }
    const category = target.kind === 'category' ? target.category : undefined;
    const truncations = new Truncations((streamId) => this.truncateBefore(streamId), this.truncationCacheMs);
    const source: LiveSource<GlobalPosition> = {
      open: (after) => this.client.subscribeToAll({ fromPosition: after === undefined ? START : toPosition(after), filter: subscriptionFilter(category) }),
      envelope: async (delivered) => {
        const { event } = delivered as AllStreamResolvedEvent;
        if (event === undefined || isSystemEvent(event.streamId, event.type) || !inCategory(event.streamId, category)) return undefined;
        await truncations.load([event.streamId]);
        return truncations.hidden(event.streamId, event.revision) ? undefined : toEnvelope(event);
      },
      end: () => this.headPosition(),
      checkpointOf: (event) => event.globalPosition,
      isAfter: (event, checkpoint) => checkpoint === undefined || compareGlobalPositions(event.globalPosition, checkpoint) > 0,
      failure: (error) => mapError(error, { streamId: '$all' }),
    };
    return liveSubscription(source, subscriptionStart(options.from, 'global'), options, tuning);
  }

  async deleteStream(streamId: string, options: AppendOptions): Promise<void> {
    checkStreamId(streamId);
    if (typeof options.expectedVersion === 'number') checkVersionNumber(options.expectedVersion, 'expectedVersion');
    const context = { streamId, expected: options.expectedVersion };
    try {
      const plan = deletePlan(streamId, options.expectedVersion, (await this.lastRevision(streamId)) !== 'missing');
      if (plan.kind === 'nothing') return;
      await this.client.deleteStream(streamId, { expectedRevision: plan.expectedRevision, ...this.call });
    } catch (error) {
      throw mapError(error, context);
    }
  }

  /**
   * Sets the stream's `$tb`, keeping the rest of its metadata; the metadata stream's revision guards the
   * read-modify-write against a concurrent delete or truncation.
   */
  async truncateStream(streamId: string, before: number): Promise<void> {
    checkStreamId(streamId);
    checkVersionNumber(before, 'before');
    try {
      for (let attempt = 1; ; attempt += 1) {
        const last = await this.lastRevision(streamId);
        if (last === 'missing' || last === 'empty') return;
        const metadata = await this.metadata(streamId);
        const target = truncationTarget(before, Number(last), truncateBeforeOf(metadata.data));
        if (target === undefined) return;
        try {
          await this.client.setStreamMetadata(streamId, { ...metadata.data, $tb: target } as StreamMetadata, {
            expectedRevision: metadata.revision ?? NO_STREAM,
            ...this.call,
          });
          return;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError) || attempt >= METADATA_ATTEMPTS) throw error;
        }
      }
    } catch (error) {
      throw mapError(error, { streamId });
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.dispose();
  }

  private async readAllPage(from: ReadPosition): Promise<AllStreamRecordedEvent[]> {
    const page: AllStreamRecordedEvent[] = [];
    for await (const { event } of this.client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: this.pageSize })) {
      if (event !== undefined) page.push(event);
    }
    return page;
  }

  /** The position of the last record in `$all`, system ones included: where an 'end' subscription starts. */
  private async headPosition(): Promise<GlobalPosition | undefined> {
    for await (const { event } of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      if (event !== undefined) return toGlobalPosition(event.position);
    }
    return undefined;
  }

  /**
   * The last revision of a stream as ESDB reads it: `missing` when it does not exist or was soft-deleted (ESDB
   * reads both as "stream not found"), `empty` when it exists but truncation hides every event.
   */
  private async lastRevision(streamId: string): Promise<bigint | 'missing' | 'empty'> {
    try {
      let last: bigint | 'empty' = 'empty';
      for await (const { event } of this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (event !== undefined) last = event.revision;
      }
      return last;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 'missing';
      throw error;
    }
  }

  /** The last metadata record of a stream, raw (`$tb`, `$acl`, custom keys), with its revision in `$$<stream>`. */
  private async metadata(streamId: string): Promise<{ data: Record<string, unknown>; revision?: bigint }> {
    try {
      let found: { data: Record<string, unknown>; revision?: bigint } = { data: {} };
      for await (const { event } of this.client.readStream(metastreamOf(streamId), { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (event === undefined) continue;
        const data = event.isJson && typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data) ? (event.data as Record<string, unknown>) : {};
        found = { data, revision: event.revision };
      }
      return found;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { data: {} };
      throw error;
    }
  }

  private async truncateBefore(streamId: string): Promise<number | undefined> {
    return truncateBeforeOf((await this.metadata(streamId)).data);
  }

  /** The global position of the event at `revision`, read back when the append result cannot be trusted for it. */
  private async positionAt(streamId: string, revision: bigint, reported: Position | undefined): Promise<GlobalPosition> {
    for await (const { event } of this.client.readStream(streamId, { direction: FORWARDS, fromRevision: revision, maxCount: 1 })) {
      if (event?.position !== undefined && event.position.commit > 0n) return toGlobalPosition(event.position);
    }
    // Read back nothing (deleted or truncated meanwhile, or a server older than 22.6): the server's word is all there is.
    if (reported !== undefined) return toGlobalPosition(reported);
    throw new ArrearsError(ErrorCode.INTERNAL, `EventStoreDB appended to ${streamId} but reported no position for revision ${revision}`, {
      details: { streamId, revision: revision.toString() },
    });
  }
}
