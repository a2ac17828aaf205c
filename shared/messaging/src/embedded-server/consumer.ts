import { randomBytes } from 'node:crypto';
import type { Message } from './core-server';
import { encodeHeaders } from './headers';
import { isoTime, type Stream, type StreamListener } from './stream';
import type { StoredMessage } from './stream-log';
import { subjectMatches } from './subjects';

export type ConsumerConfig = Record<string, unknown> & {
  readonly name: string;
  readonly durable_name?: string;
  readonly deliver_policy: string;
  readonly ack_policy: string;
  readonly ack_wait: number;
  readonly max_deliver: number;
  readonly filter_subject?: string;
  readonly max_ack_pending?: number;
  readonly max_waiting: number;
};

/** The fields nats-server 2.9 lets an update change; any other difference is a different consumer. */
const FIXED_FIELDS = ['deliver_policy', 'opt_start_seq', 'opt_start_time', 'ack_policy', 'filter_subject', 'replay_policy', 'deliver_subject'] as const;

export function normalizeConsumerConfig(given: Record<string, unknown>, durable: boolean): ConsumerConfig {
  const ackPolicy = typeof given['ack_policy'] === 'string' ? given['ack_policy'] : 'none';
  const name = (typeof given['name'] === 'string' && given['name'] !== '' ? given['name'] : given['durable_name']) as string | undefined;
  const config: Record<string, unknown> = {
    ...given,
    name: name ?? randomBytes(6).toString('hex').toUpperCase(),
    deliver_policy: typeof given['deliver_policy'] === 'string' ? given['deliver_policy'] : 'all',
    ack_policy: ackPolicy,
    ack_wait: typeof given['ack_wait'] === 'number' && given['ack_wait'] > 0 ? given['ack_wait'] : 30e9,
    max_deliver: typeof given['max_deliver'] === 'number' && given['max_deliver'] !== 0 ? given['max_deliver'] : -1,
    replay_policy: typeof given['replay_policy'] === 'string' ? given['replay_policy'] : 'instant',
    max_waiting: typeof given['max_waiting'] === 'number' && given['max_waiting'] > 0 ? given['max_waiting'] : 512,
    num_replicas: typeof given['num_replicas'] === 'number' ? given['num_replicas'] : 0,
  };
  if (ackPolicy !== 'none' && !(typeof given['max_ack_pending'] === 'number' && given['max_ack_pending'] !== 0)) config['max_ack_pending'] = 1_000;
  if (config['filter_subject'] === '') delete config['filter_subject'];
  if (!durable && typeof config['inactive_threshold'] !== 'number') config['inactive_threshold'] = 5e9;
  return config as ConsumerConfig;
}

/** Which fixed field an update would change, if any. */
export function changedFixedField(current: ConsumerConfig, wanted: ConsumerConfig): string | undefined {
  return FIXED_FIELDS.find((field) => (current[field] ?? '') !== (wanted[field] ?? ''));
}

/** What a consumer needs from the server around it. */
export interface ConsumerHost {
  /** Sends to the subscriptions of `target` (a pull request's inbox). */
  deliver(target: string, message: Message): boolean;
  hasInterest(subject: string): boolean;
  /** The consumer's state changed: save it (soon) if it is persistent. */
  changed(consumer: Consumer): void;
  /** The consumer removes itself (inactive ephemeral). */
  expire(consumer: Consumer): void;
  advisory(subject: string, body: Record<string, unknown>): void;
}

interface Pending {
  /** The consumer sequence of its latest delivery. */
  cseq: number;
  deliveries: number;
  /** When it is redelivered unless acknowledged; Infinity while it waits in the redelivery queue. */
  deadline: number;
}

interface PullRequest {
  readonly reply: string;
  remaining: number;
  bytesLeft: number;
  readonly maxBytes: number;
  readonly heartbeatMs: number;
  lastSent: number;
  expiry: NodeJS.Timeout | undefined;
  heartbeat: NodeJS.Timeout | undefined;
}

/** What survives a restart of a durable consumer. */
export interface ConsumerSnapshot {
  readonly config: ConsumerConfig;
  readonly created: string;
  readonly delivered: { consumer_seq: number; stream_seq: number };
  readonly nextSeq: number;
  readonly pending: [sseq: number, cseq: number, deliveries: number][];
}

