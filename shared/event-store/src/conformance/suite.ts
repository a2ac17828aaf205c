import { compareGlobalPositions, ErrorCode, isArrearsError, type EventEnvelope, type GlobalPosition } from '@arrears/contracts';
import { eventually, newEvent, newEvents, rejection, uniqueCategory, uniqueStream } from '@arrears/testing';
import type { EventStore, Subscription } from '../port';
import { describeConcurrencyProperty } from './concurrency-property';

export interface ConformanceSubject {
  readonly store: EventStore;
  /** Removes whatever the test wrote and closes the store. */
  teardown(): Promise<void>;
}

export interface AdapterUnderTest {
  readonly name: string;
  /** A store for one test. It may share a global log with other traffic: the suite only asserts on its own streams. */
  create(): Promise<ConformanceSubject>;
  /** How many generated races the concurrency property runs (each is a burst of real appends). */
  readonly propertyRuns?: number;
  /**
   * False for a store that cannot see an event id used in another stream (EventStoreDB keeps ids per stream):
   * there, only a reuse within the same stream is refused. See docs/event-store.md.
   */
  readonly refusesIdsReusedAcrossStreams?: boolean;
}

async function expectError(promise: Promise<unknown>, code: string, field?: string): Promise<void> {
  const error = await rejection(promise);
  expect(isArrearsError(error) ? { code: error.code, field: field === undefined ? undefined : error.field } : error).toEqual({ code, field });
}

/**
 * The global log as soon as it shows `count` events. A store may show an event a little after its append returned
 * (PostgreSQL's shows nothing past the oldest transaction still running anywhere on the server, so a test suite
 * running beside this one delays it): late is allowed, wrong is not — the caller then checks exactly what it got.
 */
function visible(read: () => Promise<EventEnvelope[]>, count: number): Promise<EventEnvelope[]> {
  return eventually(async () => {
    const events = await read();
    expect(events.length).toBeGreaterThanOrEqual(count);
    return events;
  });
}

function payload(events: readonly EventEnvelope[]) {
  return events.map((event) => ({ id: event.eventId, position: event.streamPosition, data: event.data }));
}

/**
 * The one feature suite every event store adapter must pass. It states the port's guarantees as tests, so an
 * adapter that passes can stand in for any other.
 */
