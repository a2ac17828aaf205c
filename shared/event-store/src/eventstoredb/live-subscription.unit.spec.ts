import { Transform } from 'node:stream';
import { ArrearsError, ErrorCode, globalPosition, isArrearsError, type EventEnvelope } from '@arrears/contracts';
import { eventually } from '@arrears/testing';
import { UnavailableError } from '@eventstore/db-client';
import { liveSubscription, type ClientSubscription, type LiveSource } from './live-subscription';
import { mapError } from './mapping';

type Message = { readonly event: EventEnvelope } | { readonly caughtUp: true } | { readonly skip: true };

/**
 * Stands in for the client's catch-up subscription: like `@eventstore/db-client`'s `Subscription`, a Transform in
 * object mode that pushes each event message and emits `caughtUp` when that message passes through it.
 */
class ScriptedSubscription extends Transform implements ClientSubscription {
  readonly unsubscribe = jest.fn(async () => undefined);

  constructor() {
    super({ objectMode: true });
  }

  override _transform(message: Message, _encoding: string, next: (error?: Error | null, data?: unknown) => void): void {
    if ('caughtUp' in message) {
      this.emit('caughtUp');
      return next();
    }
    next(null, message);
  }

  /** Messages arrive from the network later, never while the caller is still setting the subscription up. */
  send(...messages: Message[]): this {
    setImmediate(() => messages.forEach((message) => this.write(message)));
    return this;
  }
}

function event(position: number): EventEnvelope {
  return {
    eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    type: 'SomethingHappened',
    schemaVersion: 1,
    streamId: 'account-1',
    streamPosition: position,
    globalPosition: globalPosition(100 + position, 100 + position),
    occurredAt: '2026-11-29T09:30:00.000Z',
    recordedAt: '2026-11-29T09:30:01.000Z',
    data: { position },
    metadata: {
      commandId: '2b7c8a3e-4f1d-4e0a-8c2b-1a2b3c4d5e6f',
      correlationId: '2b7c8a3e-4f1d-4e0a-8c2b-1a2b3c4d5e6f',
      causationId: '2b7c8a3e-4f1d-4e0a-8c2b-1a2b3c4d5e6f',
      actorId: 'collector-7',
      actorRole: 'collector',
    },
  };
}

const e = (position: number): Message => ({ event: event(position) });
const caughtUp: Message = { caughtUp: true };

/** A source whose subscriptions are handed out in order; checkpoints are stream positions. */
function source(subscriptions: ScriptedSubscription[], end: () => Promise<number | undefined> = async () => undefined) {
  const opened: (number | undefined)[] = [];
  const live: LiveSource<number> = {
    open: (after) => {
      opened.push(after);
      const next = subscriptions.shift();
      if (next === undefined) throw new Error('the test opened more subscriptions than it scripted');
      return next;
    },
    envelope: async (delivered) => ('event' in (delivered as Message) ? (delivered as { event: EventEnvelope }).event : undefined),
    end,
    checkpointOf: (delivered) => delivered.streamPosition,
    isAfter: (delivered, checkpoint) => checkpoint === undefined || delivered.streamPosition > checkpoint,
    failure: (error) => mapError(error, { streamId: 'account-1' }),
  };
  return { live, opened };
}

const unavailableFromServer = () => new UnavailableError(Object.assign(new Error('14 UNAVAILABLE: Connection dropped'), { code: 14, details: 'Connection dropped' }) as never);

