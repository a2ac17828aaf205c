import { ArrearsError, ErrorCode, isArrearsError, type NewEvent } from '@arrears/contracts';
import {
  AccessDeniedError,
  CancelledError,
  convertToCommandError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  deletePlan,
  failedAppend,
  fromCurrentRevision,
  fromExpectedRevision,
  inCategory,
  isAfter,
  isSystemEvent,
  isTruncated,
  isUnavailable,
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
  type StoredEvent,
} from './mapping';

/**
 * A gRPC `ServiceError` as @grpc/grpc-js hands it to the client: code, details and trailing metadata (only
 * `getMap()` is read). `convertToCommandError` is the client's own function that turns it into its error classes,
 * so the errors below are built exactly as the client builds them from a server's answer.
 */
function serviceError(code: number, details: string, metadata: Record<string, string> = {}): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: { getMap: () => metadata } });
}

function fromServer(code: number, details: string, metadata: Record<string, string> = {}): Error {
  return convertToCommandError(serviceError(code, details, metadata));
}

function arrears(error: unknown): { code: string; field: string | undefined; details: unknown } {
  if (!isArrearsError(error)) throw new Error(`expected an ArrearsError, got ${String(error)}`);
  return { code: error.code, field: error.field, details: error.details };
}

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const newEvent: NewEvent = {
  eventId: '1f0c7f8e-5a0e-4c64-9c1a-6d8f2f0b7a11',
  type: 'DebtPlaced',
  schemaVersion: 2,
  occurredAt: '2026-03-01T06:15:00.000Z',
  data: { amount: { minor: 12500, currency: 'EUR' } },
  metadata: {
    commandId: '2b7c8a3e-4f1d-4e0a-8c2b-1a2b3c4d5e6f',
    correlationId: '2b7c8a3e-4f1d-4e0a-8c2b-1a2b3c4d5e6f',
    causationId: '3c8d9b4f-5a2e-4f1b-9d3c-2b3c4d5e6f70',
    caseId: '4d9eac50-6b3f-4a2c-8e4d-3c4d5e6f7081',
    actorId: 'collector-7',
    actorRole: 'collector',
  },
};

/** What the client hands back for `newEvent` once stored at account-42@3, $all position 1200/1200. */
function stored(overrides: Partial<StoredEvent> = {}): StoredEvent {
  const data = toEventData(newEvent);
  return {
    streamId: 'account-42',
    id: data.id,
    revision: 3n,
    type: data.type,
    created: new Date('2026-03-01T06:15:01.234Z'),
    isJson: true,
    data: data.data,
    metadata: data.metadata,
    position: { commit: 1200n, prepare: 1200n },
    ...overrides,
  };
}

