import { randomUUID } from 'node:crypto';
import { ArrearsError, ErrorCode, EventCatalog, defineEvent, isArrearsError, type CommandEnvelope } from '@arrears/contracts';
import { rejection } from '@arrears/testing';
import { z } from 'zod';
import { InMemoryEventStore } from '../memory/memory-event-store';
import type { EventStore } from '../port';
import { commandEventId, uuidV5 } from './event-ids';
import { handleCommand, type CommandHandling } from './handle-command';

// A tiny aggregate, just enough to exercise the runtime: a promise that is recorded, then kept or broken.
type PromiseEvent =
  | { readonly type: 'PromiseRecorded'; readonly data: { readonly amount: number } }
  | { readonly type: 'PromiseBroken'; readonly data: Record<string, never> };
type PromiseState = { readonly status: 'none' } | { readonly status: 'open'; readonly amount: number } | { readonly status: 'broken' };
type PromiseCommand = CommandEnvelope<'RecordPromise', { amount: number }> | CommandEnvelope<'BreakPromise', Record<string, never>>;

const initialState = (): PromiseState => ({ status: 'none' });

function evolve(state: PromiseState, event: PromiseEvent): PromiseState {
  switch (event.type) {
    case 'PromiseRecorded':
      return { status: 'open', amount: event.data.amount };
    case 'PromiseBroken':
      return { status: 'broken' };
  }
}

function decide(command: PromiseCommand, state: PromiseState): PromiseEvent[] {
  switch (command.type) {
    case 'RecordPromise':
      if (state.status !== 'none') throw new ArrearsError(ErrorCode.VALIDATION_FAILED, 'A promise is already recorded', { field: 'type' });
      return [{ type: 'PromiseRecorded', data: { amount: command.data.amount } }];
    case 'BreakPromise':
      if (state.status === 'none') throw new ArrearsError(ErrorCode.NOT_FOUND, 'No promise to break');
      return state.status === 'broken' ? [] : [{ type: 'PromiseBroken', data: {} }];
  }
}

function command<T extends PromiseCommand['type']>(type: T, data: Extract<PromiseCommand, { type: T }>['data'], now = '2026-11-29T09:30:00.000Z'): PromiseCommand {
  return {
    commandId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: { correlationId: randomUUID(), caseId: randomUUID(), actorId: 'collector-7', actorRole: 'collector', now },
  } as PromiseCommand;
}

