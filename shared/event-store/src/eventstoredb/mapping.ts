import { ArrearsError, ErrorCode, globalPosition, parseGlobalPosition, streamCategory, type EventEnvelope, type GlobalPosition, type NewEvent } from '@arrears/contracts';
import {
  ANY,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  excludeSystemEvents,
  FORWARDS,
  isCommandError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamDeletedError,
  streamNameFilter,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type ExpectedRevision,
  type Filter,
  type JSONEventData,
  type Position,
  type ReadPosition,
  type ReadStreamOptions as EsdbReadStreamOptions,
} from '@eventstore/db-client';
import { concurrencyConflict, idempotencyConflict, unavailable } from '../errors';
import type { AppendResult, ExpectedVersion, ReadStreamOptions } from '../port';
import { resolveFrom } from '../stream-reading';

/** The name the port's errors use for this store. */
export const STORE = 'EventStoreDB';

/** gRPC status codes that mean "the server could not be reached in time" when the client passes them on raw. */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** The part of the client's `RecordedEvent` an envelope is made from (plain objects in tests, client objects in use). */
export interface StoredEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

// ---- writing ------------------------------------------------------------------------------------------------

/**
 * ESDB keeps an id, a type, data and free metadata per event; the envelope's `schemaVersion` and `occurredAt`
 * have no column of their own, so they travel in the metadata beside the event's own metadata, whose strict
 * schema cannot contain either key.
 */
export function toEventData(event: NewEvent): JSONEventData {
  const { eventId, type, schemaVersion, occurredAt, data, metadata } = event;
  return { id: eventId, contentType: 'application/json', type, data, metadata: { schemaVersion, occurredAt, ...metadata } } as JSONEventData;
}

export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return BigInt(checkVersionNumber(expected, 'expectedVersion'));
  }
}

/**
 * The append result's position is trusted only for a single event: ESDB reports one log position per write,
 * which for one self-committed event is exactly the event's `$all` position (commit = prepare = its log
 * position), but for a batch is the write's commit position, which the server itself calls "not technically
 * correct" and which need not equal the last event's `$all` position. `undefined`: read the last event back.
 */
export function reportedPosition(result: EsdbAppendResult, batchSize: number): GlobalPosition | undefined {
  if (batchSize !== 1 || result.position === undefined) return undefined;
  return toGlobalPosition(result.position);
}

export function toAppendResult(result: EsdbAppendResult, position: GlobalPosition): AppendResult {
  return { nextExpectedVersion: Number(result.nextExpectedRevision), position };
}

/**
 * A client made with `throwOnAppendFailure: false` reports a failed version check as a result instead of an
 * error; the port always fails, so such a result is turned into the error the default client would have raised.
 */
export function failedAppend(result: EsdbAppendResult, streamName: string, expected: AppendExpectedRevision): WrongExpectedVersionError | undefined {
  if (result.success) return undefined;
  const current = result.nextExpectedRevision < 0n ? NO_STREAM : result.nextExpectedRevision;
  return new WrongExpectedVersionError(undefined, { streamName, expected, current });
}

export type DeletePlan = { readonly kind: 'nothing' } | { readonly kind: 'delete'; readonly expectedRevision: ExpectedRevision };

/**
 * What `deleteStream` sends, given whether the stream is there (a soft-deleted stream is not). ESDB's delete has
 * no `stream_exists`, and deleting a stream that is not there writes a metadata record instead of doing nothing,
 * so the port's answers for a missing stream are given here; for an existing one the server checks the version.
 */
export function deletePlan(streamId: string, expected: ExpectedVersion, exists: boolean): DeletePlan {
  if (typeof expected === 'number') checkVersionNumber(expected, 'expectedVersion');
  if (!exists) {
    if (expected === 'any' || expected === 'no_stream') return { kind: 'nothing' };
    throw concurrencyConflict(streamId, expected, 'no_stream');
  }
  switch (expected) {
    case 'any':
    case 'stream_exists':
      return { kind: 'delete', expectedRevision: ANY };
    case 'no_stream':
      return { kind: 'delete', expectedRevision: NO_STREAM };
    default:
      return { kind: 'delete', expectedRevision: BigInt(expected) };
  }
}

// ---- truncating and hiding ----------------------------------------------------------------------------------

