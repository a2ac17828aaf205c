import { ErrorCode, isArrearsError } from '@arrears/contracts';
import type { SubscribeOptions, Subscription } from './port';

/**
 * The port's Subscription around a running delivery loop: `stop()` aborts it and waits for the handler in flight,
 * `done` settles when the loop ends (rejecting with its error unless it was stopped).
 */
export function toSubscription(abort: AbortController, running: Promise<void>, checkpoint: () => unknown): Subscription {
  const done = running.then(
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
      return checkpoint() as never;
    },
    done,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}

export function backoffMs(attempt: number, maxRetryDelayMs: number): number {
  return Math.min(maxRetryDelayMs, 50 * 2 ** Math.min(attempt, 10));
}

/**
 * Runs `work` until it succeeds, retrying with backoff while the store is UNAVAILABLE (after `failure` has turned
 * what was raised into the port's error); any other error, or an abort, ends it.
 */
export async function retryWhileUnavailable<T>(
  work: () => Promise<T>,
  context: {
    readonly signal: AbortSignal;
    readonly maxRetryDelayMs: number;
    readonly onRetry?: SubscribeOptions['onRetry'];
    readonly failure?: (raised: unknown) => unknown;
  },
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (raised) {
      const error = context.failure === undefined ? raised : context.failure(raised);
      if (!isArrearsError(error, ErrorCode.UNAVAILABLE) || context.signal.aborted) throw error;
      context.onRetry?.(error, attempt);
      await delay(backoffMs(attempt, context.maxRetryDelayMs), context.signal);
    }
  }
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