describe('writing', () => {
  it('an event goes to ESDB as JSON with schemaVersion and occurredAt beside its metadata', () => {
    expect(toEventData(newEvent)).toEqual({
      id: '1f0c7f8e-5a0e-4c64-9c1a-6d8f2f0b7a11',
      contentType: 'application/json',
      type: 'DebtPlaced',
      data: { amount: { minor: 12500, currency: 'EUR' } },
      metadata: {
        schemaVersion: 2,
        occurredAt: '2026-03-01T06:15:00.000Z',
        commandId: '2b7c8a3e-4f1d-4e0a-8c2b-1a2b3c4d5e6f',
        correlationId: '2b7c8a3e-4f1d-4e0a-8c2b-1a2b3c4d5e6f',
        causationId: '3c8d9b4f-5a2e-4f1b-9d3c-2b3c4d5e6f70',
        caseId: '4d9eac50-6b3f-4a2c-8e4d-3c4d5e6f7081',
        actorId: 'collector-7',
        actorRole: 'collector',
      },
    });
  });

  it.each([
    ['no_stream', 'no_stream'],
    ['stream_exists', 'stream_exists'],
    ['any', 'any'],
    [0, 0n],
    [41, 41n],
  ] as const)('expected version %p is sent as %p', (expected, revision) => {
    expect(toExpectedRevision(expected)).toBe(revision);
  });

  it.each([-1, 1.5, Number.NaN])('a numeric expected version %p is refused as VALIDATION_FAILED', (expected) => {
    expect(arrears(thrown(() => toExpectedRevision(expected)))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'expectedVersion' });
  });

  it('trusts the reported position of a single event, and reads back the last event of a batch', () => {
    const result = { success: true, nextExpectedRevision: 4n, position: { commit: 5000n, prepare: 5000n } };
    expect(reportedPosition(result, 1)).toBe('5000:5000');
    expect(reportedPosition(result, 2)).toBeUndefined();
    expect(reportedPosition({ success: true, nextExpectedRevision: 4n }, 1)).toBeUndefined();
  });

  it('the append result carries the next expected version as a number and the position given', () => {
    expect(toAppendResult({ success: true, nextExpectedRevision: 7n, position: { commit: 1n, prepare: 1n } }, toGlobalPosition({ commit: 90n, prepare: 90n }))).toEqual({
      nextExpectedVersion: 7,
      position: '90:90',
    });
  });

  it('a failed append reported as a result (throwOnAppendFailure: false) becomes the wrong-expected-version error', () => {
    expect(failedAppend({ success: true, nextExpectedRevision: 2n }, 'account-1', 1n)).toBeUndefined();
    const behind = failedAppend({ success: false, nextExpectedRevision: 2n }, 'account-1', 1n);
    expect(behind).toBeInstanceOf(WrongExpectedVersionError);
    expect({ stream: behind?.streamName, expected: behind?.expectedVersion, actual: behind?.actualVersion }).toEqual({ stream: 'account-1', expected: 1n, actual: 2n });
    expect(failedAppend({ success: false, nextExpectedRevision: -1n }, 'account-1', 0n)?.actualVersion).toBe('no_stream');
    expect(arrears(mapError(behind, { streamId: 'account-1', expected: 1 }))).toEqual({
      code: ErrorCode.CONCURRENCY_CONFLICT,
      field: 'expectedVersion',
      details: { streamId: 'account-1', expectedVersion: 1, actualVersion: 2 },
    });
  });
});

describe('deleting', () => {
  it.each([
    ['any', false, { kind: 'nothing' }],
    ['no_stream', false, { kind: 'nothing' }],
    ['any', true, { kind: 'delete', expectedRevision: 'any' }],
    ['stream_exists', true, { kind: 'delete', expectedRevision: 'any' }],
    ['no_stream', true, { kind: 'delete', expectedRevision: 'no_stream' }],
    [2, true, { kind: 'delete', expectedRevision: 2n }],
  ] as const)('expected %p on a stream that exists=%p: %p', (expected, exists, plan) => {
    expect(deletePlan('account-1', expected, exists)).toEqual(plan);
  });

  it.each(['stream_exists', 0, 5] as const)('expected %p on a missing stream is a CONCURRENCY_CONFLICT with no stream', (expected) => {
    expect(arrears(thrown(() => deletePlan('account-1', expected, false)))).toEqual({
      code: ErrorCode.CONCURRENCY_CONFLICT,
      field: 'expectedVersion',
      details: { streamId: 'account-1', expectedVersion: expected, actualVersion: 'no_stream' },
    });
  });

  it('a negative expected version is refused', () => {
    expect(arrears(thrown(() => deletePlan('account-1', -3, true)))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'expectedVersion' });
  });
});

describe('truncating and hiding', () => {
  it('reads $tb from raw stream metadata and nothing else', () => {
    expect(truncateBeforeOf({ $tb: 3, $acl: { $r: '$all' }, custom: 1 })).toBe(3);
    expect(truncateBeforeOf({ $tb: 9223372036854775807 })).toBe(9223372036854775807);
    expect(truncateBeforeOf({ truncateBefore: 3 })).toBeUndefined();
    expect(truncateBeforeOf({ $tb: '3' })).toBeUndefined();
    expect(truncateBeforeOf({})).toBeUndefined();
    expect(truncateBeforeOf(null)).toBeUndefined();
    expect(truncateBeforeOf(new Uint8Array([1, 2]))).toBeUndefined();
  });

  it('an event below $tb is hidden; at or above it, or without $tb, it is not', () => {
    expect(isTruncated(2n, 3)).toBe(true);
    expect(isTruncated(3n, 3)).toBe(false);
    expect(isTruncated(0n, undefined)).toBe(false);
    // A soft delete sets $tb to long.MaxValue, which JSON hands over as a float above every revision.
    expect(isTruncated(4_000_000_000n, 9223372036854775807)).toBe(true);
  });

  it.each([
    [3, 4, undefined, 3],
    [10, 4, undefined, 5],
    [4, 4, 2, 4],
    [3, 4, 3, undefined],
    [2, 4, 3, undefined],
    [0, 4, undefined, undefined],
    [3, 4, 9223372036854775807, undefined],
  ])('truncate before %p with last revision %p and $tb %p writes $tb %p', (before, last, current, target) => {
    expect(truncationTarget(before, last, current)).toBe(target);
  });

  it('a negative or fractional truncation point is refused', () => {
    expect(arrears(thrown(() => truncationTarget(-1, 4, undefined)))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'before' });
    expect(arrears(thrown(() => truncationTarget(1.5, 4, undefined)))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'before' });
  });
});