export function describeEventStoreConformance(adapter: AdapterUnderTest): void {
  describe(`${adapter.name} event store conformance`, () => {
    let subject: ConformanceSubject;
    let store: EventStore;
    const subscriptions: Subscription[] = [];

    beforeEach(async () => {
      subject = await adapter.create();
      store = subject.store;
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
      await subject.teardown();
    });

    function collect(events: EventEnvelope[]) {
      return (event: EventEnvelope) => {
        events.push(event);
      };
    }

    describe('append and read a stream', () => {
      it('appends to a new stream and reads back exactly what was written, with positions and times', async () => {
        const streamId = uniqueStream();
        const written = [newEvent('DebtPlaced', { amount: { minor: 125_00, currency: 'EUR' } }), newEvent('DebtAged', { days: 31 })];
        const result = await store.appendToStream(streamId, written, { expectedVersion: 'no_stream' });
        expect(result.nextExpectedVersion).toBe(1);

        const read = await store.readStream(streamId);
        expect(read).toHaveLength(2);
        read.forEach((event, index) => {
          const original = written[index]!;
          expect(event).toMatchObject({
            eventId: original.eventId,
            type: original.type,
            schemaVersion: 1,
            streamId,
            streamPosition: index,
            occurredAt: original.occurredAt,
            data: original.data,
            metadata: original.metadata,
          });
          expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
        });
        expect(compareGlobalPositions(read[0]!.globalPosition, read[1]!.globalPosition)).toBe(-1);
        expect(result.position).toBe(read[1]!.globalPosition);
      });

      it('normalises occurredAt to UTC with milliseconds', async () => {
        const streamId = uniqueStream();
        await store.appendToStream(streamId, [{ ...newEvent(), occurredAt: '2026-03-01T08:15:00+02:00' }], { expectedVersion: 'any' });
        const [event] = await store.readStream(streamId);
        expect(event?.occurredAt).toBe('2026-03-01T06:15:00.000Z');
      });

      it('continues a stream at the expected version and refuses a stale one, writing nothing', async () => {
        const streamId = uniqueStream();
        await store.appendToStream(streamId, newEvents(2), { expectedVersion: 'no_stream' });
        const next = await store.appendToStream(streamId, newEvents(1), { expectedVersion: 1 });
        expect(next.nextExpectedVersion).toBe(2);

        const error = await rejection(store.appendToStream(streamId, newEvents(1), { expectedVersion: 1 }));
        expect(isArrearsError(error, ErrorCode.CONCURRENCY_CONFLICT)).toBe(true);
        expect((error as { details: unknown }).details).toMatchObject({ streamId, expectedVersion: 1, actualVersion: 2 });
        expect((error as { field: unknown }).field).toBe('expectedVersion');
        expect(await store.readStream(streamId)).toHaveLength(3);
      });

      it('checks no_stream, stream_exists and any', async () => {
        const streamId = uniqueStream();
        await expectError(store.appendToStream(streamId, newEvents(1), { expectedVersion: 'stream_exists' }), ErrorCode.CONCURRENCY_CONFLICT);
        await expectError(store.appendToStream(streamId, newEvents(1), { expectedVersion: 0 }), ErrorCode.CONCURRENCY_CONFLICT);
        expect(await store.readStream(streamId)).toEqual([]);

        await store.appendToStream(streamId, newEvents(1), { expectedVersion: 'no_stream' });
        await expectError(store.appendToStream(streamId, newEvents(1), { expectedVersion: 'no_stream' }), ErrorCode.CONCURRENCY_CONFLICT);
        expect((await store.appendToStream(streamId, newEvents(1), { expectedVersion: 'stream_exists' })).nextExpectedVersion).toBe(1);
        expect((await store.appendToStream(streamId, newEvents(2), { expectedVersion: 'any' })).nextExpectedVersion).toBe(3);
        expect((await store.appendToStream(uniqueStream(), newEvents(1), { expectedVersion: 'any' })).nextExpectedVersion).toBe(0);
      });
    });

    describe('idempotent retries', () => {
      it('appending the same batch again writes nothing and returns the original result', async () => {
        const streamId = uniqueStream();
        const batch = newEvents(3);
        const first = await store.appendToStream(streamId, batch, { expectedVersion: 'no_stream' });
        const again = await store.appendToStream(streamId, batch, { expectedVersion: 'no_stream' });
        expect(again).toEqual(first);
        expect(await store.appendToStream(streamId, batch, { expectedVersion: 'any' })).toEqual(first);
        expect(await store.readStream(streamId)).toHaveLength(3);
      });

      it('a retry of an older batch still returns its own result after the stream moved on', async () => {
        const streamId = uniqueStream();
        const older = newEvents(2);
        const first = await store.appendToStream(streamId, older, { expectedVersion: 'no_stream' });
        await store.appendToStream(streamId, newEvents(2), { expectedVersion: 1 });
        expect(await store.appendToStream(streamId, older, { expectedVersion: 'no_stream' })).toEqual(first);
        expect(await store.appendToStream(streamId, older, { expectedVersion: 'any' })).toEqual(first);
        expect(await store.readStream(streamId)).toHaveLength(4);
      });

      it('refuses ids already used in another stream or as part of a different batch', async () => {
        const streamId = uniqueStream();
        const batch = newEvents(2);
        await store.appendToStream(streamId, batch, { expectedVersion: 'no_stream' });

        if (adapter.refusesIdsReusedAcrossStreams ?? true) {
          await expectError(store.appendToStream(uniqueStream(), batch, { expectedVersion: 'any' }), ErrorCode.IDEMPOTENCY_CONFLICT, 'events');
        }
        await expectError(
          store.appendToStream(streamId, [batch[0]!, newEvent()], { expectedVersion: 'any' }),
          ErrorCode.IDEMPOTENCY_CONFLICT,
          'events',
        );
        expect(await store.readStream(streamId)).toHaveLength(2);
      });
    });

    describe('bad input is refused with the field named and nothing written', () => {
      it.each([
        ['an empty batch', 'events', () => []],
        ['a bad event id', 'events[0].eventId', () => [{ ...newEvent(), eventId: 'not-a-uuid' }]],
        ['a bad event type', 'events[0].type', () => [{ ...newEvent(), type: 'lower case' }]],
        ['a bad time', 'events[1].occurredAt', () => [newEvent(), { ...newEvent(), occurredAt: 'yesterday' }]],
        ['a missing actor', 'events[0].metadata.actorId', () => [{ ...newEvent(), metadata: { ...newEvent().metadata, actorId: '' } }]],
        [
          'one id twice',
          'events[1].eventId',
          () => {
            const event = newEvent();
            return [event, { ...event }];
          },
        ],
      ])('%s', async (_, field, events) => {
        const streamId = uniqueStream();
        await expectError(store.appendToStream(streamId, events() as never, { expectedVersion: 'any' }), ErrorCode.VALIDATION_FAILED, field);
        expect(await store.readStream(streamId)).toEqual([]);
      });

      it('a bad stream id or expected version', async () => {
        await expectError(store.appendToStream('NoCategory', newEvents(1), { expectedVersion: 'any' }), ErrorCode.VALIDATION_FAILED, 'streamId');
        await expectError(store.appendToStream(uniqueStream(), newEvents(1), { expectedVersion: -1 }), ErrorCode.VALIDATION_FAILED, 'expectedVersion');
      });
    });

    describe('reading', () => {
      it('reads a stream forwards and backwards from a position, up to a count', async () => {
        const streamId = uniqueStream();
        const written = newEvents(6);
        await store.appendToStream(streamId, written, { expectedVersion: 'no_stream' });

        const positions = (events: EventEnvelope[]) => events.map((event) => event.streamPosition);
        expect(positions(await store.readStream(streamId, { from: 2, maxCount: 3 }))).toEqual([2, 3, 4]);
        expect(positions(await store.readStream(streamId, { direction: 'backwards' }))).toEqual([5, 4, 3, 2, 1, 0]);
        expect(positions(await store.readStream(streamId, { direction: 'backwards', from: 3, maxCount: 2 }))).toEqual([3, 2]);
        expect(positions(await store.readStream(streamId, { direction: 'backwards', from: 'end', maxCount: 1 }))).toEqual([5]);
        expect(positions(await store.readStream(streamId, { from: 6 }))).toEqual([]);
        expect(await store.readStream(uniqueStream())).toEqual([]);
      });

      it('reads the global log in commit order, after a checkpoint, by category', async () => {
        const category = uniqueCategory();
        const a = uniqueStream(category);
        const b = uniqueStream(category);
        const other = uniqueStream();
        await store.appendToStream(a, newEvents(2), { expectedVersion: 'no_stream' });
        await store.appendToStream(other, newEvents(1), { expectedVersion: 'no_stream' });
        await store.appendToStream(b, newEvents(2), { expectedVersion: 'no_stream' });
        await store.appendToStream(a, newEvents(1), { expectedVersion: 1 });

        const ours = new Set([a, b, other]);
        const all = await visible(async () => (await store.readAll()).filter((event) => ours.has(event.streamId)), 6);
        expect(all.map((event) => `${event.streamId === a ? 'a' : event.streamId === b ? 'b' : 'o'}${event.streamPosition}`)).toEqual([
          'a0',
          'a1',
          'o0',
          'b0',
          'b1',
          'a2',
        ]);
        for (let i = 1; i < all.length; i += 1) {
          expect(compareGlobalPositions(all[i - 1]!.globalPosition, all[i]!.globalPosition)).toBe(-1);
        }

        const inCategory = await visible(() => store.readAll({ category }), 5);
        expect(inCategory.map((event) => event.eventId)).toEqual(all.filter((event) => event.streamId !== other).map((event) => event.eventId));

        const afterSecond = await store.readAll({ category, after: inCategory[1]!.globalPosition, maxCount: 2 });
        expect(afterSecond.map((event) => event.eventId)).toEqual(inCategory.slice(2, 4).map((event) => event.eventId));
        expect(await store.readAll({ category, after: inCategory[4]!.globalPosition })).toEqual([]);
      });
    });

    describe('subscriptions', () => {
      it('catches up on the global log, then delivers new events live, in order', async () => {
        const category = uniqueCategory();
        const history = newEvents(3);
        const streamId = uniqueStream(category);
        await store.appendToStream(streamId, history, { expectedVersion: 'no_stream' });

        const seen: EventEnvelope[] = [];
        let caughtUp = 0;
        subscriptions.push(store.subscribe({ kind: 'all' }, { from: 'start', handler: collect(seen), onCaughtUp: () => (caughtUp += 1) }));
        const ours = () => seen.filter((event) => event.streamId.startsWith(`${category}-`));
        await eventually(() => expect(ours()).toHaveLength(3));
        await eventually(() => expect(caughtUp).toBeGreaterThan(0));

        const live = newEvents(2);
        await store.appendToStream(streamId, live, { expectedVersion: 2 });
        await eventually(() => expect(payload(ours())).toEqual(payload([...history, ...live].map((event, position) => ({ ...event, streamPosition: position }) as EventEnvelope))));
      });

      it('a category subscription sees only its category; a stream subscription only its stream', async () => {
        const category = uniqueCategory();
        const first = uniqueStream(category);
        const second = uniqueStream(category);
        const elsewhere = uniqueStream();
        const byCategory: EventEnvelope[] = [];
        const byStream: EventEnvelope[] = [];
        subscriptions.push(store.subscribe({ kind: 'category', category }, { from: 'start', handler: collect(byCategory) }));
        subscriptions.push(store.subscribe({ kind: 'stream', streamId: second }, { from: 'start', handler: collect(byStream) }));

        await store.appendToStream(first, newEvents(2), { expectedVersion: 'no_stream' });
        await store.appendToStream(elsewhere, newEvents(2), { expectedVersion: 'no_stream' });
        await store.appendToStream(second, newEvents(3), { expectedVersion: 'no_stream' });

        await eventually(() => expect(byCategory.map((event) => event.streamId)).toEqual([first, first, second, second, second]));
        await eventually(() => expect(byStream.map((event) => event.streamPosition)).toEqual([0, 1, 2]));
      });

      it('resumes strictly after a checkpoint, and from the end delivers only new events', async () => {
        const category = uniqueCategory();
        const streamId = uniqueStream(category);
        await store.appendToStream(streamId, newEvents(4), { expectedVersion: 'no_stream' });
        const existing = await visible(() => store.readAll({ category }), 4);

        const resumed: EventEnvelope[] = [];
        const fromStream: EventEnvelope[] = [];
        const fromEnd: EventEnvelope[] = [];
        let endCaughtUp = false;
        subscriptions.push(store.subscribe({ kind: 'category', category }, { from: { after: existing[1]!.globalPosition }, handler: collect(resumed) }));
        subscriptions.push(store.subscribe({ kind: 'stream', streamId }, { from: { afterStreamPosition: 2 }, handler: collect(fromStream) }));
        subscriptions.push(
          store.subscribe({ kind: 'category', category }, { from: 'end', handler: collect(fromEnd), onCaughtUp: () => (endCaughtUp = true) }),
        );
        await eventually(() => expect(endCaughtUp).toBe(true));
        await store.appendToStream(streamId, newEvents(1), { expectedVersion: 3 });

        await eventually(() => expect(resumed.map((event) => event.streamPosition)).toEqual([2, 3, 4]));
        await eventually(() => expect(fromStream.map((event) => event.streamPosition)).toEqual([3, 4]));
        await eventually(() => expect(fromEnd.map((event) => event.streamPosition)).toEqual([4]));
      });

      it('stops delivering after stop(), keeps its checkpoint, and ends with the handler error', async () => {
        const category = uniqueCategory();
        const streamId = uniqueStream(category);
        await store.appendToStream(streamId, newEvents(2), { expectedVersion: 'no_stream' });

        const seen: EventEnvelope[] = [];
        const subscription = store.subscribe({ kind: 'category', category }, { from: 'start', handler: collect(seen) });
        await eventually(() => expect(seen).toHaveLength(2));
        await subscription.stop();
        await expect(subscription.done).resolves.toBeUndefined();
        expect(subscription.checkpoint).toBe(seen[1]!.globalPosition);
        await store.appendToStream(streamId, newEvents(1), { expectedVersion: 1 });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(seen).toHaveLength(2);

        const failing = store.subscribe(
          { kind: 'category', category },
          {
            from: { after: subscription.checkpoint as GlobalPosition },
            handler: () => {
              throw new Error('projection failed');
            },
          },
        );
        await expect(failing.done).rejects.toThrow('projection failed');
        expect(failing.checkpoint).toBe(subscription.checkpoint);
      });

      it('waits for each handler before delivering the next event', async () => {
        const category = uniqueCategory();
        await store.appendToStream(uniqueStream(category), newEvents(5), { expectedVersion: 'no_stream' });
        let running = 0;
        let overlapped = false;
        const order: number[] = [];
        subscriptions.push(
          store.subscribe(
            { kind: 'category', category },
            {
              from: 'start',
              handler: async (event) => {
                running += 1;
                overlapped ||= running > 1;
                await new Promise((resolve) => setTimeout(resolve, 5));
                order.push(event.streamPosition);
                running -= 1;
              },
            },
          ),
        );
        await eventually(() => expect(order).toEqual([0, 1, 2, 3, 4]));
        expect(overlapped).toBe(false);
      });
    });

    describe('optimistic concurrency', () => {
      describeConcurrencyProperty(adapter.name, () => store, adapter.propertyRuns ?? 25);
    });

    describe('deleting and truncating', () => {
      it('a deleted stream reads empty, leaves the global log, and is recreated with positions never reused', async () => {
        const category = uniqueCategory();
        const streamId = uniqueStream(category);
        await store.appendToStream(streamId, newEvents(3), { expectedVersion: 'no_stream' });
        await expectError(store.deleteStream(streamId, { expectedVersion: 1 }), ErrorCode.CONCURRENCY_CONFLICT);
        await store.deleteStream(streamId, { expectedVersion: 2 });

        expect(await store.readStream(streamId)).toEqual([]);
        expect(await store.readAll({ category })).toEqual([]);
        const recreated = await store.appendToStream(streamId, newEvents(1), { expectedVersion: 'no_stream' });
        expect(recreated.nextExpectedVersion).toBe(3);
        expect((await store.readStream(streamId)).map((event) => event.streamPosition)).toEqual([3]);
      });

      it('truncating removes the events before a position and keeps the rest in place', async () => {
        const category = uniqueCategory();
        const streamId = uniqueStream(category);
        await store.appendToStream(streamId, newEvents(5), { expectedVersion: 'no_stream' });
        await store.truncateStream(streamId, 3);

        expect((await store.readStream(streamId)).map((event) => event.streamPosition)).toEqual([3, 4]);
        expect((await visible(() => store.readAll({ category }), 2)).map((event) => event.streamPosition)).toEqual([3, 4]);
        expect((await store.appendToStream(streamId, newEvents(1), { expectedVersion: 4 })).nextExpectedVersion).toBe(5);
      });
    });
  });
}