describe('handleCommand: load → decide → append', () => {
  let store: InMemoryEventStore;
  let streamId: string;
  const handling = (over: Partial<CommandHandling<PromiseState, PromiseEvent, PromiseCommand>> = {}): CommandHandling<PromiseState, PromiseEvent, PromiseCommand> => ({
    store,
    streamId,
    initialState,
    evolve,
    decide,
    ...over,
  });

  beforeEach(() => {
    store = new InMemoryEventStore();
    streamId = `promise-${randomUUID()}`;
  });

  it('appends what decide returns, stamped with the command', async () => {
    const record = command('RecordPromise', { amount: 5000 });
    const outcome = await handleCommand(handling(), record);

    expect(outcome).toEqual({
      streamId,
      repeated: false,
      events: [{ eventId: commandEventId(record.commandId, streamId, 0), type: 'PromiseRecorded', schemaVersion: 1, streamPosition: 0, data: { amount: 5000 } }],
    });
    const [stored] = await store.readStream(streamId);
    expect(stored?.occurredAt).toBe(record.metadata.now);
    expect(stored?.metadata).toEqual({
      commandId: record.commandId,
      correlationId: record.metadata.correlationId,
      causationId: record.commandId,
      caseId: record.metadata.caseId,
      actorId: 'collector-7',
      actorRole: 'collector',
    });
  });

  it('folds the history before deciding, and an empty decision writes nothing', async () => {
    await handleCommand(handling(), command('RecordPromise', { amount: 100 }));
    const broken = await handleCommand(handling(), command('BreakPromise', {}));
    expect(broken.events.map((event) => [event.type, event.streamPosition])).toEqual([['PromiseBroken', 1]]);

    const again = await handleCommand(handling(), command('BreakPromise', {}));
    expect(again).toEqual({ streamId, events: [], repeated: false });
    expect(await store.readStream(streamId)).toHaveLength(2);
  });

  it('a refusal is the domain error, and nothing is written', async () => {
    const error = await rejection(handleCommand(handling(), command('BreakPromise', {})));
    expect(isArrearsError(error, ErrorCode.NOT_FOUND)).toBe(true);
    expect(await store.readStream(streamId)).toEqual([]);
  });

  it('the same command id again returns the first outcome without deciding, even after the state moved on', async () => {
    const record = command('RecordPromise', { amount: 700 });
    const first = await handleCommand(handling(), record);
    await handleCommand(handling(), command('BreakPromise', {}));

    const decideCalls: unknown[] = [];
    const retried = await handleCommand(handling({ decide: (...args) => (decideCalls.push(args), decide(...args)) }), record);

    expect(retried).toEqual({ ...first, repeated: true });
    expect(decideCalls).toEqual([]);
    expect(await store.readStream(streamId)).toHaveLength(2);
  });

  it('two concurrent runs of one command write its events once', async () => {
    const record = command('RecordPromise', { amount: 42 });
    const outcomes = await Promise.all([handleCommand(handling(), record), handleCommand(handling(), record)]);

    expect(outcomes[0]?.events).toEqual(outcomes[1]?.events);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('decides again on a concurrency conflict, against the state the other writer left', async () => {
    await handleCommand(handling(), command('RecordPromise', { amount: 1 }));
    // Another writer breaks the promise between this handler's read and its append, once.
    const racing = interleave(store, async () => {
      await handleCommand(handling(), command('BreakPromise', {}));
    });
    const states: PromiseState[] = [];
    const outcome = await handleCommand(
      handling({ store: racing, decide: (cmd, state) => (states.push(state), decide(cmd, state)) }),
      command('BreakPromise', {}),
    );

    expect(states.map((state) => state.status)).toEqual(['open', 'broken']);
    expect(outcome.events).toEqual([]);
    expect(await store.readStream(streamId)).toHaveLength(2);
  });

  it('gives up after a bounded number of conflicts with CONCURRENCY_CONFLICT', async () => {
    let appends = 0;
    const alwaysBehind = withAppend(store, async () => {
      appends += 1;
      throw new ArrearsError(ErrorCode.CONCURRENCY_CONFLICT, 'someone else wrote first');
    });
    const error = await rejection(handleCommand(handling({ store: alwaysBehind, maxAttempts: 4 }), command('RecordPromise', { amount: 1 })));
    expect(isArrearsError(error, ErrorCode.CONCURRENCY_CONFLICT)).toBe(true);
    expect(appends).toBe(4);
  });

  it('with a catalog, stored events are upcast before evolve and new ones get the current version', async () => {
    const recordedV2 = defineEvent({
      service: 'promises-to-pay',
      type: 'PromiseRecorded',
      version: 2,
      description: 'test',
      schema: z.object({ amount: z.number().int() }).strict(),
      past: [{ version: 1, schema: z.object({ cents: z.number().int() }).strict(), upcast: ({ cents }) => ({ amount: cents }) }],
    });
    const brokenV1 = defineEvent({ service: 'promises-to-pay', type: 'PromiseBroken', version: 1, description: 'test', schema: z.object({}).strict() });
    const catalog = new EventCatalog([recordedV2, brokenV1]);
    const id = randomUUID();
    const metadata = { commandId: id, correlationId: id, causationId: id, actorId: 'collector-7', actorRole: 'collector' as const };
    const v1 = { eventId: randomUUID(), type: 'PromiseRecorded', schemaVersion: 1, occurredAt: '2025-01-01T00:00:00.000Z', data: { cents: 300 }, metadata };
    await store.appendToStream(streamId, [v1], { expectedVersion: 'no_stream' });
    const states: PromiseState[] = [];
    const outcome = await handleCommand(
      handling({ events: catalog, decide: (cmd, state) => (states.push(state), decide(cmd, state)) }),
      command('BreakPromise', {}),
    );
    expect(states).toEqual([{ status: 'open', amount: 300 }]);
    expect(outcome.events[0]).toMatchObject({ type: 'PromiseBroken', schemaVersion: 1 });
  });
});

describe('derived event ids', () => {
  it('are RFC 9562 version 5 UUIDs', () => {
    // The RFC's own example: the DNS namespace and "www.example.com".
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('differ by command, stream and index, and repeat for the same inputs', () => {
    const commandId = randomUUID();
    const ids = [commandEventId(commandId, 'promise-1', 0), commandEventId(commandId, 'promise-1', 1), commandEventId(commandId, 'promise-2', 0), commandEventId(randomUUID(), 'promise-1', 0)];
    expect(new Set(ids).size).toBe(4);
    expect(commandEventId(commandId, 'promise-1', 0)).toBe(ids[0]);
  });
});

/** A store that runs `meanwhile` once, after the handler's first read and before its append. */
function interleave(store: EventStore, meanwhile: () => Promise<void>): EventStore {
  let pending = true;
  return withAppend(store, async (...args) => {
    if (pending) {
      pending = false;
      await meanwhile();
    }
    return store.appendToStream(...args);
  });
}

function withAppend(store: EventStore, appendToStream: EventStore['appendToStream']): EventStore {
  return {
    appendToStream,
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    subscribe: (...args) => store.subscribe(...args),
    deleteStream: (...args) => store.deleteStream(...args),
    truncateStream: (...args) => store.truncateStream(...args),
    close: () => store.close(),
  };
}
