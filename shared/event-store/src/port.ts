import type { EventEnvelope, GlobalPosition, NewEvent } from '@arrears/contracts';

/**
 * What the writer believes about the stream. `no_stream`: it must not exist yet (or was deleted);
 * `stream_exists`: it must exist; `any`: no check; a number: the position of the stream's last event.
 */
export type ExpectedVersion = 'no_stream' | 'stream_exists' | 'any' | number;

export interface AppendOptions {
  readonly expectedVersion: ExpectedVersion;
}

export interface AppendResult {
  /** The position of the stream's last event after this append: pass it as the next expected version. */
  readonly nextExpectedVersion: number;
  /** The global position of the last event this append wrote (or wrote earlier, for an idempotent retry). */
  readonly position: GlobalPosition;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** First stream position to read (inclusive); defaults to the start (forwards) or the end (backwards). */
  readonly from?: number | 'start' | 'end';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read strictly after this position; omit (or START) to read from the beginning. */
  readonly after?: GlobalPosition;
  readonly maxCount?: number;
  /** Only events of streams in this category (`account` for `account-*`). */
  readonly category?: string;
}

export type SubscriptionTarget =
  | { readonly kind: 'all' }
  | { readonly kind: 'category'; readonly category: string }
  | { readonly kind: 'stream'; readonly streamId: string };

/** Where a subscription starts: every event, only new ones, or strictly after a checkpoint it was given. */
export type SubscriptionStart =
  | 'start'
  | 'end'
  | { readonly after: GlobalPosition } // for all and category subscriptions
  | { readonly afterStreamPosition: number }; // for stream subscriptions

export type EventHandler = (event: EventEnvelope) => Promise<void> | void;

export interface SubscribeOptions {
  readonly from: SubscriptionStart;
  /** Called once per event, in order; the next event waits for the returned promise. A throw ends the subscription. */
  readonly handler: EventHandler;
  /** Called each time the subscription has delivered everything there was and starts waiting for more. */
  readonly onCaughtUp?: () => void;
  /** Called when the store could not be reached and the subscription will retry from its checkpoint. */
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

export interface Subscription {
  /** Resolves once the subscription has stopped and no handler call is running. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves after `stop()`, rejects with the handler's or store's error. */
  readonly done: Promise<void>;
  /** The last event delivered to the handler (a global position, or a stream position for stream subscriptions). */
  readonly checkpoint: GlobalPosition | number | undefined;
}

/** The event store port. Every adapter passes the one conformance suite in `./conformance`. */
export interface EventStore {
  /**
   * Appends atomically with optimistic concurrency. A mismatch fails with CONCURRENCY_CONFLICT and writes
   * nothing. Appending events whose ids are already in this stream, at the same places, writes nothing and
   * returns the original result; ids already used elsewhere fail with IDEMPOTENCY_CONFLICT.
   */
  appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** A stream that does not exist (or was deleted) reads as no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<EventEnvelope[]>;
  /** The global log in commit order: a reader that resumes from the last position it saw never skips an event. */
  readAll(options?: ReadAllOptions): Promise<EventEnvelope[]>;
  /** Catch-up then live; survives dropped connections by resuming from its checkpoint. */
  subscribe(target: SubscriptionTarget, options: SubscribeOptions): Subscription;
  /**
   * Removes a stream's events. Reads then see nothing; a later append with `no_stream` or `any` recreates it,
   * its positions continuing after the deleted ones so a stream position is never reused.
   */
  deleteStream(streamId: string, options: AppendOptions): Promise<void>;
  /** Removes the events before `before` (a stream position); later events keep their positions. */
  truncateStream(streamId: string, before: number): Promise<void>;
  close(): Promise<void>;
}