describe('reading', () => {
  it.each([
    ['$$account-1', '$metadata', true],
    ['account-1', '$>', true],
    ['$stats-127.0.0.1:2113', 'StatsCollected', true],
    ['$ce-account', 'DebtPlaced', true],
    ['account-1', 'DebtPlaced', false],
  ])('%s / %s is a system event: %p', (streamId, type, system) => {
    expect(isSystemEvent(streamId, type)).toBe(system);
  });

  it('a category is the part of the stream id before the first dash', () => {
    expect(inCategory('account-1', 'account')).toBe(true);
    expect(inCategory('account-1-2', 'account')).toBe(true);
    expect(inCategory('accounting-1', 'account')).toBe(false);
    expect(inCategory('account-1', undefined)).toBe(true);
  });

  it('subscribes to a category with a stream-name prefix filter, to all with the system events excluded', () => {
    expect(subscriptionFilter('account')).toEqual({ filterOn: 'streamName', prefixes: ['account-'], checkpointInterval: 1, checkpointReached: undefined });
    expect(subscriptionFilter(undefined)).toEqual({ filterOn: 'eventType', regex: '^[^$].*', checkpointInterval: 1, checkpointReached: undefined });
  });

  it.each([
    [{}, { direction: 'forwards', fromRevision: 0n }],
    [{ direction: 'backwards' }, { direction: 'backwards', fromRevision: 'end' }],
    [{ from: 2, maxCount: 3 }, { direction: 'forwards', fromRevision: 2n, maxCount: 3 }],
    [{ direction: 'backwards', from: 3, maxCount: 2 }, { direction: 'backwards', fromRevision: 3n, maxCount: 2 }],
    [{ direction: 'backwards', from: 'end', maxCount: 1 }, { direction: 'backwards', fromRevision: 'end', maxCount: 1 }],
    [{ direction: 'backwards', from: 'start' }, { direction: 'backwards', fromRevision: 0n }],
    [{ from: 'end' }, { direction: 'forwards', fromRevision: 'end' }],
    [{ maxCount: 0 }, undefined],
    [{ maxCount: -2 }, undefined],
  ] as const)('read-stream options %p are sent as %p', (options, read) => {
    expect(toReadStreamOptions(options)).toEqual(read);
  });

  it('a negative start or a fractional count is refused', () => {
    expect(arrears(thrown(() => toReadStreamOptions({ from: -1 })))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'from' });
    expect(arrears(thrown(() => toReadStreamOptions({ maxCount: 1.5 })))).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, field: 'maxCount' });
  });

  it('positions convert both ways, beyond 2^53 too', () => {
    expect(toGlobalPosition({ commit: 123n, prepare: 45n })).toBe('123:45');
    expect(toPosition(toGlobalPosition({ commit: 18446744073709551615n, prepare: 1n }))).toEqual({ commit: 18446744073709551615n, prepare: 1n });
    expect(() => toPosition('12' as never)).toThrow(RangeError);
  });

  it('reading $all after nothing or after 0:0 starts at the start; after a position, at that position', () => {
    expect(readAllFrom(undefined)).toBe('start');
    expect(readAllFrom(toGlobalPosition({ commit: 0n, prepare: 0n }))).toBe('start');
    expect(readAllFrom(toGlobalPosition({ commit: 10n, prepare: 7n }))).toEqual({ commit: 10n, prepare: 7n });
  });

  it('after is exclusive and ordered by commit, then prepare', () => {
    const at = { commit: 10n, prepare: 7n };
    expect(isAfter(at, at)).toBe(false);
    expect(isAfter({ commit: 10n, prepare: 8n }, at)).toBe(true);
    expect(isAfter({ commit: 10n, prepare: 6n }, at)).toBe(false);
    expect(isAfter({ commit: 11n, prepare: 0n }, at)).toBe(true);
    expect(isAfter({ commit: 9n, prepare: 99n }, at)).toBe(false);
    expect(isAfter(at, undefined)).toBe(true);
  });

  it('a stored event reads back as exactly the envelope that was written', () => {
    expect(toEnvelope(stored())).toEqual({
      eventId: newEvent.eventId,
      type: 'DebtPlaced',
      schemaVersion: 2,
      streamId: 'account-42',
      streamPosition: 3,
      globalPosition: '1200:1200',
      occurredAt: '2026-03-01T06:15:00.000Z',
      recordedAt: '2026-03-01T06:15:01.234Z',
      data: { amount: { minor: 12500, currency: 'EUR' } },
      metadata: newEvent.metadata,
    });
  });

  it.each([
    ['binary data', { isJson: false, data: new Uint8Array([1]) }],
    ['no metadata', { metadata: undefined }],
    ['no schemaVersion', { metadata: { occurredAt: '2026-03-01T06:15:00.000Z' } }],
    ['no occurredAt', { metadata: { schemaVersion: 1 } }],
  ])('an event not written by this store (%s) fails as INTERNAL naming it', (_, overrides) => {
    const error = thrown(() => toEnvelope(stored(overrides)));
    expect(arrears(error)).toEqual({ code: ErrorCode.INTERNAL, field: undefined, details: { streamId: 'account-42', eventId: newEvent.eventId } });
    expect((error as Error).message).toContain('account-42@3');
  });

  it.each([
    ['no position', { position: undefined }],
    ['the 0:0 a pre-22.6 server leaves', { position: { commit: 0n, prepare: 0n } }],
  ])('an event with %s fails as INTERNAL asking for a newer server', (_, overrides) => {
    const error = thrown(() => toEnvelope(stored(overrides)));
    expect(arrears(error).code).toBe(ErrorCode.INTERNAL);
    expect((error as Error).message).toContain('22.6');
  });
});

