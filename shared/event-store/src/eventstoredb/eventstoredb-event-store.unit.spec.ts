import { ErrorCode, isArrearsError, type EventEnvelope } from '@arrears/contracts';
import { eventually, newEvent, newEvents, rejection } from '@arrears/testing';
import { EventStoreDBClient, StreamDeletedError, StreamNotFoundError, type AppendResult as EsdbAppendResult, type Position } from '@eventstore/db-client';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { toEventData, type StoredEvent } from './mapping';

/** Nothing listens on port 1: the client gets ECONNREFUSED at once, and the deadline bounds anything slower. */
const UNREACHABLE = 'esdb://127.0.0.1:1?tls=false&defaultDeadline=2000';

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; field: string | undefined }> {
  const error = await rejection(promise);
  if (!isArrearsError(error)) throw error;
  return { code: error.code, field: error.field };
}

describe('EventStoreDB adapter without a server', () => {
  let client: EventStoreDBClient;
  let store: EventStoreDbEventStore;

  beforeEach(() => {
    client = EventStoreDBClient.connectionString(UNREACHABLE);
    store = new EventStoreDbEventStore(client, { deadlineMs: 2_000, subscription: { maxRetryDelayMs: 20 } });
  });

  afterEach(async () => {
    await store.close();
    await client.dispose();
  });

  it.each([
    ['a stream id without a category', 'NoCategory', newEvents(1), 'any', 'streamId'],
    ['an empty batch', 'account-1', [], 'any', 'events'],
    ['a bad event id', 'account-1', [{ ...newEvent(), eventId: 'not-a-uuid' }], 'any', 'events[0].eventId'],
    ['a negative expected version', 'account-1', newEvents(1), -1, 'expectedVersion'],
  ] as const)('refuses %s with VALIDATION_FAILED before touching the network', async (_, streamId, events, expectedVersion, field) => {
    const append = jest.spyOn(client, 'appendToStream');
    expect(await errorOf(store.appendToStream(streamId, events as never, { expectedVersion }))).toEqual({ code: ErrorCode.VALIDATION_FAILED, field });
    expect(append).not.toHaveBeenCalled();
  });

  it('refuses a bad truncation point, delete version, read start or subscription start before touching the network', async () => {
    const read = jest.spyOn(client, 'readStream');
    const remove = jest.spyOn(client, 'deleteStream');
    expect(await errorOf(store.truncateStream('account-1', -1))).toEqual({ code: ErrorCode.VALIDATION_FAILED, field: 'before' });
    expect(await errorOf(store.deleteStream('account-1', { expectedVersion: 1.5 }))).toEqual({ code: ErrorCode.VALIDATION_FAILED, field: 'expectedVersion' });
    expect(await errorOf(store.readStream('account-1', { from: -2 }))).toEqual({ code: ErrorCode.VALIDATION_FAILED, field: 'from' });
    expect(() => store.subscribe({ kind: 'stream', streamId: 'account-1' }, { from: { after: '1:1' as never }, handler: () => undefined })).toThrow(
      'A stream subscription starts after a stream position',
    );
    expect(await store.readStream('account-1', { maxCount: 0 })).toEqual([]);
    expect(read).not.toHaveBeenCalled();
    expect(remove).not.toHaveBeenCalled();
  });

  it('an append that cannot reach the server fails with UNAVAILABLE, not the raw gRPC error', async () => {
    const error = await rejection(store.appendToStream('account-1', newEvents(2), { expectedVersion: 'no_stream' }));
    expect(isArrearsError(error, ErrorCode.UNAVAILABLE)).toBe(true);
    expect((error as Error).cause).toMatchObject({ code: 14 });
    expect((error as Error).message).toMatch(/^The EventStoreDB event store cannot be reached: 14 UNAVAILABLE/);
  });

  it.each([
    ['readStream', (s: EventStoreDbEventStore) => s.readStream('account-1')],
    ['readAll', (s: EventStoreDbEventStore) => s.readAll({ category: 'account' })],
    ['deleteStream', (s: EventStoreDbEventStore) => s.deleteStream('account-1', { expectedVersion: 'any' })],
    ['truncateStream', (s: EventStoreDbEventStore) => s.truncateStream('account-1', 3)],
  ])('%s against an unreachable server fails with UNAVAILABLE', async (_, operation) => {
    expect(await errorOf(operation(store))).toEqual({ code: ErrorCode.UNAVAILABLE, field: undefined });
  });

  it.each([
    ['all', { kind: 'all' }, 'start'],
    ['a category', { kind: 'category', category: 'account' }, 'end'],
    ['a stream', { kind: 'stream', streamId: 'account-1' }, 'start'],
  ] as const)('a subscription to %s keeps retrying with backoff while the server is unreachable, and stops', async (_, target, from) => {
    const retries: [string, number][] = [];
    const handler = jest.fn();
    const subscription = store.subscribe(target, {
      from,
      handler,
      onRetry: (error, attempt) => retries.push([isArrearsError(error) ? error.code : String(error), attempt]),
    });
    await eventually(() => expect(retries.length).toBeGreaterThanOrEqual(3));
    expect(retries.slice(0, 3)).toEqual([
      [ErrorCode.UNAVAILABLE, 1],
      [ErrorCode.UNAVAILABLE, 2],
      [ErrorCode.UNAVAILABLE, 3],
    ]);
    await subscription.stop();
    await expect(subscription.done).resolves.toBeUndefined();
    expect(subscription.checkpoint).toBeUndefined();
    expect(handler).not.toHaveBeenCalled();
  });

  it('disposes a client it created, and leaves alone one it was given', async () => {
    const given = jest.spyOn(client, 'dispose');
    await new EventStoreDbEventStore(client).close();
    expect(given).not.toHaveBeenCalled();

    const owned = new EventStoreDbEventStore(UNREACHABLE);
    const dispose = jest.spyOn((owned as unknown as { client: EventStoreDBClient }).client, 'dispose');
    await owned.close();
    expect(dispose).toHaveBeenCalledTimes(1);
  });
});

