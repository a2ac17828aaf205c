import { ArrearsError, ErrorCode } from '@arrears/contracts';
import { delay } from '@arrears/event-store';
import type { PostgresTimerStore } from './postgres-timer-store';
import { validName, type DueTimer } from './timer';
import { observeTimerBacklog, timerMetrics, TIMER_BACKLOG_MAX_AGE_MS } from './timer-metrics';

/** After the n-th failure a timer waits `min(maxMs, initialMs · 2^(n-1))` before it is tried again. */
export interface TimerBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_TIMER_BACKOFF: TimerBackoff = { initialMs: 1_000, maxMs: 5 * 60_000 };

/** What the poller needs of a logger; a NestJS `LoggerService` is one. */
export interface TimerLogger {
  warn(message: string, context?: string): void;
}

export interface TimerPollerOptions {
  readonly store: PostgresTimerStore;
  /** Fires only this owner's timers. */
  readonly owner: string;
  /**
   * Does what the timer is for. It must be idempotent (a firing can be delivered again after a crash) and should
   * re-check state (the work the timer guarded may be done already). Throwing means "try again after the backoff".
   */
  readonly handler: (timer: DueTimer) => Promise<void>;
  /** The clock that decides what is due; a timer fires not before its `fireAt` by it. Default: the real clock. */
  readonly clock?: () => Date;
  /** How long to wait after a poll that found less than a batch; default 1000. */
  readonly pollIntervalMs?: number;
  /** How many timers one poll fires at most, one after another, each in its own transaction; default 50. */
  readonly batchSize?: number;
  /** After this many failed attempts a timer is parked (still pending, never tried again on its own); default: never. */
  readonly maxAttempts?: number;
  readonly backoff?: Partial<TimerBackoff>;
  /** Where handler failures and failed polls are reported; default `console`. */
  readonly logger?: TimerLogger;
  /** How stale `arrears_timer_backlog` may be: the due timers are counted at most this often; default 5000. */
  readonly backlogMaxAgeMs?: number;
}

const CONTEXT = 'TimerPoller';

const consoleLogger: TimerLogger = { warn: (message, context) => console.warn(context === undefined ? message : `[${context}] ${message}`) };

/** How long a timer waits after its `attempts`-th failure. */
export function retryDelayMs(attempts: number, backoff: TimerBackoff = DEFAULT_TIMER_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Fires one owner's due timers. Every instance of a service runs one; they share the work through row locks
 * (`FOR UPDATE SKIP LOCKED`), so none fires a timer another is firing. Nothing lives in memory: a poller that
 * starts after a crash or a deploy finds every timer still pending in the table.
 */
export class TimerPoller {
  private readonly owner: string;
  private readonly clock: () => Date;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number | undefined;
  private readonly backoff: TimerBackoff;
  private readonly logger: TimerLogger;
  private readonly inFlight = new Set<Promise<unknown>>();
  private loop: { readonly abort: AbortController; readonly done: Promise<void>; readonly unobserve: () => void } | undefined;
  private stopping = false;

  constructor(private readonly options: TimerPollerOptions) {
    this.owner = validName('owner', options.owner);
    this.clock = options.clock ?? (() => new Date());
    this.pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 1_000);
    this.batchSize = positiveInteger('batchSize', options.batchSize ?? 50);
    this.maxAttempts = options.maxAttempts === undefined ? undefined : positiveInteger('maxAttempts', options.maxAttempts);
    const backoff = { ...DEFAULT_TIMER_BACKOFF, ...options.backoff };
    if (!(backoff.initialMs >= 0) || !(backoff.maxMs >= backoff.initialMs)) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `backoff: needs 0 <= initialMs <= maxMs (got ${JSON.stringify(backoff)})`, { field: 'backoff' });
    }
    this.backoff = backoff;
    this.logger = options.logger ?? consoleLogger;
  }

  /** Polls every `pollIntervalMs` (at once again after a full batch) until `stop()`. */
  start(): void {
    if (this.loop !== undefined) return;
    const abort = new AbortController();
    const unobserve = observeTimerBacklog(this.owner, () => this.options.store.countDue(this.owner, this.clock()), this.options.backlogMaxAgeMs ?? TIMER_BACKLOG_MAX_AGE_MS);
    this.loop = { abort, done: this.run(abort.signal), unobserve };
  }

  /** Stops polling and waits for the handler in flight; a timer not yet claimed stays pending for the next poller. */
  async stop(): Promise<void> {
    this.stopping = true;
    try {
      this.loop?.unobserve();
      this.loop?.abort.abort();
      await this.loop?.done;
      await Promise.allSettled([...this.inFlight]);
    } finally {
      this.loop = undefined;
      this.stopping = false;
    }
  }

  /** Fires what is due now by the clock (up to a batch) and resolves how many fired; failed ones are not counted. */
  async pollOnce(): Promise<number> {
    return (await this.drain()).fired;
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let full = false;
      try {
        full = (await this.drain()).claimed >= this.batchSize;
      } catch (error) {
        this.logger.warn(`polling the timers of ${this.owner} failed (${messageOf(error)}); polling again in ${this.pollIntervalMs} ms`, CONTEXT);
      }
      if (!full) await delay(this.pollIntervalMs, signal);
    }
  }

  private drain(): Promise<{ claimed: number; fired: number }> {
    const draining = this.claimUpToABatch();
    this.inFlight.add(draining);
    return draining.finally(() => this.inFlight.delete(draining));
  }

  private async claimUpToABatch(): Promise<{ claimed: number; fired: number }> {
    let claimed = 0;
    let fired = 0;
    while (claimed < this.batchSize && !this.stopping) {
      const now = this.clock();
      const result = await this.options.store.fireNext(this.owner, now, this.options.handler, (attempts) => this.retryAt(attempts, now));
      if (result.outcome === 'none') break;
      claimed += 1;
      if (result.outcome === 'fired') {
        fired += 1;
        timerMetrics().fired.add(1, { service: this.owner });
        continue;
      }
      const { timer, error, nextAttemptAt } = result;
      const next = nextAttemptAt === null ? `parked after ${timer.attempt} attempts` : `next attempt at ${nextAttemptAt.toISOString()}`;
      this.logger.warn(`timer ${timer.timerId} (${timer.kind} about ${timer.key}) failed on attempt ${timer.attempt}: ${messageOf(error)}; ${next}`, CONTEXT);
    }
    return { claimed, fired };
  }

  private retryAt(attempts: number, now: Date): Date | null {
    if (this.maxAttempts !== undefined && attempts >= this.maxAttempts) return null;
    return new Date(now.getTime() + retryDelayMs(attempts, this.backoff));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function positive(field: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field}: must be a positive number (got ${value})`, { field });
  }
  return value;
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${field}: must be a positive integer (got ${value})`, { field });
  return value;
}
