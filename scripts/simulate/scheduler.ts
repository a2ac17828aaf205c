import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The simulated clock as the simulator's agents use it: the platform clock (the same `ARREARS_CLOCK_*` the services
 * read), and waiting for a simulated instant by sleeping the real time it is away.
 */
export class SimClock {
  constructor(
    private readonly read: () => Date,
    readonly speed: number,
  ) {}

  now(): number {
    return this.read().getTime();
  }

  /** Resolves true when simulated time reaches `instant` (at once when it has), false when `signal` aborts first. */
  async until(instant: number, signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      const wait = (instant - this.now()) / this.speed;
      if (wait <= 0) return true;
      try {
        await sleep(Math.min(Math.ceil(wait), 1_000), undefined, { signal });
      } catch {
        return false;
      }
    }
  }
}

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly run: () => Promise<void>;
}

/**
 * Work at simulated instants (a debtor's payment, a supervisor's follow-up): a binary heap by instant (then by the
 * order given), run as the clock reaches each, at most `concurrency` at once.
 */
export class Scheduler {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private readonly running = new Set<Promise<void>>();
  private wake: (() => void) | undefined;

  constructor(
    private readonly clock: SimClock,
    private readonly concurrency: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  get pending(): number {
    return this.heap.length;
  }

  at(instant: number, run: () => Promise<void>): void {
    this.push({ at: instant, seq: (this.seq += 1), run });
    this.wake?.();
  }

  /** Runs what falls due until simulated `end` (or `signal`), then waits for what is running. What is due later stays. */
  async run(end: number, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const next = this.heap[0];
      const now = this.clock.now();
      if (now >= end) break;
      if (next !== undefined && next.at <= now && this.running.size < this.concurrency) {
        this.pop();
        const task = next.run().catch(this.onError);
        const tracked = task.finally(() => {
          this.running.delete(tracked);
          this.wake?.();
        });
        this.running.add(tracked);
        continue;
      }
      const until = next === undefined || this.running.size >= this.concurrency ? end : Math.min(end, next.at);
      const woken = new Promise<void>((resolve) => (this.wake = resolve));
      const waker = new AbortController();
      const stop = () => waker.abort();
      signal.addEventListener('abort', stop, { once: true });
      await Promise.race([this.clock.until(until, waker.signal), woken]);
      waker.abort();
      signal.removeEventListener('abort', stop);
      this.wake = undefined;
    }
    await Promise.all(this.running);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** At most `limit` of the functions given to `run` at once; the rest wait their turn in order. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    // A finished run hands its place straight to the next in line, so nobody slips in between.
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    }
  }
}