describe('a live subscription over the client', () => {
  it('hands over one event at a time in order, and signals caught up only after what came before it was handled', async () => {
    const first = new ScriptedSubscription().send(e(0), e(1), e(2), caughtUp);
    const { live } = source([first]);
    const log: string[] = [];
    let running = 0;
    let overlapped = false;
    const subscription = liveSubscription(
      live,
      undefined,
      {
        from: 'start',
        handler: async (delivered) => {
          running += 1;
          overlapped ||= running > 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
          log.push(`event ${delivered.streamPosition}`);
          running -= 1;
        },
        onCaughtUp: () => log.push('caught up'),
      },
      { maxRetryDelayMs: 10 },
    );
    await eventually(() => expect(log).toEqual(['event 0', 'event 1', 'event 2', 'caught up']));
    first.send(e(3));
    await eventually(() => expect(log).toEqual(['event 0', 'event 1', 'event 2', 'caught up', 'event 3']));
    expect(overlapped).toBe(false);
    expect(subscription.checkpoint).toBe(3);
    await subscription.stop();
    expect(first.unsubscribe).toHaveBeenCalled();
  });

  it('counts what it does not show when placing caught up', async () => {
    const first = new ScriptedSubscription().send(e(0), { skip: true }, caughtUp, e(1));
    const log: string[] = [];
    const subscription = liveSubscription(
      source([first]).live,
      undefined,
      { from: 'start', handler: (delivered) => void log.push(`event ${delivered.streamPosition}`), onCaughtUp: () => log.push('caught up') },
      { maxRetryDelayMs: 10 },
    );
    await eventually(() => expect(log).toEqual(['event 0', 'caught up', 'event 1']));
    await subscription.stop();
  });

  it('resubscribes from its checkpoint after a drop, skipping the event at the checkpoint if it comes again', async () => {
    const first = new ScriptedSubscription().send(e(0), e(1));
    const second = new ScriptedSubscription().send(e(1), e(2));
    const { live, opened } = source([first, second]);
    const seen: number[] = [];
    const retries: [string, number][] = [];
    const subscription = liveSubscription(
      live,
      undefined,
      {
        from: 'start',
        handler: (delivered) => void seen.push(delivered.streamPosition),
        onRetry: (error, attempt) => retries.push([isArrearsError(error) ? error.code : String(error), attempt]),
      },
      { maxRetryDelayMs: 10 },
    );
    await eventually(() => expect(seen).toEqual([0, 1]));
    first.emit('error', unavailableFromServer());
    await eventually(() => expect(seen).toEqual([0, 1, 2]));
    expect(opened).toEqual([undefined, 1]);
    expect(retries).toEqual([[ErrorCode.UNAVAILABLE, 1]]);
    expect(first.unsubscribe).toHaveBeenCalled();
    await subscription.stop();
  });

  it('treats the server ending the call as a drop and resubscribes', async () => {
    const first = new ScriptedSubscription().send(e(0));
    const second = new ScriptedSubscription().send(e(1));
    const { live, opened } = source([first, second]);
    const seen: number[] = [];
    let retried = 0;
    const subscription = liveSubscription(
      live,
      undefined,
      { from: 'start', handler: (delivered) => void seen.push(delivered.streamPosition), onRetry: () => (retried += 1) },
      { maxRetryDelayMs: 10 },
    );
    await eventually(() => expect(seen).toEqual([0]));
    first.end();
    await eventually(() => expect(seen).toEqual([0, 1]));
    expect(opened).toEqual([undefined, 0]);
    expect(retried).toBe(1);
    await subscription.stop();
  });

  it('ends with the handler error, keeping the checkpoint of the last event handled, without retrying', async () => {
    const first = new ScriptedSubscription().send(e(4), e(5), e(6));
    const onRetry = jest.fn();
    const subscription = liveSubscription(
      source([first]).live,
      3,
      {
        from: { afterStreamPosition: 3 },
        handler: (delivered) => {
          // Even an UNAVAILABLE from the handler's own database ends the subscription: only the store's is retried.
          if (delivered.streamPosition === 5) throw new ArrearsError(ErrorCode.UNAVAILABLE, 'projection failed: its database is down');
        },
        onRetry,
      },
      { maxRetryDelayMs: 10 },
    );
    await expect(subscription.done).rejects.toThrow('projection failed');
    expect(subscription.checkpoint).toBe(4);
    expect(onRetry).not.toHaveBeenCalled();
    expect(first.unsubscribe).toHaveBeenCalled();
  });

  it('ends with an error the store raises that retrying cannot fix', async () => {
    const first = new ScriptedSubscription();
    const onRetry = jest.fn();
    const subscription = liveSubscription(source([first]).live, undefined, { from: 'start', handler: () => undefined, onRetry }, { maxRetryDelayMs: 10 });
    const denied = new Error('Access denied');
    first.emit('error', denied);
    await expect(subscription.done).rejects.toBe(denied);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('stops: waits for the running handler, then delivers nothing more and resolves done', async () => {
    const first = new ScriptedSubscription().send(e(0));
    let release: () => void = () => undefined;
    const seen: number[] = [];
    const subscription = liveSubscription(
      source([first]).live,
      undefined,
      {
        from: 'start',
        handler: async (delivered) => {
          seen.push(delivered.streamPosition);
          await new Promise<void>((resolve) => (release = resolve));
        },
      },
      { maxRetryDelayMs: 10 },
    );
    await eventually(() => expect(seen).toEqual([0]));
    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    first.send(e(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    await expect(subscription.done).resolves.toBeUndefined();
    expect(seen).toEqual([0]);
    expect(subscription.checkpoint).toBe(0);
    expect(first.unsubscribe).toHaveBeenCalled();
  });

  it("from 'end' pins the current end first (retrying while the store is unreachable) and subscribes after it", async () => {
    const first = new ScriptedSubscription().send(e(8));
    let asked = 0;
    const { live, opened } = source([first], async () => {
      asked += 1;
      if (asked === 1) throw unavailableFromServer();
      return 7;
    });
    const seen: number[] = [];
    const retries: number[] = [];
    const subscription = liveSubscription(
      live,
      'end',
      { from: 'end', handler: (delivered) => void seen.push(delivered.streamPosition), onRetry: (_, attempt) => retries.push(attempt) },
      { maxRetryDelayMs: 10 },
    );
    await eventually(() => expect(seen).toEqual([8]));
    expect(opened).toEqual([7]);
    expect(retries).toEqual([1]);
    await subscription.stop();
  });
});
