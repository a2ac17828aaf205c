/**
 * Every event's times through one path, by event id. All times are milliseconds since the epoch on this
 * machine's clock: `now()` for what this process sees, JetStream's own timestamp for when the stream stored the
 * message (the same clock: nats-server runs here too), so the stages of one event can be subtracted.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export interface EventTrace {
  /** Just before `appendToStream` (or `js.publish`) was called. */
  readonly sentAt: number;
  /** Whether the event counts in the figures, or belongs to the warm-up at the start of a slice. */
  readonly measured: boolean;
  /** When the append (or publish) returned: committed (or acknowledged by JetStream). */
  writtenAt?: number;
  /** The PostgreSQL transaction id that wrote it (the commit part of its global position); Arrears only. */
  commit?: number;
  /** When JetStream stored the message (its timestamp). */
  storedAt?: number;
  /** When the consumer's handler was called. */
  handledAt?: number;
  handledCount: number;
}

/**
 * Records one slice's events at a time: sends and writes as they happen, handlings as the consumer process
 * reports them (see `collectHandled`).
 */
export class Tracker {
  private traces = new Map<string, EventTrace>();
  private unhandled = 0;
  private measureFrom = Number.POSITIVE_INFINITY;
  /** Deliveries of ids this slice never sent (an earlier slice's event delivered again, say). */
  strays = 0;

  /** Starts a slice: events sent from `measureFrom` on count; earlier ones are its warm-up. */
  begin(measureFrom: number): void {
    this.traces = new Map();
    this.unhandled = 0;
    this.strays = 0;
    this.measureFrom = measureFrom;
  }

  sent(eventId: string): void {
    const sentAt = now();
    this.traces.set(eventId, { sentAt, measured: sentAt >= this.measureFrom, handledCount: 0 });
    this.unhandled += 1;
  }

  written(eventId: string, commit?: number): void {
    const trace = this.traces.get(eventId);
    if (trace === undefined) return;
    trace.writtenAt = now();
    if (commit !== undefined) trace.commit = commit;
  }

  handled(eventId: string, handledAt: number, storedAt: number): void {
    const trace = this.traces.get(eventId);
    if (trace === undefined) {
      this.strays += 1;
      return;
    }
    trace.handledCount += 1;
    if (trace.handledCount > 1) return;
    trace.handledAt = handledAt;
    trace.storedAt = storedAt;
    this.unhandled -= 1;
  }

  get outstanding(): number {
    return this.unhandled;
  }

  all(): EventTrace[] {
    return [...this.traces.values()];
  }
}

/** The JetStream timestamp of a delivered message, in epoch milliseconds. */
export function storedAtOf(info: { readonly timestampNanos: number }): number {
  return info.timestampNanos / 1e6;
}
