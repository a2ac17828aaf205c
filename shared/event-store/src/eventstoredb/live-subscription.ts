import { ErrorCode, isArrearsError, type EventEnvelope } from '@arrears/contracts';
import { unavailable } from '../errors';
import { backoffMs, delay, retryWhileUnavailable, toSubscription } from '../subscription-lifecycle';
import type { SubscribeOptions, Subscription } from '../port';
import { STORE } from './mapping';

/** What the loop needs of the client's catch-up subscription (a paused-mode object stream). */
export interface ClientSubscription {
  read(): unknown;
  readonly readableLength: number;
  on(event: 'readable' | 'caughtUp' | 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  unsubscribe(): Promise<void>;
}

export interface LiveSource<Checkpoint> {
  /** The client's catch-up-then-live subscription from just after `checkpoint` (from the beginning when undefined). */
  open(checkpoint: Checkpoint | undefined): ClientSubscription;
  /** The envelope for what the client delivered, or undefined for what this target does not show. */
  envelope(delivered: unknown): Promise<EventEnvelope | undefined>;
  /** Where a subscription that starts at 'end' begins. */
  end(): Promise<Checkpoint | undefined>;
  checkpointOf(event: EventEnvelope): Checkpoint;
  /** Whether the event lies strictly after the checkpoint: a resubscription may hand back the event at it. */
  isAfter(event: EventEnvelope, checkpoint: Checkpoint | undefined): boolean;
  /** The port's error for what the client raised: UNAVAILABLE is retried, anything else ends the subscription. */
  failure(error: unknown): unknown;
}

export interface LiveTuning {
  readonly maxRetryDelayMs: number;
}

const CAUGHT_UP = Symbol('caught up');

class HandlerFailed {
  constructor(readonly error: unknown) {}
}

/**
 * Delivers a client subscription to the port's handler: one event at a time, the checkpoint moved only after the
 * handler returns. When the connection drops (or the server ends the call) it resubscribes from the checkpoint
 * with backoff, so an event is neither lost nor handed over twice. A handler error ends it.
 */
export function liveSubscription<Checkpoint>(
  source: LiveSource<Checkpoint>,
  start: Checkpoint | undefined | 'end',
  options: SubscribeOptions,
  tuning: LiveTuning,
): Subscription {
  const abort = new AbortController();
  let checkpoint: Checkpoint | undefined;

  async function run(): Promise<void> {
    // 'end' is pinned to a position first, so a resubscription after a drop cannot skip what was written meanwhile.
    checkpoint =
      start === 'end'
        ? await retryWhileUnavailable(() => source.end(), {
            signal: abort.signal,
            maxRetryDelayMs: tuning.maxRetryDelayMs,
            failure: (raised) => source.failure(raised),
            ...(options.onRetry ? { onRetry: options.onRetry } : {}),
          })
        : start;
    let attempt = 0;
    while (!abort.signal.aborted) {
      const subscription = source.open(checkpoint);
      try {
        await deliver(subscription, () => (attempt = 0));
        if (abort.signal.aborted) return;
        throw unavailable(STORE, new Error('the server ended the subscription'));
      } catch (raised) {
        if (raised instanceof HandlerFailed) throw raised.error;
        if (abort.signal.aborted) return;
        const error = source.failure(raised);
        if (!isArrearsError(error, ErrorCode.UNAVAILABLE)) throw error;
        attempt += 1;
        options.onRetry?.(error, attempt);
        await delay(backoffMs(attempt, tuning.maxRetryDelayMs), abort.signal);
      } finally {
        await subscription.unsubscribe().catch(() => undefined);
      }
    }
  }

  async function deliver(subscription: ClientSubscription, connected: () => void): Promise<void> {
    for await (const delivered of pull(subscription, abort.signal)) {
      connected();
      if (delivered === CAUGHT_UP) {
        options.onCaughtUp?.();
        continue;
      }
      const event = await source.envelope(delivered);
      if (abort.signal.aborted) return;
      if (event === undefined || !source.isAfter(event, checkpoint)) continue;
      try {
        await options.handler(event);
      } catch (error) {
        throw new HandlerFailed(error);
      }
      checkpoint = source.checkpointOf(event);
    }
  }

  return toSubscription(abort, run(), () => checkpoint);
}

/**
 * The subscription's events in order, with its "caught up" signal placed where it belongs among them. The client
 * emits `caughtUp` as the message arrives, while events before it may still wait in the stream's buffer: the
 * signal is held back until everything buffered before it has been taken. Reading with `read()` (not async
 * iteration) keeps that count exact, because nothing is taken out of the buffer between the count and the read.
 */
async function* pull(subscription: ClientSubscription, signal: AbortSignal): AsyncGenerator<unknown> {
  let taken = 0;
  let caughtUpAt: number | undefined;
  let failure: { error: unknown } | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  subscription.on('readable', notify);
  subscription.on('caughtUp', () => {
    caughtUpAt = taken + subscription.readableLength;
    notify();
  });
  subscription.on('error', (error) => {
    failure ??= { error };
    notify();
  });
  subscription.on('end', () => {
    ended = true;
    notify();
  });
  subscription.on('close', () => {
    ended = true;
    notify();
  });
  signal.addEventListener('abort', notify);
  try {
    while (!signal.aborted) {
      if (caughtUpAt !== undefined && taken >= caughtUpAt) {
        caughtUpAt = undefined;
        yield CAUGHT_UP;
        continue;
      }
      const item = subscription.read();
      if (item !== null) {
        taken += 1;
        yield item;
        continue;
      }
      if (failure !== undefined) throw failure.error;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal.removeEventListener('abort', notify);
  }
}

