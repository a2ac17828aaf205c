import type { EventEnvelope } from '@arrears/contracts';
import type { SubscribeOptions, Subscription } from './port';
import { retryWhileUnavailable, toSubscription } from './subscription-lifecycle';

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
  /** The longest pause between reads once caught up: what an event after a quiet spell waits at most. */
  readonly pollIntervalMs: number;
  /**
   * The first pause after a read that found events; each read that finds nothing doubles it, up to
   * `pollIntervalMs`. While events keep coming the subscription looks again soon; once quiet it costs no more
   * than polling at `pollIntervalMs`. Undefined (or equal to `pollIntervalMs`): a fixed interval.
   */
  readonly minPollIntervalMs?: number;
  readonly maxRetryDelayMs: number;
}

/** The pause before the next read, given the last pause and whether the last read found anything. */
export function nextPollPause(tuning: Pick<PollingTuning, 'pollIntervalMs' | 'minPollIntervalMs'>, previousMs: number | undefined, foundEvents: boolean): number {
  const min = Math.min(tuning.minPollIntervalMs ?? tuning.pollIntervalMs, tuning.pollIntervalMs);
  if (foundEvents || previousMs === undefined) return min;
  return Math.min(Math.max(previousMs, min) * 2, tuning.pollIntervalMs);
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
  const retry = { signal: abort.signal, maxRetryDelayMs: tuning.maxRetryDelayMs, ...(options.onRetry ? { onRetry: options.onRetry } : {}) };
  let checkpoint: Checkpoint | undefined;

  async function run(): Promise<void> {
    checkpoint = start === 'end' ? await retryWhileUnavailable(() => source.end(), retry) : start;
    let caughtUp = false;
    let pauseMs: number | undefined;
    while (!abort.signal.aborted) {
      const page = await retryWhileUnavailable(() => source.fetch(checkpoint, tuning.pageSize), retry);
      for (const event of page) {
        if (abort.signal.aborted) return;
        await options.handler(event);
        checkpoint = source.checkpointOf(event);
      }
      if (page.length < tuning.pageSize) {
        if (!caughtUp) options.onCaughtUp?.();
        caughtUp = true;
        pauseMs = nextPollPause(tuning, pauseMs, page.length > 0);
        await source.wait(pauseMs, abort.signal);
      } else {
        caughtUp = false;
      }
    }
  }

  return toSubscription(abort, run(), () => checkpoint);
}