/**
 * A pull consumer: hands out the stream's messages in order to waiting pull requests, keeps what is delivered and
 * not yet acknowledged, and redelivers it after its ack wait (or backoff), on a nak, up to max_deliver times.
 */
export class Consumer implements StreamListener {
  private readonly pending = new Map<number, Pending>();
  /** Stream sequences due for redelivery, lowest first. */
  private redeliver: number[] = [];
  private waiting: PullRequest[] = [];
  private delivered = { consumer_seq: 0, stream_seq: 0, last_active: undefined as string | undefined };
  /** The next stream sequence never delivered yet. */
  private nextSeq: number;
  private numPending: number;
  private ackTimer: NodeJS.Timeout | undefined;
  private ackTimerAt = Infinity;
  private inactivityTimer: NodeJS.Timeout | undefined;
  private lastActive = Date.now();
  private deleted = false;

  constructor(
    readonly stream: Stream,
    public config: ConsumerConfig,
    readonly created: string,
    private readonly host: ConsumerHost,
    snapshot?: ConsumerSnapshot,
  ) {
    this.nextSeq = snapshot?.nextSeq ?? this.startSeq();
    if (snapshot !== undefined) {
      this.delivered = { ...snapshot.delivered, last_active: undefined };
      const now = Date.now();
      for (const [sseq, cseq, deliveries] of snapshot.pending) {
        if (stream.get(sseq) !== undefined) this.pending.set(sseq, { cseq, deliveries, deadline: now + this.ackWaitMs(deliveries) });
      }
    }
    this.numPending = stream.countFrom(this.nextSeq, this.filter);
    stream.listeners.add(this);
    this.armAckTimer();
    this.armInactivity();
  }

  get name(): string {
    return this.config.name;
  }

  get durable(): boolean {
    return typeof this.config.durable_name === 'string' && this.config.durable_name !== '';
  }

  private get filter(): string | undefined {
    const filter = this.config.filter_subject;
    return filter === undefined || filter === '' || filter === '>' ? undefined : filter;
  }

  private get explicitAcks(): boolean {
    return this.config.ack_policy !== 'none';
  }

  snapshot(): ConsumerSnapshot {
    return {
      config: this.config,
      created: this.created,
      delivered: { consumer_seq: this.delivered.consumer_seq, stream_seq: this.delivered.stream_seq },
      nextSeq: this.nextSeq,
      pending: [...this.pending].map(([sseq, p]) => [sseq, p.cseq, p.deliveries]),
    };
  }

  update(config: ConsumerConfig): void {
    this.config = config;
    this.armInactivity();
    this.host.changed(this);
    this.pump();
  }

  info(): Record<string, unknown> {
    let floorC = this.delivered.consumer_seq;
    let floorS = this.delivered.stream_seq;
    for (const [sseq, p] of this.pending) {
      floorS = Math.min(floorS, sseq - 1);
      floorC = Math.min(floorC, p.cseq - 1);
    }
    const { last_active: lastActive, ...delivered } = this.delivered;
    return {
      stream_name: this.stream.name,
      name: this.name,
      created: this.created,
      config: this.config,
      delivered: lastActive === undefined ? delivered : { ...delivered, last_active: lastActive },
      ack_floor: { consumer_seq: Math.max(0, floorC), stream_seq: Math.max(0, floorS) },
      num_ack_pending: this.pending.size,
      num_redelivered: [...this.pending.values()].filter((p) => p.deliveries > 1).length,
      num_waiting: this.waiting.length,
      num_pending: this.numPending,
    };
  }