// ---- the adapter's own logic over a scripted client ------------------------------------------------------------

type Recorded = StoredEvent & { readonly position: Position };

function recorded(streamId: string, revision: number, at: number, type = 'SomethingHappened', data: unknown = { at }): Recorded {
  const written = toEventData({ ...newEvent(type), data: data as Record<string, unknown> });
  return {
    streamId,
    id: written.id,
    revision: BigInt(revision),
    type,
    created: new Date('2026-11-29T09:30:01.000Z'),
    isJson: true,
    data: written.data,
    metadata: written.metadata,
    position: { commit: BigInt(at), prepare: BigInt(at) },
  };
}

async function* resolved(events: readonly Recorded[]) {
  for (const event of events) yield { event };
}

async function* notFound(streamId: string): AsyncGenerator<never> {
  throw new StreamNotFoundError(undefined, streamId);
}

async function* tombstoned(streamId: string): AsyncGenerator<never> {
  throw StreamDeletedError.fromStreamName(streamId);
}

/**
 * The read side of a client over a fixed log, as ESDB reads it: `$all` from a position inclusively and with
 * every record still in it; a stream without the events its `$tb` hides; `$$<stream>` holding its metadata.
 */
function scriptedClient(log: readonly Recorded[], extra: Partial<Record<string, unknown>> = {}) {
  const readAll = jest.fn(({ fromPosition, maxCount }: { fromPosition: 'start' | Position; maxCount: number }) =>
    resolved(log.filter((event) => fromPosition === 'start' || event.position.commit >= fromPosition.commit).slice(0, maxCount)),
  );
  const readStream = jest.fn((streamId: string, options: { direction?: string; fromRevision?: bigint | 'start' | 'end'; maxCount?: number } = {}) => {
    const events = log.filter((event) => event.streamId === streamId);
    if (events.length === 0) return notFound(streamId);
    const truncateBefore = streamId.startsWith('$$') ? 0 : metadataOf(streamId)?.$tb ?? 0;
    const visible = events.filter((event) => Number(event.revision) >= truncateBefore);
    const ordered = options.direction === 'backwards' ? [...visible].reverse() : visible;
    const from = options.fromRevision;
    const started = typeof from === 'bigint' ? ordered.filter((event) => (options.direction === 'backwards' ? event.revision <= from : event.revision >= from)) : ordered;
    return resolved(started.slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER));
  });
  function metadataOf(streamId: string): { $tb?: number } | undefined {
    const meta = log.filter((event) => event.streamId === `$$${streamId}`);
    return meta[meta.length - 1]?.data as { $tb?: number } | undefined;
  }
  return { readAll, readStream, ...extra } as unknown as EventStoreDBClient & { readAll: typeof readAll; readStream: typeof readStream } & Record<string, jest.Mock>;
}

