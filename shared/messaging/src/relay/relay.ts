import { ArrearsError, ErrorCode, isArrearsError, type EventEnvelope, type GlobalPosition, type Topology } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import { backoffMs, delay } from '@arrears/event-store';
import { metrics, type Counter, type Meter, type Tracer } from '@opentelemetry/api';
import type { NatsConnection } from 'nats';
import { ensureStreams, type EventStreamSettings } from '../jetstream-setup';
import type { CheckpointStore } from './checkpoint-store';
import { CheckpointWriter, DEFAULT_CHECKPOINT_BATCHING, type CheckpointBatching } from './checkpoint-writer';
import { DEFAULT_PUBLISH_TUNING, EventPublisher, type PublishTuning } from './event-publisher';
import type { LeaderLock, Leadership } from './leader-lock';
import { DEFAULT_LAG_CAP, measureLag, observeRelay, type RelayLag } from './relay-lag';
import { replayRange, type ReplayOptions, type ReplayRange, type ReplaySummary } from './replay';

export type RelayRole = 'standby' | 'leader' | 'stopped';

export type RelayLog = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface RelayOptions {
  /** Identifies the relay: its checkpoint and its leadership. Several relays (other stores, other topologies) may run side by side. */
  readonly name: string;
  readonly store: EventStore;
  readonly nats: NatsConnection;
  readonly topology: Topology;
  readonly checkpoints: CheckpointStore;
  readonly lock: LeaderLock;
  /** The leader creates or updates the topology's streams with these settings when it takes over; `false`: managed elsewhere. */
  readonly streams?: EventStreamSettings | false;
  readonly checkpointBatching?: Partial<CheckpointBatching>;
  readonly publishing?: Partial<PublishTuning>;
  /** How long an instance that lost the leadership waits before competing again, so that a healthy standby takes over. */
  readonly rejoinDelayMs?: number;
  /** The lag is counted up to this many events. */
  readonly lagCap?: number;
  readonly tracer?: Tracer;
  readonly meter?: Meter;
  readonly log?: RelayLog;
}

export interface RelayStatus {
  readonly name: string;
  readonly role: RelayRole;
  /** The leader's checkpoint as last saved (or as found at takeover); undefined on a standby. */
  readonly checkpoint: GlobalPosition | undefined;
  /** The last event JetStream acknowledged from this instance. */
  readonly published: GlobalPosition | undefined;
  /** Events this instance has had acknowledged since it started. */
  readonly publishedCount: number;
  readonly lastPublishedAt: string | undefined;
  readonly lastError: string | undefined;
}

/** What `GET /health` answers. */
export interface RelayHealth {
  /** `unavailable` (HTTP 503) when the store or NATS cannot be reached. */
  readonly status: 'ok' | 'unavailable';
  readonly active: RelayRole;
  readonly checkpoint: GlobalPosition | null;
  readonly published: GlobalPosition | null;
  readonly lagEvents: number | null;
  readonly lagEventsCapped: boolean;
  readonly lagSeconds: number | null;
  readonly lastPublishedAt: string | null;
  readonly lastError: string | null;
  readonly problems: readonly string[];
}

const NATS_PING_TIMEOUT_MS = 2_000;
const LAG_CACHE_MS = 1_000;

/**
 * Tails the event store's global log and publishes every event to JetStream, in log order, one at a time.
 *
 * Only the instance holding the leader lock publishes; the others wait as standbys and take over when it dies.
 * The leader starts a checkpoint term (a fencing token), resumes strictly after the checkpoint, and moves the
 * checkpoint only after JetStream acknowledged the event (batched, see CheckpointWriter). Publishing is
 * sequential because order on JetStream is the order of acknowledgements: with several publishes in flight, a
 * failed one retried after a later one of the same stream succeeded would land behind it.
 */
export class Relay {
  readonly name: string;
  private readonly stopping = new AbortController();
  private readonly publisher: EventPublisher;
  private readonly batching: CheckpointBatching;
  private readonly meter: Meter;
  private readonly publishedCounter: Counter;
  private readonly log: RelayLog;
  private running: Promise<void> | undefined;
  private role: RelayRole = 'standby';
  private checkpoint: GlobalPosition | undefined;
  private published: GlobalPosition | undefined;
  private publishedCount = 0;
  private lastPublishedAt: string | undefined;
  private lastError: string | undefined;
  private cachedLag: { readonly at: number; readonly lag: Promise<RelayLag> } | undefined;