  /** `$JS.API.CONSUMER.MSG.NEXT.<stream>.<consumer>` with its reply inbox. */
  pull(reply: string | undefined, payload: Buffer): void {
    if (reply === undefined || this.deleted) return;
    this.touch();
    let batch = 1;
    let expiresNs = 0;
    let noWait = false;
    let maxBytes = 0;
    let heartbeatNs = 0;
    const text = payload.toString('utf8').trim();
    if (/^\d+$/.test(text)) batch = Number(text);
    else if (text !== '') {
      try {
        const request = JSON.parse(text) as Record<string, unknown>;
        batch = typeof request['batch'] === 'number' && request['batch'] > 0 ? request['batch'] : 1;
        expiresNs = typeof request['expires'] === 'number' ? request['expires'] : 0;
        noWait = request['no_wait'] === true;
        maxBytes = typeof request['max_bytes'] === 'number' ? request['max_bytes'] : 0;
        heartbeatNs = typeof request['idle_heartbeat'] === 'number' ? request['idle_heartbeat'] : 0;
      } catch {
        return this.status(reply, 400, 'Bad Request');
      }
    }
    if (heartbeatNs > 0 && expiresNs > 0 && heartbeatNs * 2 > expiresNs) return this.status(reply, 400, 'Bad Request - heartbeat value too large');
    if (this.waiting.length >= this.config.max_waiting) return this.status(reply, 409, 'Exceeded MaxWaiting');
    const request: PullRequest = { reply, remaining: batch, bytesLeft: maxBytes, maxBytes, heartbeatMs: heartbeatNs / 1e6, lastSent: Date.now(), expiry: undefined, heartbeat: undefined };
    this.waiting.push(request);
    this.pump();
    if (!this.waiting.includes(request)) return;
    if (noWait) {
      this.finish(request);
      if (request.remaining === batch) this.status(reply, 404, 'No Messages');
      else this.timedOut(request, false);
      return;
    }
    if (expiresNs > 0) request.expiry = setTimeout(() => this.timedOut(request, true), Math.max(1, expiresNs / 1e6));
    if (request.heartbeatMs > 0) {
      request.heartbeat = setInterval(() => {
        if (!this.host.hasInterest(request.reply)) return this.finish(request);
        if (Date.now() - request.lastSent >= request.heartbeatMs * 0.95) {
          request.lastSent = Date.now();
          this.status(request.reply, 100, 'Idle Heartbeat', [
            ['Nats-Last-Consumer', String(this.delivered.consumer_seq)],
            ['Nats-Last-Stream', String(this.delivered.stream_seq)],
          ]);
        }
      }, request.heartbeatMs);
    }
  }

  /** A reply on `$JS.ACK.…`: +ACK (or empty), -NAK [{"delay": ns}], +WPI, +TERM [reason], +NXT. */
  acknowledge(sseq: number, payload: Buffer, reply: string | undefined): void {
    if (this.deleted) return;
    this.touch();
    const text = payload.toString('utf8').trim();
    const kind = text === '' ? '+ACK' : (text.split(/\s/, 1)[0] as string);
    const pending = this.pending.get(sseq);
    switch (kind) {
      case '+ACK':
      case '+NXT':
        if (this.config.ack_policy === 'all') {
          for (const seq of [...this.pending.keys()]) if (seq <= sseq) this.settle(seq);
        } else this.settle(sseq);
        break;
      case '+TERM':
        this.settle(sseq);
        break;
      case '-NAK':
        if (pending !== undefined) {
          const delayNs = nakDelay(text.slice(4).trim());
          if (delayNs > 0) pending.deadline = Date.now() + delayNs / 1e6;
          else this.due(sseq, pending);
          this.armAckTimer();
        }
        break;
      case '+WPI':
        if (pending !== undefined && pending.deadline !== Infinity) {
          pending.deadline = Date.now() + this.ackWaitMs(pending.deliveries);
          this.armAckTimer();
        }
        break;
      default:
        break;
    }
    this.host.changed(this);
    // Ack sync (`ackAck`): the client waits for this empty reply.
    if (reply !== undefined) this.host.deliver(reply, { subject: reply, payload: Buffer.alloc(0) });
    this.pump();
  }

  /** Ends the consumer: its waiting requests are told, its timers stop. */
  close(deletedByApi: boolean): void {
    if (this.deleted) return;
    this.deleted = true;
    this.stream.listeners.delete(this);
    clearTimeout(this.ackTimer);
    clearTimeout(this.inactivityTimer);
    for (const request of [...this.waiting]) {
      this.finish(request);
      if (deletedByApi) this.status(request.reply, 409, 'Consumer Deleted');
    }
  }