describe('EventStoreDB adapter logic over a scripted client', () => {
  it('reads the global log strictly after a position, without system events, other categories, truncated or deleted events, in pages', async () => {
    const log = [
      recorded('$$account-3', 0, 5, '$metadata', { $tb: 9223372036854775807 }), // account-3 soft-deleted
      recorded('account-1', 0, 10),
      recorded('$stats-127.0.0.1:2113', 0, 20, '$statsCollected'),
      recorded('account-2', 0, 30),
      recorded('other-1', 0, 40),
      recorded('account-1', 1, 50),
      recorded('account-3', 0, 55),
      recorded('account-2', 1, 60),
      recorded('account-2', 2, 70),
      recorded('$$account-2', 0, 75, '$metadata', { $tb: 2, custom: 'kept' }), // account-2 truncated before 2
      recorded('account-1', 2, 80, '$>'),
      recorded('account-1', 3, 90),
    ];
    const client = scriptedClient(log);
    const store = new EventStoreDbEventStore(client, { readPageSize: 3 });
    const shown = (events: EventEnvelope[]) => events.map((event) => `${event.streamId}@${event.streamPosition}`);

    expect(shown(await store.readAll())).toEqual(['account-1@0', 'other-1@0', 'account-1@1', 'account-2@2', 'account-1@3']);
    expect(shown(await store.readAll({ category: 'account' }))).toEqual(['account-1@0', 'account-1@1', 'account-2@2', 'account-1@3']);
    expect(shown(await store.readAll({ category: 'account', after: '50:50' as never }))).toEqual(['account-2@2', 'account-1@3']);
    expect(shown(await store.readAll({ category: 'account', maxCount: 2 }))).toEqual(['account-1@0', 'account-1@1']);
    expect(await store.readAll({ after: '90:90' as never })).toEqual([]);
    expect(await store.readAll({ maxCount: 0 })).toEqual([]);
    // Pages continue from the last record read (inclusive there, so it is skipped), never re-reading from the start.
    const froms = client.readAll.mock.calls.map(([options]) => options.fromPosition);
    expect(froms.slice(0, 6)).toEqual(['start', ...[20n, 40n, 55n, 70n, 80n].map((at) => ({ commit: at, prepare: at }))]);
    expect(froms[6]).toBe('start');
    expect(client.readAll.mock.calls.every(([options]) => options.maxCount === 3)).toBe(true);
    // A page of one would re-read its own start for ever: the smallest page is two.
    expect(shown(await new EventStoreDbEventStore(scriptedClient(log), { readPageSize: 1 }).readAll({ category: 'account' }))).toEqual([
      'account-1@0',
      'account-1@1',
      'account-2@2',
      'account-1@3',
    ]);
  });

  it('trusts the position the server reports for one event, and reads back the last event of a batch', async () => {
    const log = [recorded('account-1', 0, 100), recorded('account-1', 1, 110), recorded('account-1', 2, 120)];
    let result: EsdbAppendResult = { success: true, nextExpectedRevision: 2n, position: { commit: 100n, prepare: 100n } };
    const appendToStream = jest.fn(async () => result);
    const client = scriptedClient(log, { appendToStream });
    const store = new EventStoreDbEventStore(client);

    expect(await store.appendToStream('account-1', newEvents(2), { expectedVersion: 0 })).toEqual({ nextExpectedVersion: 2, position: '120:120' });
    expect(client.readStream).toHaveBeenLastCalledWith('account-1', { direction: 'forwards', fromRevision: 2n, maxCount: 1 });
    expect(appendToStream).toHaveBeenCalledWith('account-1', expect.any(Array), { expectedRevision: 0n });

    result = { success: true, nextExpectedRevision: 2n, position: { commit: 120n, prepare: 120n } };
    client.readStream.mockClear();
    expect(await store.appendToStream('account-1', newEvents(1), { expectedVersion: 1 })).toEqual({ nextExpectedVersion: 2, position: '120:120' });
    expect(client.readStream).not.toHaveBeenCalled();

    result = { success: false, nextExpectedRevision: 2n };
    expect(await errorOf(store.appendToStream('account-1', newEvents(1), { expectedVersion: 0 }))).toEqual({
      code: ErrorCode.CONCURRENCY_CONFLICT,
      field: 'expectedVersion',
    });
  });

  it('truncates by raising $tb in the stream metadata, keeping the rest of it and guarding on its revision', async () => {
    const log = [
      ...[0, 1, 2, 3, 4].map((revision) => recorded('account-1', revision, 10 + revision)),
      recorded('$$account-1', 0, 20, '$metadata', { $tb: 1, $acl: { $r: 'collectors' }, custom: 'kept' }),
      ...[0, 1].map((revision) => recorded('account-2', revision, 30 + revision)),
    ];
    const setStreamMetadata = jest.fn(async () => ({ success: true, nextExpectedRevision: 1n }));
    const store = new EventStoreDbEventStore(scriptedClient(log, { setStreamMetadata }));

    await store.truncateStream('account-1', 3);
    expect(setStreamMetadata).toHaveBeenLastCalledWith('account-1', { $tb: 3, $acl: { $r: 'collectors' }, custom: 'kept' }, { expectedRevision: 0n });
    await store.truncateStream('account-2', 10);
    expect(setStreamMetadata).toHaveBeenLastCalledWith('account-2', { $tb: 2 }, { expectedRevision: 'no_stream' });
    setStreamMetadata.mockClear();
    await store.truncateStream('account-1', 1);
    await store.truncateStream('account-9', 3);
    expect(setStreamMetadata).not.toHaveBeenCalled();
  });

  it('deletes only a stream that is there, sending what ESDB understands for the expected version', async () => {
    const log = [0, 1, 2].map((revision) => recorded('account-1', revision, 10 + revision));
    const deleteStream = jest.fn(async () => ({}));
    const store = new EventStoreDbEventStore(scriptedClient(log, { deleteStream }));

    await store.deleteStream('account-9', { expectedVersion: 'any' });
    await store.deleteStream('account-9', { expectedVersion: 'no_stream' });
    expect(deleteStream).not.toHaveBeenCalled();
    expect(await errorOf(store.deleteStream('account-9', { expectedVersion: 2 }))).toEqual({ code: ErrorCode.CONCURRENCY_CONFLICT, field: 'expectedVersion' });

    await store.deleteStream('account-1', { expectedVersion: 'stream_exists' });
    expect(deleteStream).toHaveBeenLastCalledWith('account-1', { expectedRevision: 'any' });
    await store.deleteStream('account-1', { expectedVersion: 2 });
    expect(deleteStream).toHaveBeenLastCalledWith('account-1', { expectedRevision: 2n });
  });

  it('reads a missing or tombstoned stream as no events and leaves out system events in a stream', async () => {
    const log = [recorded('account-1', 0, 10), recorded('account-1', 1, 20, '$streamDeleted')];
    const client = scriptedClient(log);
    const store = new EventStoreDbEventStore(client);
    expect((await store.readStream('account-1')).map((event) => event.streamPosition)).toEqual([0]);
    expect(await store.readStream('account-2')).toEqual([]);
    client.readStream.mockImplementationOnce(() => tombstoned('account-3'));
    expect(await store.readStream('account-3')).toEqual([]);
  });
});