describe('errors', () => {
  const context = { streamId: 'account-1', expected: 1 as const };

  it('the raw gRPC error appendToStream rejects with when nothing listens is UNAVAILABLE', () => {
    // Exactly what @eventstore/db-client 6.2.1 rejected with against esdb://127.0.0.1:1 on this machine.
    const raw = serviceError(14, 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1.');
    const mapped = mapError(raw, context);
    expect(arrears(mapped).code).toBe(ErrorCode.UNAVAILABLE);
    expect((mapped as ArrearsError).cause).toBe(raw);
    expect((mapped as Error).message).toBe('The EventStoreDB event store cannot be reached: 14 No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1.');
    expect(arrears(mapError({ code: 14 }, context)).code).toBe(ErrorCode.UNAVAILABLE);
    expect(arrears(mapError({ code: 4 }, context)).code).toBe(ErrorCode.UNAVAILABLE);
  });

  it.each([
    ['UnavailableError (code 14)', () => fromServer(14, 'UNAVAILABLE: No connection established'), UnavailableError],
    ['CancelledError (server shutting down)', () => fromServer(1, 'Cancelled by server'), CancelledError],
    ['DeadlineExceededError', () => fromServer(4, 'Deadline exceeded'), DeadlineExceededError],
    ['TimeoutError (ABORTED: commit timeout)', () => fromServer(10, 'Commit timeout'), TimeoutError],
    [
      'NotLeaderError',
      () => fromServer(5, 'Leader info available', { exception: 'not-leader', 'leader-endpoint-host': '10.0.0.2', 'leader-endpoint-port': '2113' }),
      NotLeaderError,
    ],
  ])('%s is UNAVAILABLE', (_, make, type) => {
    const error = make();
    expect(error).toBeInstanceOf(type);
    expect(isUnavailable(error)).toBe(true);
    expect(arrears(mapError(error, context))).toEqual({ code: ErrorCode.UNAVAILABLE, field: undefined, details: undefined });
  });

  it('a wrong expected version from the server is a CONCURRENCY_CONFLICT with the actual version', () => {
    const error = fromServer(9, 'Append failed due to WrongExpectedVersion', {
      exception: 'wrong-expected-version',
      'stream-name': 'account-1',
      'expected-version': '1',
      'actual-version': '2',
    });
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(arrears(mapError(error, context))).toEqual({
      code: ErrorCode.CONCURRENCY_CONFLICT,
      field: 'expectedVersion',
      details: { streamId: 'account-1', expectedVersion: 1, actualVersion: 2 },
    });
    // Without the caller's expectation (a delete's error, say) the server's own is reported.
    expect(arrears(mapError(error, { streamId: 'account-1' })).details).toEqual({ streamId: 'account-1', expectedVersion: 1, actualVersion: 2 });
  });

  it('a wrong expected version on a stream that does not exist reports no_stream', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'account-1', expected: 'stream_exists', current: 'no_stream' });
    expect(arrears(mapError(error, { streamId: 'account-1', expected: 'stream_exists' })).details).toEqual({
      streamId: 'account-1',
      expectedVersion: 'stream_exists',
      actualVersion: 'no_stream',
    });
  });

  it('a wrong expected version on an append with any is ESDB refusing a half-reused batch: IDEMPOTENCY_CONFLICT', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'account-1', expected: 'any', current: 4n });
    expect(arrears(mapError(error, { streamId: 'account-1', expected: 'any', firstEventId: newEvent.eventId }))).toEqual({
      code: ErrorCode.IDEMPOTENCY_CONFLICT,
      field: 'events',
      details: { streamId: 'account-1', eventId: newEvent.eventId },
    });
  });

  it('a deleted (tombstoned) stream is STREAM_DELETED; stream_exists on a soft-deleted one is a conflict', () => {
    const error = fromServer(9, 'Event stream account-1 is deleted', { exception: 'stream-deleted', 'stream-name': 'account-1' });
    expect(error).toBeInstanceOf(StreamDeletedError);
    expect(arrears(mapError(error, context))).toEqual({ code: ErrorCode.STREAM_DELETED, field: 'streamId', details: { streamId: 'account-1' } });
    expect(arrears(mapError(StreamDeletedError.fromStreamName('account-1'), { streamId: 'account-1' })).code).toBe(ErrorCode.STREAM_DELETED);
    expect(arrears(mapError(error, { streamId: 'account-1', expected: 'stream_exists' }))).toEqual({
      code: ErrorCode.CONCURRENCY_CONFLICT,
      field: 'expectedVersion',
      details: { streamId: 'account-1', expectedVersion: 'stream_exists', actualVersion: 'no_stream' },
    });
  });

  it('a batch over the server maximum is VALIDATION_FAILED on events', () => {
    expect(arrears(mapError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), context))).toEqual({
      code: ErrorCode.VALIDATION_FAILED,
      field: 'events',
      details: { streamId: 'account-1', maxAppendSize: 1_048_576 },
    });
  });

  it('anything else passes through unchanged', () => {
    const denied = fromServer(16, 'Access denied');
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect(mapError(denied, context)).toBe(denied);
    const notFound = new StreamNotFoundError(undefined, 'account-1');
    expect(mapError(notFound, context)).toBe(notFound);
    const boom = new Error('boom');
    expect(mapError(boom, context)).toBe(boom);
    const raw = { code: 5 };
    expect(mapError(raw, context)).toBe(raw);
    const already = new ArrearsError(ErrorCode.NOT_FOUND, 'gone');
    expect(mapError(already, context)).toBe(already);
    expect(isUnavailable(denied)).toBe(false);
    expect(isUnavailable(null)).toBe(false);
  });

  it('revisions convert back to the port', () => {
    expect(fromExpectedRevision(3n)).toBe(3);
    expect(fromExpectedRevision('no_stream')).toBe('no_stream');
    expect(fromExpectedRevision('stream_exists')).toBe('stream_exists');
    expect(fromCurrentRevision(0n)).toBe(0);
    expect(fromCurrentRevision('no_stream')).toBe('no_stream');
  });
});