  appended(message: StoredMessage): void {
    if (message.seq >= this.nextSeq && this.matches(message)) this.numPending += 1;
    this.pump();
  }

  removed(message: StoredMessage): void {
    if (message.seq >= this.nextSeq && this.matches(message)) this.numPending -= 1;
    if (this.pending.delete(message.seq)) {
      this.redeliver = this.redeliver.filter((seq) => seq !== message.seq);
      this.host.changed(this);
      this.pump();
    }
  }

  private matches(message: StoredMessage): boolean {
    const filter = this.filter;
    return filter === undefined || subjectMatches(filter, message.subject);
  }

  private startSeq(): number {
    const stream = this.stream;
    const lastSeq = Number(stream.state()['last_seq']);
    switch (this.config.deliver_policy) {
      case 'new':
        return lastSeq + 1;
      case 'last': {
        const last = stream.lastOnSubject(this.filter ?? '>');
        return last?.seq ?? lastSeq + 1;
      }
      case 'by_start_sequence':
        return Math.max(1, Number(this.config['opt_start_seq'] ?? 1));
      case 'by_start_time':
        return stream.seqAtTime(Date.parse(String(this.config['opt_start_time'])));
      default:
        return 1;
    }
  }

  private ackWaitMs(deliveries: number): number {
    const backoff = this.config['backoff'];
    if (Array.isArray(backoff) && backoff.length > 0) return Number(backoff[Math.min(deliveries, backoff.length) - 1]) / 1e6;
    return this.config.ack_wait / 1e6;
  }

  private settle(sseq: number): void {
    if (!this.pending.delete(sseq)) return;
    const at = this.redeliver.indexOf(sseq);
    if (at >= 0) this.redeliver.splice(at, 1);
  }