/** `$tb` (truncate before) from a stream's raw metadata; soft delete sets it past any revision. */
export function truncateBeforeOf(rawMetadata: unknown): number | undefined {
  if (typeof rawMetadata !== 'object' || rawMetadata === null) return undefined;
  const value = (rawMetadata as Record<string, unknown>)['$tb'];
  return typeof value === 'number' ? value : undefined;
}

/**
 * `$all` bypasses the stream index, so events that truncation or a soft delete removed stay in it until a
 * scavenge: the port's global log must not show them.
 */
export function isTruncated(revision: bigint, truncateBefore: number | undefined): boolean {
  return truncateBefore !== undefined && Number(revision) < truncateBefore;
}

/**
 * The `$tb` to write for `truncateStream(before)`, or undefined when nothing changes. It never lowers an earlier
 * truncation (that would bring removed events back until a scavenge) and never reaches past the stream's next
 * position (ESDB would also hide events appended later; the port removes only what exists).
 */
export function truncationTarget(before: number, lastRevision: number, current: number | undefined): number | undefined {
  checkVersionNumber(before, 'before');
  const target = Math.min(before, lastRevision + 1);
  if (target <= 0 || (current !== undefined && current >= target)) return undefined;
  return target;
}

// ---- reading ------------------------------------------------------------------------------------------------

/** System streams and events (`$`: metadata, statistics, projections, links) are ESDB's own, never the domain's. */
export function isSystemEvent(streamId: string, type: string): boolean {
  return streamId.startsWith('$') || type.startsWith('$');
}

export function inCategory(streamId: string, category: string | undefined): boolean {
  return category === undefined || streamCategory(streamId) === category;
}

/** The server-side filter of an `all` or `category` subscription; the client checks both again per event. */
export function subscriptionFilter(category: string | undefined): Filter {
  return category === undefined ? excludeSystemEvents() : streamNameFilter({ prefixes: [`${category}-`] });
}

/** The client's read options, or undefined when there is nothing to read (`maxCount` 0). */
export function toReadStreamOptions(options: ReadStreamOptions): EsdbReadStreamOptions | undefined {
  const direction = options.direction ?? 'forwards';
  if (typeof options.from === 'number') checkVersionNumber(options.from, 'from');
  const maxCount = options.maxCount === undefined ? undefined : checkCount(options.maxCount);
  if (maxCount === 0) return undefined;
  const from = resolveFrom(options.from, direction);
  return {
    direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
    fromRevision: from >= Number.MAX_SAFE_INTEGER ? END : BigInt(from),
    ...(maxCount === undefined ? {} : { maxCount }),
  };
}

export function toGlobalPosition(position: Position): GlobalPosition {
  return globalPosition(position.commit, position.prepare);
}

export function toPosition(position: GlobalPosition): Position {
  return parseGlobalPosition(position);
}

/** Where a forward read of `$all` starts: ESDB reads from a position inclusively, so the caller skips `after`. */
export function readAllFrom(after: GlobalPosition | undefined): ReadPosition {
  if (after === undefined) return START;
  const position = toPosition(after);
  return position.commit === 0n && position.prepare === 0n ? START : position;
}

/** Strictly after: the port's `after` is exclusive where ESDB's read position is inclusive. */
export function isAfter(position: Position, after: Position | undefined): boolean {
  if (after === undefined) return true;
  if (position.commit !== after.commit) return position.commit > after.commit;
  return position.prepare > after.prepare;
}

/**
 * The envelope exactly as written: metadata minus the two envelope fields carried in it, `recordedAt` from the
 * server's `created`. An event this store did not write cannot be shown as an envelope and fails loudly rather
 * than being skipped, so a relay never silently drops history.
 */