  constructor(private readonly options: RelayOptions) {
    this.name = options.name;
    this.publisher = new EventPublisher(options.nats.jetstream(), options.topology, { ...DEFAULT_PUBLISH_TUNING, ...options.publishing }, options.tracer);
    this.batching = { ...DEFAULT_CHECKPOINT_BATCHING, ...options.checkpointBatching };
    this.meter = options.meter ?? metrics.getMeter('arrears-relay');
    this.publishedCounter = this.meter.createCounter('arrears.relay.published', { description: 'Events published to JetStream and acknowledged', unit: '{event}' });
    this.log = options.log ?? (() => undefined);
  }

  /** Starts competing for the leadership and, once it holds it, relaying. Returns at once. */
  start(): void {
    this.running ??= this.run();
  }

  /** Settles when the relay has stopped. */
  get done(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /**
   * Finishes the publish in flight, saves the checkpoint of everything acknowledged, releases the leadership
   * (a standby takes over within its retry interval) and stops.
   */
  async stop(): Promise<void> {
    this.stopping.abort(new Error(`Relay ${this.name} is stopping`));
    await this.running;
    this.role = 'stopped';
  }

  status(): RelayStatus {
    return {
      name: this.name,
      role: this.role,
      checkpoint: this.role === 'leader' ? this.checkpoint : undefined,
      published: this.published,
      publishedCount: this.publishedCount,
      lastPublishedAt: this.lastPublishedAt,
      lastError: this.lastError,
    };
  }

  /** How far JetStream is behind: from this leader's last acknowledged event, or, on a standby, the saved checkpoint. */
  lag(): Promise<RelayLag> {
    const now = Date.now();
    if (this.cachedLag !== undefined && now - this.cachedLag.at < LAG_CACHE_MS) return this.cachedLag.lag;
    const lag = this.position().then((position) => measureLag(this.options.store, position, this.options.lagCap ?? DEFAULT_LAG_CAP));
    this.cachedLag = { at: now, lag };
    lag.catch(() => {
      if (this.cachedLag?.lag === lag) this.cachedLag = undefined;
    });
    return lag;
  }

  async health(): Promise<RelayHealth> {
    const [lag, nats] = await Promise.allSettled([this.lag(), this.pingNats()]);
    const problems = [
      ...(lag.status === 'rejected' ? [`event store: ${describe(lag.reason)}`] : []),
      ...(nats.status === 'rejected' ? [`NATS: ${describe(nats.reason)}`] : []),
    ];
    const status = this.status();
    const measured = lag.status === 'fulfilled' ? lag.value : undefined;
    return {
      status: problems.length === 0 ? 'ok' : 'unavailable',
      active: status.role,
      checkpoint: status.checkpoint ?? (status.role === 'leader' ? null : ((await this.options.checkpoints.read(this.name).catch(() => undefined)) ?? null)),
      published: status.published ?? null,
      lagEvents: measured?.events ?? null,
      lagEventsCapped: measured?.capped ?? false,
      lagSeconds: measured?.seconds ?? null,
      lastPublishedAt: status.lastPublishedAt ?? null,
      lastError: status.lastError ?? null,
      problems,
    };
  }

  /** Publishes a range of the log again (see replayRange), beside whatever the relay is doing; the checkpoint is not touched. */
  replayRange(from: ReplayRange['from'], to?: GlobalPosition, options: ReplayOptions = {}): Promise<ReplaySummary> {
    return replayRange(this.options.store, this.publisher, { from, ...(to === undefined ? {} : { to }) }, options);
  }

  private async run(): Promise<void> {
    const unobserve = observeRelay(this.meter, { name: this.name, lag: () => this.lag(), isLeader: () => this.role === 'leader' });
    try {
      while (!this.stopping.signal.aborted) {
        this.role = 'standby';
        this.log('info', 'standby: waiting for the leadership');
        const leadership = await this.options.lock.acquire(this.name, this.stopping.signal);
        if (leadership === undefined) break;
        try {
          await this.lead(leadership);
        } catch (error) {
          this.note('error', 'stopped leading', error);
        } finally {
          this.role = 'standby';
          await leadership.release();
        }
        await delay(this.options.rejoinDelayMs ?? 2_000, this.stopping.signal);
      }
    } finally {
      this.role = 'stopped';
      unobserve();
      this.log('info', 'stopped');
    }
  }

  /** One leadership term: ends when the relay stops, the lock is lost, or the term's checkpoint is superseded. */
  private async lead(leadership: Leadership): Promise<void> {
    const term = new AbortController();
    const end = (event: Event) => term.abort((event.target as AbortSignal).reason);
    this.stopping.signal.addEventListener('abort', end);
    leadership.lost.addEventListener('abort', end);
    try {
      if (this.stopping.signal.aborted || leadership.lost.aborted) return;
      const claim = await this.options.checkpoints.claim(this.name);
      this.role = 'leader';
      this.checkpoint = claim.position;
      this.published = claim.position;
      this.log('info', `leader (term ${claim.term}): relaying from ${claim.position ?? 'the start of the log'}`);
      if (this.options.streams !== false) await this.ensureStreams(this.options.streams ?? {}, term.signal);
      const writer = new CheckpointWriter(
        async (position) => {
          await this.options.checkpoints.save(this.name, claim.term, position);
          this.checkpoint = position;
        },
        this.batching,
        (error) => this.onCheckpointError(error, term),
        claim.position,
      );
      await this.tail(claim.position, writer, leadership, term);
    } finally {
      this.stopping.signal.removeEventListener('abort', end);
      leadership.lost.removeEventListener('abort', end);
      if (leadership.lost.aborted && !this.stopping.signal.aborted) this.note('warn', 'lost the leadership', leadership.lost.reason);
    }
  }

  private async tail(from: GlobalPosition | undefined, writer: CheckpointWriter, leadership: Leadership, term: AbortController): Promise<void> {
    if (term.signal.aborted) return;
    const subscription = this.options.store.subscribe(
      { kind: 'all' },
      {
        from: from === undefined ? 'start' : { after: from },
        handler: (event) => this.relayEvent(event, writer, leadership, term.signal),
        // Idle now: save what is acknowledged rather than wait for the batch to fill.
        onCaughtUp: () => void writer.flush().catch((error: unknown) => this.onCheckpointError(error, term)),
        onRetry: (error, attempt) => this.noteRetry('the event store', error, attempt),
      },
    );
    // Synchronously on abort: the subscription hands out no further event once the term has ended.
    const stop = () => void subscription.stop();
    term.signal.addEventListener('abort', stop);
    try {
      await subscription.done;
    } finally {
      term.signal.removeEventListener('abort', stop);
      await subscription.stop();
      // Everything acknowledged, saved under this term; refused if another term has begun.
      await writer.flush().catch((error: unknown) => this.note('warn', 'could not save the final checkpoint', error));
    }
  }

  private async relayEvent(event: EventEnvelope, writer: CheckpointWriter, leadership: Leadership, term: AbortSignal): Promise<void> {
    // Before every attempt: a relay that is not sure it leads publishes nothing more.
    const guard = () => {
      if (!leadership.confirm() || term.aborted) {
        throw new ArrearsError(ErrorCode.UNAVAILABLE, `Relay ${this.name} stopped publishing before ${event.globalPosition}: ${describe(term.reason)}`);
      }
    };
    await this.publisher.publish(event, { guard, signal: term, onRetry: (error, attempt) => this.noteRetry('NATS', error, attempt) });
    this.published = event.globalPosition;
    this.publishedCount += 1;
    this.lastPublishedAt = new Date().toISOString();
    this.lastError = undefined;
    this.publishedCounter.add(1, { 'arrears.relay.name': this.name });
    await writer.acknowledged(event.globalPosition);
  }

  /** Creates or updates the streams, waiting out a NATS server that is not there yet. */
  private async ensureStreams(settings: EventStreamSettings, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; !signal.aborted; attempt += 1) {
      try {
        await ensureStreams(await this.options.nats.jetstreamManager({ timeout: NATS_PING_TIMEOUT_MS }), this.options.topology, settings);
        return;
      } catch (error) {
        this.noteRetry('NATS (stream setup)', error, attempt);
        await delay(backoffMs(attempt, this.options.publishing?.maxRetryDelayMs ?? DEFAULT_PUBLISH_TUNING.maxRetryDelayMs), signal);
      }
    }
  }

  private onCheckpointError(error: unknown, term: AbortController): void {
    this.note('warn', 'could not save the checkpoint', error);
    // Another term has begun: this instance no longer leads, whatever its lock says.
    if (isArrearsError(error, ErrorCode.CONCURRENCY_CONFLICT)) term.abort(error);
  }

  private position(): Promise<GlobalPosition | undefined> {
    return this.role === 'leader' ? Promise.resolve(this.published) : this.options.checkpoints.read(this.name);
  }

  private async pingNats(): Promise<void> {
    if (this.options.nats.isClosed()) throw new Error('the connection is closed');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${NATS_PING_TIMEOUT_MS} ms`)), NATS_PING_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.options.nats.flush(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private noteRetry(what: string, error: unknown, attempt: number): void {
    this.lastError = `${what}: ${describe(error)}`;
    // The first failure and then one line in ten: an outage is visible without flooding the log.
    if (attempt === 1 || attempt % 10 === 0) this.log('warn', `retrying ${what} (attempt ${attempt}): ${describe(error)}`);
  }

  private note(level: 'warn' | 'error', what: string, error: unknown): void {
    this.lastError = `${what}: ${describe(error)}`;
    this.log(level, this.lastError);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