  /** Its ack wait ran out, or it was nak'ed: redeliver it, unless it was delivered max_deliver times already. */
  private due(sseq: number, p: Pending): void {
    const maxDeliver = this.config.max_deliver;
    if (maxDeliver > 0 && p.deliveries >= maxDeliver) {
      // JetStream stops trying and says so in an advisory.
      this.pending.delete(sseq);
      this.host.advisory(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${this.stream.name}.${this.name}`, {
        type: 'io.nats.jetstream.advisory.v1.max_deliver',
        stream: this.stream.name,
        consumer: this.name,
        stream_seq: sseq,
        deliveries: p.deliveries,
      });
      return;
    }
    this.queueRedelivery(sseq, p);
  }

  private queueRedelivery(sseq: number, pending: Pending): void {
    pending.deadline = Infinity;
    if (this.redeliver.includes(sseq)) return;
    this.redeliver.push(sseq);
    this.redeliver.sort((a, b) => a - b);
  }

  /** Hands out messages while requests wait and messages are there: redeliveries first, then new ones. */
  private pump(): void {
    while (this.waiting.length > 0 && !this.deleted) {
      const request = this.waiting[0] as PullRequest;
      if (!this.host.hasInterest(request.reply)) {
        // The client went away (its fetch ended): nothing is delivered into the void.
        this.finish(request);
        continue;
      }
      const message = this.peek();
      if (message === undefined) return;
      const size = message.data.length + (message.headers?.length ?? 0) + message.subject.length;
      if (request.maxBytes > 0 && size > request.bytesLeft) {
        this.finish(request);
        this.status(request.reply, 409, 'Message Size Exceeds MaxBytes');
        continue;
      }
      this.take(message);
      this.send(message, request);
      request.remaining -= 1;
      if (request.maxBytes > 0) request.bytesLeft -= size;
      // Requests take turns, so that several instances of a service share the work.
      this.waiting.shift();
      if (request.remaining > 0) this.waiting.push(request);
      else this.finish(request);
    }
  }

  private peek(): StoredMessage | undefined {
    while (this.redeliver.length > 0) {
      const seq = this.redeliver[0] as number;
      const message = this.pending.has(seq) ? this.stream.get(seq) : undefined;
      if (message !== undefined) return message;
      this.redeliver.shift();
    }
    const limit = this.config.max_ack_pending;
    if (this.explicitAcks && typeof limit === 'number' && limit > 0 && this.pending.size >= limit) return undefined;
    return this.stream.next(this.nextSeq, this.filter);
  }

  private take(message: StoredMessage): void {
    if (this.redeliver[0] === message.seq) this.redeliver.shift();
    else {
      this.nextSeq = message.seq + 1;
      this.numPending -= 1;
    }
  }

  private send(message: StoredMessage, request: PullRequest): void {
    const previous = this.pending.get(message.seq);
    const deliveries = (previous?.deliveries ?? 0) + 1;
    const cseq = ++this.delivered.consumer_seq;
    this.delivered.stream_seq = Math.max(this.delivered.stream_seq, message.seq);
    this.delivered.last_active = isoTime(BigInt(Date.now()) * 1_000_000n);
    if (this.explicitAcks) {
      this.pending.set(message.seq, { cseq, deliveries, deadline: Date.now() + this.ackWaitMs(deliveries) });
      this.armAckTimer();
    }
    const pendingToken = deliveries > 1 ? 0 : this.numPending;
    const reply = `$JS.ACK.${this.stream.name}.${this.name}.${deliveries}.${message.seq}.${cseq}.${message.timeNanos}.${pendingToken}`;
    request.lastSent = Date.now();
    this.host.deliver(request.reply, { subject: message.subject, reply, headers: message.headers, payload: message.data });
    this.host.changed(this);
  }

  private status(reply: string, code: number, description: string, fields: [string, string][] = []): void {
    this.host.deliver(reply, { subject: reply, headers: encodeHeaders(fields, { code, description }), payload: Buffer.alloc(0) });
  }

  /** The request ran out of time with messages still wanted: 408 and how much it did not get. */
  private timedOut(request: PullRequest, fromTimer: boolean): void {
    if (fromTimer && !this.waiting.includes(request)) return;
    this.finish(request);
    this.status(request.reply, 408, 'Request Timeout', [
      ['Nats-Pending-Messages', String(request.remaining)],
      ['Nats-Pending-Bytes', String(Math.max(0, request.bytesLeft))],
    ]);
  }

  private finish(request: PullRequest): void {
    clearTimeout(request.expiry);
    clearInterval(request.heartbeat);
    this.waiting = this.waiting.filter((waiting) => waiting !== request);
  }

  private armAckTimer(): void {
    let earliest = Infinity;
    for (const p of this.pending.values()) if (p.deadline < earliest) earliest = p.deadline;
    if (earliest === this.ackTimerAt) return;
    clearTimeout(this.ackTimer);
    this.ackTimerAt = earliest;
    if (earliest === Infinity) return;
    this.ackTimer = setTimeout(() => this.ackWaitsOver(), Math.max(1, earliest - Date.now()));
    this.ackTimer.unref();
  }

  private ackWaitsOver(): void {
    this.ackTimerAt = Infinity;
    const now = Date.now();
    for (const [sseq, p] of this.pending) if (p.deadline <= now) this.due(sseq, p);
    this.host.changed(this);
    this.armAckTimer();
    this.pump();
  }

  private touch(): void {
    this.lastActive = Date.now();
  }

  private armInactivity(): void {
    clearTimeout(this.inactivityTimer);
    const thresholdNs = this.config['inactive_threshold'];
    if (typeof thresholdNs !== 'number' || thresholdNs <= 0) return;
    const check = () => {
      const idleMs = Date.now() - this.lastActive;
      if (this.waiting.length === 0 && idleMs >= thresholdNs / 1e6) return this.host.expire(this);
      this.inactivityTimer = setTimeout(check, Math.max(50, thresholdNs / 1e6 - (this.waiting.length === 0 ? idleMs : 0)));
      this.inactivityTimer.unref();
    };
    this.inactivityTimer = setTimeout(check, thresholdNs / 1e6);
    this.inactivityTimer.unref();
  }
}

function nakDelay(text: string): number {
  if (text === '') return 0;
  try {
    const parsed = JSON.parse(text) as { delay?: unknown };
    return typeof parsed.delay === 'number' ? parsed.delay : 0;
  } catch {
    return 0;
  }
}