export function toEnvelope(event: StoredEvent): EventEnvelope {
  const metadata = event.metadata as Record<string, unknown> | undefined;
  const { schemaVersion, occurredAt, ...rest } = metadata ?? {};
  if (!event.isJson || typeof schemaVersion !== 'number' || typeof occurredAt !== 'string' || typeof event.data !== 'object' || event.data === null) {
    throw new ArrearsError(
      ErrorCode.INTERNAL,
      `Event ${event.id} at ${event.streamId}@${event.revision} was not written through the Arrears event store: it has no JSON data with schemaVersion and occurredAt in its metadata`,
      { details: { streamId: event.streamId, eventId: event.id } },
    );
  }
  // Before 22.6 the server leaves an event's position out of stream reads and the client shows it as 0:0,
  // which is never a real event's position (the log starts with the server's own epoch records).
  if (event.position === undefined || (event.position.commit === 0n && event.position.prepare === 0n)) {
    throw new ArrearsError(
      ErrorCode.INTERNAL,
      `EventStoreDB sent event ${event.id} without its global position: the EventStoreDB adapter needs server version 22.6 or later`,
      { details: { streamId: event.streamId, eventId: event.id } },
    );
  }
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion,
    streamId: event.streamId,
    streamPosition: Number(event.revision),
    globalPosition: toGlobalPosition(event.position),
    occurredAt,
    recordedAt: event.created.toISOString(),
    data: event.data as Record<string, unknown>,
    metadata: rest as EventEnvelope['metadata'],
  };
}

// ---- errors -------------------------------------------------------------------------------------------------

export interface ErrorContext {
  readonly streamId: string;
  readonly expected?: ExpectedVersion;
  /** The first event of the append, named when a reused id makes it an idempotency conflict. */
  readonly firstEventId?: string;
}

/**
 * Whether the server was unreachable or did not answer in time: retrying (with the same event ids) is safe.
 * `appendToStream` rejects with the raw gRPC error when it cannot connect, reads with `UnavailableError`; a
 * server shutting down cancels calls, a deadline or an internal timeout leaves a write's outcome unknown.
 */
export function isUnavailable(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError
  ) {
    return true;
  }
  if (typeof error !== 'object' || error === null || (error instanceof Error && isCommandError(error))) return false;
  const { code } = error as { code?: unknown };
  return code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED;
}

/** Turns what the client raised into the port's errors; anything unrecognised is rethrown as it came. */
export function mapError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof ArrearsError) return error;
  if (isUnavailable(error)) return unavailable(STORE, error);
  const { streamId, expected } = context;
  if (error instanceof WrongExpectedVersionError) {
    // With `any` the only version check ESDB can fail is its idempotency check: the first id was appended to
    // this stream before, a later one of the batch was not (the server's "corrupted idempotency").
    if (expected === 'any' && context.firstEventId !== undefined) {
      return idempotencyConflict(streamId, context.firstEventId, 'some of these event ids were already appended to this stream, but not as this same batch');
    }
    return concurrencyConflict(streamId, expected ?? fromExpectedRevision(error.expectedVersion), fromCurrentRevision(error.actualVersion));
  }
  if (error instanceof StreamDeletedError) {
    // The server answers `stream_exists` on a soft-deleted stream with "deleted"; for the port that stream
    // simply does not exist. Anything else deleted was tombstoned (hard-deleted) outside this adapter.
    if (expected === 'stream_exists') return concurrencyConflict(streamId, expected, 'no_stream');
    return new ArrearsError(ErrorCode.STREAM_DELETED, `Stream ${streamId} was permanently deleted (tombstoned) in EventStoreDB and can never be written again`, {
      field: 'streamId',
      details: { streamId },
      cause: error,
    });
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new ArrearsError(ErrorCode.VALIDATION_FAILED, `The batch is larger than EventStoreDB accepts in one append (${error.maxAppendSize} bytes): split it`, {
      field: 'events',
      details: { streamId, maxAppendSize: error.maxAppendSize },
      cause: error,
    });
  }
  return error;
}

export function fromExpectedRevision(expected: AppendExpectedRevision): ExpectedVersion {
  return typeof expected === 'bigint' ? Number(expected) : expected;
}

export function fromCurrentRevision(current: bigint | typeof NO_STREAM): number | 'no_stream' {
  return typeof current === 'bigint' ? Number(current) : 'no_stream';
}

/** A stream position given as input (`before`, `from`, a numeric expected version): an integer of 0 or more. */
export function checkVersionNumber(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field}: must be a stream position, an integer of 0 or more (got ${value})`, { field });
  }
  return value;
}

function checkCount(value: number): number {
  if (!Number.isInteger(value)) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `maxCount: must be an integer (got ${value})`, { field: 'maxCount' });
  return Math.max(0, value);
}
