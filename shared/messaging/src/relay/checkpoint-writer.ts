import type { GlobalPosition } from '@arrears/contracts';

export interface CheckpointBatching {
  /** Save after this many acknowledged events… */
  readonly everyEvents: number;
  /** …or this long after the first acknowledged event not yet saved, whichever comes first. */
  readonly intervalMs: number;
}

export const DEFAULT_CHECKPOINT_BATCHING: CheckpointBatching = { everyEvents: 100, intervalMs: 1_000 };

/**
 * Batches checkpoint writes. Only acknowledged positions are given to it, so a saved checkpoint never passes an
 * event JetStream has not stored. What a crash loses is only the unsaved tail — fewer than `everyEvents` events,
 * all acknowledged within the last `intervalMs` (plus one save) — which the next leader publishes again and
 * JetStream drops by `Nats-Msg-Id` as long as it restarts within the stream's duplicate window.
 */
export class CheckpointWriter {
  private pending: GlobalPosition | undefined;
  private pendingCount = 0;
  private savedPosition: GlobalPosition | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Saves run one at a time, in order, so an older position never overwrites a newer one. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly save: (position: GlobalPosition) => Promise<void>,
    private readonly batching: CheckpointBatching,
    /** A save started by the timer failed (nobody awaits it); the position stays pending for the next save. */
    private readonly onBackgroundError: (error: unknown) => void,
    initial?: GlobalPosition,
  ) {
    this.savedPosition = initial;
  }

  /** The last position saved. */
  get saved(): GlobalPosition | undefined {
    return this.savedPosition;
  }

  /** Call only after JetStream acknowledged the event at `position`. Resolves once any save it triggered is done. */
  async acknowledged(position: GlobalPosition): Promise<void> {
    this.pending = position;
    this.pendingCount += 1;
    if (this.pendingCount >= this.batching.everyEvents) return this.flush();
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(this.onBackgroundError);
    }, this.batching.intervalMs);
  }

  /** Saves the latest acknowledged position, if it is not saved yet. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const run = this.queue.then(() => this.saveNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async saveNow(): Promise<void> {
    const position = this.pending;
    if (position === undefined) return;
    this.pending = undefined;
    this.pendingCount = 0;
    try {
      await this.save(position);
      this.savedPosition = position;
    } catch (error) {
      // Keep it for the next save unless a newer position arrived meanwhile (that one covers it).
      this.pending ??= position;
      throw error;
    }
  }
}
