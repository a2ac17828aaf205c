import { isArrearsError, ErrorCode, type EventEnvelope } from '@arrears/contracts';
import type { SubscribeOptions, Subscription } from './port';

export interface PollingSource<Checkpoint> {
  /** The next events strictly after `checkpoint` (undefined: from the beginning), in delivery order. */
  fetch(checkpoint: Checkpoint | undefined, maxCount: number): Promise<EventEnvelope[]>;
  /** Where a subscription that starts at 'end' begins. */
  end(): Promise<Checkpoint | undefined>;
  checkpointOf(event: EventEnvelope): Checkpoint;
  /** Resolves after `ms`, or earlier when the source knows something new may be there. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
}

export interface PollingTuning {
  readonly pageSize: number;
  readonly pollIntervalMs: number;
  readonly maxRetryDelayMs: number;
}

/**
 * Catch-up-then-live delivery over any source that can be read from a checkpoint: it reads a page, hands each
 * event to the handler in order, and moves the checkpoint only after the handler returns. An unreachable store
 * is retried with backoff from the checkpoint, so a dropped connection neither loses nor repeats an event.
 */
export function pollingSubscription<Checkpoint>(
  source: PollingSource<Checkpoint>,
  start: Checkpoint | undefined | 'end',
  options: SubscribeOptions,
  tuning: PollingTuning,
): Subscription {
  const abort = new AbortController();
  let checkpoint: Checkpoint | undefined;

  async function run(): Promise<void> {
    checkpoint = start === 'end' ? await withRetry(() => source.end()) : start;
    let caughtUp = false;
    while (!abort.signal.aborted) {
      const page = await withRetry(() => source.fetch(checkpoint, tuning.pageSize));
      for (const event of page) {
        if (abort.signal.aborted) return;
        await options.handler(event);
        checkpoint = source.checkpointOf(event);
      }
      if (page.length < tuning.pageSize) {
        if (!caughtUp) options.onCaughtUp?.();
        caughtUp = true;
        await source.wait(tuning.pollIntervalMs, abort.signal);
      } else {
        caughtUp = false;
      }
    }
  }

  async function withRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        if (!isArrearsError(error, ErrorCode.UNAVAILABLE) || abort.signal.aborted) throw error;
        options.onRetry?.(error, attempt);
        await delay(Math.min(tuning.maxRetryDelayMs, 50 * 2 ** Math.min(attempt, 10)), abort.signal);
      }
    }
  }

  const done = run().then(
    () => undefined,
    (error: unknown) => {
      if (abort.signal.aborted) return undefined;
      abort.abort();
      throw error;
    },
  );
  // `done` is for callers who care; an ignored failure must not crash the process as an unhandled rejection.
  done.catch(() => undefined);

  return {
    get checkpoint() {
      return checkpoint as never;
    },
    done,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
