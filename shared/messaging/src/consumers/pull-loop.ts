import type { LoggerService } from '@nestjs/common';
import type { Consumer, ConsumerMessages, JetStreamClient, JsMsg } from 'nats';

export interface PullLoopOptions {
  readonly stream: string;
  readonly durable: string;
  readonly concurrency: number;
  readonly fetchExpiresMs: number;
  /** Handles one message completely: its ack, nak or term included. Never rejects. */
  readonly handle: (msg: JsMsg) => Promise<void>;
  /** Called before pulling again after a failure: recreates the consumer if it went missing. */
  readonly recover: (error: unknown) => Promise<void>;
  readonly logger: LoggerService;
}

const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000];

/**
 * Pulls one durable consumer's events and hands each to `handle`, never more than `concurrency` at once. It asks
 * JetStream for only as many events as it has free slots, so no event waits in a client buffer while its ack
 * timer runs. Any failure — NATS restarting, the consumer deleted — is logged and the loop pulls again after a
 * short wait: only `stop()` ends it.
 */
export class PullLoop {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly slotWaiters: (() => void)[] = [];
  private stopping = false;
  private batch: ConsumerMessages | undefined;
  private wakeRetry: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly js: JetStreamClient,
    private readonly options: PullLoopOptions,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  /**
   * Stops pulling, then waits (up to `timeoutMs`) for the events being handled to finish and be acknowledged.
   * Resolves true when they all did; events still running after the timeout are redelivered after their ack wait.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    this.batch?.stop();
    this.wakeRetry?.();
    this.slotWaiters.splice(0).forEach((wake) => wake());
    await this.running;
    return settledWithin([...this.inFlight], timeoutMs);
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopping; ) {
      try {
        const consumer = await this.js.consumers.get(this.options.stream, this.options.durable);
        while (!this.stopping) {
          await this.freeSlot();
          if (this.stopping) break;
          await this.pullOnce(consumer);
          failures = 0;
        }
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        this.options.logger.warn?.(`${this.options.durable}: pulling failed (${errorMessage(error)}); retrying`, 'JetStreamTransport');
        await this.pause(RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length) - 1] ?? 5_000);
        await this.options.recover(error).catch((recoverError: unknown) => this.options.logger.warn?.(`${this.options.durable}: ${errorMessage(recoverError)}`, 'JetStreamTransport'));
      }
    }
  }

  private async pullOnce(consumer: Consumer): Promise<void> {
    const free = this.options.concurrency - this.inFlight.size;
    this.batch = await consumer.fetch({ max_messages: free, expires: this.options.fetchExpiresMs });
    // stop() came while the request was being made: end it now rather than after it expires.
    if (this.stopping) this.batch.stop();
    try {
      for await (const msg of this.batch) {
        // Delivered after stop() was called: hand it back now rather than when its ack wait runs out.
        if (this.stopping) msg.nak();
        else this.dispatch(msg);
      }
    } finally {
      this.batch = undefined;
    }
  }

  private dispatch(msg: JsMsg): void {
    const handled: Promise<void> = this.options
      .handle(msg)
      .catch((error: unknown) => this.options.logger.error?.(`${this.options.durable}: ${errorMessage(error)}`, 'JetStreamTransport'))
      .finally(() => {
        this.inFlight.delete(handled);
        this.slotWaiters.shift()?.();
      });
    this.inFlight.add(handled);
  }

  private freeSlot(): Promise<void> {
    if (this.inFlight.size < this.options.concurrency) return Promise.resolve();
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      this.wakeRetry = finish;
      function finish() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

async function settledWithin(work: readonly Promise<void>[], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([Promise.allSettled(work).then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
