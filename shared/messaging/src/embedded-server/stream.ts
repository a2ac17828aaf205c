import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { headerValue } from './headers';
import { StreamLog, type StoredMessage, type SyncPolicy } from './stream-log';
import { subjectMatches } from './subjects';

/** A stream's configuration as nats-server 2.9 reports it: every default filled in, unknown fields kept. */
export interface StreamConfig {
  readonly name: string;
  readonly subjects: string[];
  readonly retention: string;
  readonly max_consumers: number;
  readonly max_msgs: number;
  readonly max_bytes: number;
  /** Nanoseconds; 0 keeps messages for ever. */
  readonly max_age: number;
  readonly max_msgs_per_subject: number;
  readonly max_msg_size: number;
  readonly discard: string;
  readonly storage: string;
  readonly num_replicas: number;
  /** Nanoseconds. */
  readonly duplicate_window: number;
  readonly [field: string]: unknown;
}

const DEFAULT_DUPLICATE_WINDOW_NS = 120e9;

export function normalizeStreamConfig(given: Record<string, unknown>): StreamConfig {
  const number = (field: string, fallback: number) => (typeof given[field] === 'number' ? (given[field] as number) : fallback);
  const limit = (field: string) => {
    const value = number(field, -1);
    return value === 0 ? -1 : value;
  };
  const maxAge = number('max_age', 0);
  const window = number('duplicate_window', 0) || (maxAge > 0 && maxAge < DEFAULT_DUPLICATE_WINDOW_NS ? maxAge : DEFAULT_DUPLICATE_WINDOW_NS);
  const subjects = Array.isArray(given['subjects']) && given['subjects'].length > 0 ? (given['subjects'] as string[]) : [String(given['name'])];
  return {
    ...given,
    name: String(given['name']),
    subjects,
    retention: typeof given['retention'] === 'string' ? (given['retention'] as string) : 'limits',
    max_consumers: limit('max_consumers'),
    max_msgs: limit('max_msgs'),
    max_bytes: limit('max_bytes'),
    max_age: maxAge,
    max_msgs_per_subject: limit('max_msgs_per_subject'),
    max_msg_size: limit('max_msg_size'),
    discard: typeof given['discard'] === 'string' ? (given['discard'] as string) : 'old',
    storage: typeof given['storage'] === 'string' ? (given['storage'] as string) : 'file',
    num_replicas: number('num_replicas', 1) || 1,
    duplicate_window: window,
    allow_direct: given['allow_direct'] === true,
    mirror_direct: given['mirror_direct'] === true,
    sealed: given['sealed'] === true,
    deny_delete: given['deny_delete'] === true,
    deny_purge: given['deny_purge'] === true,
    allow_rollup_hdrs: given['allow_rollup_hdrs'] === true,
  };
}

/** Refusal of a publish, with the JetStream error it becomes in the PubAck. */
export class PublishRefused extends Error {
  constructor(
    readonly code: number,
    readonly errCode: number,
    description: string,
  ) {
    super(description);
  }
}

export interface StreamListener {
  /** A message was appended. */
  appended(message: StoredMessage): void;
  /** A message left the stream (deleted, expired, dropped by a limit, purged). */
  removed(message: StoredMessage): void;
}

interface PublishOutcome {
  readonly seq: number;
  readonly duplicate: boolean;
}

/**
 * One stream: ordered sequences, `Nats-Msg-Id` de-duplication within the duplicate window, the `Nats-Expected-*`
 * checks, limits retention (max age, messages, bytes, per subject; discard old or new), and its file log.
 */
export class Stream {
  /** In sequence order. */
  private seqs: number[] = [];
  private readonly messages = new Map<number, StoredMessage>();
  private readonly subjectCounts = new Map<string, number>();
  private readonly dedup = new Map<string, { seq: number; atMs: number }>();
  private lastSeq = 0;
  private lastTimeNanos = 0n;
  private bytes = 0;
  private expiryTimer: NodeJS.Timeout | undefined;
  private dedupTimer: NodeJS.Timeout | undefined;
  readonly listeners = new Set<StreamListener>();

  private constructor(
    public config: StreamConfig,
    readonly created: string,
    private readonly dir: string | undefined,
    private readonly log: StreamLog | undefined,
  ) {}

  /** A new stream, or one loaded from `dir` (which then holds its config and messages). */
  static open(config: StreamConfig, created: string, dir: string | undefined, sync?: SyncPolicy): Stream {
    if (dir === undefined) return new Stream(config, created, undefined, undefined);
    mkdirSync(dir, { recursive: true });
    const { log, loaded } = StreamLog.open(dir, sync);
    const stream = new Stream(config, created, dir, log);
    stream.saveMeta();
    stream.lastSeq = loaded.lastSeq;
    for (const message of loaded.messages) stream.index(message);
    const now = Date.now();
    for (const message of loaded.messages) {
      const id = headerValue(message.headers, 'Nats-Msg-Id');
      if (id !== undefined) stream.dedup.set(id, { seq: message.seq, atMs: Number(message.timeNanos / 1_000_000n) });
    }
    stream.pruneDedup(now);
    stream.enforceAge();
    return stream;
  }

  /** The stream folders found under a store directory, with their saved config. */
  static saved(root: string): { config: StreamConfig; created: string; dir: string }[] {
    if (!existsSync(root)) return [];
    const found: { config: StreamConfig; created: string; dir: string }[] = [];
    for (const name of readdirSync(root)) {
      const meta = path.join(root, name, 'stream.json');
      if (!existsSync(meta)) continue;
      const saved = JSON.parse(readFileSync(meta, 'utf8')) as { config: StreamConfig; created: string };
      found.push({ ...saved, dir: path.join(root, name) });
    }
    return found;
  }

  get name(): string {
    return this.config.name;
  }

  get directory(): string | undefined {
    return this.dir;
  }

  update(config: StreamConfig): void {
    this.config = config;
    this.saveMeta();
    this.enforceLimits();
    this.enforceAge();
  }

  captures(subject: string): boolean {
    return this.config.subjects.some((filter) => subjectMatches(filter, subject));
  }

  publish(subject: string, headers: Buffer | undefined, data: Buffer): PublishOutcome {
    const now = Date.now();
    this.pruneDedup(now);
    const expectedStream = headerValue(headers, 'Nats-Expected-Stream');
    if (expectedStream !== undefined && expectedStream !== this.name) throw new PublishRefused(400, 10060, 'expected stream does not match');
    const msgId = headerValue(headers, 'Nats-Msg-Id');
    if (msgId !== undefined && msgId !== '') {
      const seen = this.dedup.get(msgId);
      if (seen !== undefined) return { seq: seen.seq, duplicate: true };
    }
    const expectedLast = headerValue(headers, 'Nats-Expected-Last-Sequence');
    if (expectedLast !== undefined && Number(expectedLast) !== this.lastSeq) throw new PublishRefused(400, 10071, `wrong last sequence: ${this.lastSeq}`);
    const expectedLastId = headerValue(headers, 'Nats-Expected-Last-Msg-Id');
    if (expectedLastId !== undefined) {
      const last = this.messages.get(this.lastSeq);
      const lastId = last === undefined ? '' : (headerValue(last.headers, 'Nats-Msg-Id') ?? '');
      if (lastId !== expectedLastId) throw new PublishRefused(400, 10070, `wrong last msg ID: ${lastId}`);
    }
    const expectedSubjectSeq = headerValue(headers, 'Nats-Expected-Last-Subject-Sequence');
    if (expectedSubjectSeq !== undefined) {
      const last = this.lastOnSubject(subject);
      if (Number(expectedSubjectSeq) !== (last?.seq ?? 0)) throw new PublishRefused(400, 10071, `wrong last sequence: ${last?.seq ?? 0}`);
    }
    const size = messageSize(subject, headers, data, this.config.storage);
    if (this.config.max_msg_size > 0 && (headers?.length ?? 0) + data.length > this.config.max_msg_size) {
      throw new PublishRefused(400, 10054, 'message size exceeds maximum allowed');
    }
    if (this.config.discard === 'new') {
      if (this.config.max_msgs > 0 && this.seqs.length >= this.config.max_msgs) throw new PublishRefused(503, 10077, 'maximum messages exceeded');
      if (this.config.max_bytes > 0 && this.bytes + size > this.config.max_bytes) throw new PublishRefused(503, 10077, 'maximum bytes exceeded');
    }
    const message: StoredMessage = { seq: this.lastSeq + 1, subject, timeNanos: this.nextTime(), headers, data };
    // Durable before anyone hears of it: the PubAck follows the fsync.
    this.log?.append(message);
    this.lastSeq = message.seq;
    this.index(message);
    if (msgId !== undefined && msgId !== '') this.dedup.set(msgId, { seq: message.seq, atMs: now });
    this.enforceLimits();
    this.enforceAge();
    this.scheduleDedupPrune();
    for (const listener of this.listeners) listener.appended(message);
    return { seq: message.seq, duplicate: false };
  }

  get(seq: number): StoredMessage | undefined {
    return this.messages.get(seq);
  }

  lastOnSubject(subject: string): StoredMessage | undefined {
    for (let i = this.seqs.length - 1; i >= 0; i--) {
      const message = this.messages.get(this.seqs[i] as number) as StoredMessage;
      if (subjectMatches(subject, message.subject)) return message;
    }
    return undefined;
  }

  /** The first message at or after `seq` whose subject matches `filter` (every subject when undefined). */
  next(seq: number, filter: string | undefined): StoredMessage | undefined {
    for (let i = this.indexAtOrAfter(seq); i < this.seqs.length; i++) {
      const message = this.messages.get(this.seqs[i] as number) as StoredMessage;
      if (filter === undefined || subjectMatches(filter, message.subject)) return message;
    }
    return undefined;
  }

  /** How many messages at or after `seq` match `filter`. */
  countFrom(seq: number, filter: string | undefined): number {
    const start = this.indexAtOrAfter(seq);
    if (filter === undefined) return this.seqs.length - start;
    let count = 0;
    for (let i = start; i < this.seqs.length; i++) if (subjectMatches(filter, (this.messages.get(this.seqs[i] as number) as StoredMessage).subject)) count += 1;
    return count;
  }

  /** The first sequence whose time is at or after `timeMs`. */
  seqAtTime(timeMs: number): number {
    const nanos = BigInt(Math.floor(timeMs)) * 1_000_000n;
    for (const seq of this.seqs) if ((this.messages.get(seq) as StoredMessage).timeNanos >= nanos) return seq;
    return this.lastSeq + 1;
  }

  remove(seq: number): boolean {
    const message = this.messages.get(seq);
    if (message === undefined) return false;
    this.log?.remove(seq);
    this.unindex(message);
    return true;
  }

  purge(): number {
    const count = this.seqs.length;
    this.log?.floor(this.lastSeq + 1);
    for (const seq of [...this.seqs]) this.unindex(this.messages.get(seq) as StoredMessage);
    return count;
  }

  state(subjectsFilter?: string): Record<string, unknown> {
    const first = this.messages.get(this.seqs[0] ?? -1);
    const last = this.messages.get(this.lastSeq);
    const state: Record<string, unknown> = {
      messages: this.seqs.length,
      bytes: this.bytes,
      first_seq: first?.seq ?? this.lastSeq + (this.lastSeq > 0 ? 1 : 0),
      first_ts: first === undefined ? ZERO_TIME : isoTime(first.timeNanos),
      last_seq: this.lastSeq,
      last_ts: last === undefined ? (this.lastTimeNanos > 0n ? isoTime(this.lastTimeNanos) : ZERO_TIME) : isoTime(last.timeNanos),
    };
    const deleted = this.seqs.length === 0 ? 0 : this.lastSeq - (first?.seq ?? 0) + 1 - this.seqs.length;
    if (deleted > 0) state['num_deleted'] = deleted;
    if (this.subjectCounts.size > 0) state['num_subjects'] = this.subjectCounts.size;
    if (subjectsFilter !== undefined && subjectsFilter !== '') {
      const subjects: Record<string, number> = {};
      for (const [subject, count] of this.subjectCounts) if (subjectMatches(subjectsFilter, subject)) subjects[subject] = count;
      if (Object.keys(subjects).length > 0) state['subjects'] = subjects;
    }
    return state;
  }

  /** Stops timers and closes the log; `destroy` also deletes the files. */
  close(destroy = false): void {
    clearTimeout(this.expiryTimer);
    clearTimeout(this.dedupTimer);
    this.log?.close();
    if (destroy && this.dir !== undefined) StreamLog.destroy(this.dir);
  }

  private saveMeta(): void {
    if (this.dir === undefined) return;
    const file = path.join(this.dir, 'stream.json');
    writeFileSync(`${file}.tmp`, JSON.stringify({ config: this.config, created: this.created }));
    renameSync(`${file}.tmp`, file);
  }

  private index(message: StoredMessage): void {
    this.messages.set(message.seq, message);
    if (this.seqs.length === 0 || (this.seqs[this.seqs.length - 1] as number) < message.seq) this.seqs.push(message.seq);
    else this.seqs.splice(this.indexAtOrAfter(message.seq), 0, message.seq);
    this.subjectCounts.set(message.subject, (this.subjectCounts.get(message.subject) ?? 0) + 1);
    this.bytes += messageSize(message.subject, message.headers, message.data, this.config.storage);
    if (message.timeNanos > this.lastTimeNanos) this.lastTimeNanos = message.timeNanos;
  }

  private unindex(message: StoredMessage): void {
    this.messages.delete(message.seq);
    const at = this.indexAtOrAfter(message.seq);
    if (this.seqs[at] === message.seq) this.seqs.splice(at, 1);
    const count = (this.subjectCounts.get(message.subject) ?? 1) - 1;
    if (count === 0) this.subjectCounts.delete(message.subject);
    else this.subjectCounts.set(message.subject, count);
    this.bytes -= messageSize(message.subject, message.headers, message.data, this.config.storage);
    for (const listener of this.listeners) listener.removed(message);
  }

  private indexAtOrAfter(seq: number): number {
    let low = 0;
    let high = this.seqs.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.seqs[middle] as number) < seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Discard old: the oldest messages go until the stream is within its limits. */
  private enforceLimits(): void {
    const { max_msgs: maxMsgs, max_bytes: maxBytes, max_msgs_per_subject: perSubject } = this.config;
    let floor = 0;
    while (this.seqs.length > 0 && ((maxMsgs > 0 && this.seqs.length > maxMsgs) || (maxBytes > 0 && this.bytes > maxBytes))) {
      const oldest = this.messages.get(this.seqs[0] as number) as StoredMessage;
      floor = oldest.seq + 1;
      this.unindex(oldest);
    }
    if (floor > 0) this.log?.floor(floor);
    if (perSubject > 0) {
      for (const [subject, count] of [...this.subjectCounts]) {
        for (let extra = count - perSubject; extra > 0; extra--) {
          const oldest = this.next(0, subject) as StoredMessage;
          this.remove(oldest.seq);
        }
      }
    }
  }

  private enforceAge(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const maxAgeMs = this.config.max_age / 1e6;
    if (!(maxAgeMs > 0)) return;
    const cutoff = BigInt(Date.now() - Math.floor(maxAgeMs)) * 1_000_000n;
    let floor = 0;
    while (this.seqs.length > 0) {
      const oldest = this.messages.get(this.seqs[0] as number) as StoredMessage;
      if (oldest.timeNanos > cutoff) break;
      floor = oldest.seq + 1;
      this.unindex(oldest);
    }
    if (floor > 0) this.log?.floor(floor);
    const oldest = this.messages.get(this.seqs[0] ?? -1);
    if (oldest === undefined) return;
    const dueMs = Number(oldest.timeNanos / 1_000_000n) + maxAgeMs - Date.now();
    this.expiryTimer = setTimeout(() => this.enforceAge(), Math.max(1, Math.ceil(dueMs)));
    this.expiryTimer.unref();
  }

  private pruneDedup(nowMs: number): void {
    const windowMs = this.config.duplicate_window / 1e6;
    for (const [id, seen] of this.dedup) {
      // Insertion order is time order: the first one still inside the window ends the sweep.
      if (nowMs - seen.atMs < windowMs) break;
      this.dedup.delete(id);
    }
  }

  private scheduleDedupPrune(): void {
    if (this.dedupTimer !== undefined) return;
    this.dedupTimer = setTimeout(() => {
      this.dedupTimer = undefined;
      this.pruneDedup(Date.now());
      if (this.dedup.size > 0) this.scheduleDedupPrune();
    }, 1_000);
    this.dedupTimer.unref();
  }

  private nextTime(): bigint {
    const [seconds, nanos] = process.hrtime();
    const sub = BigInt((seconds * 1e9 + nanos) % 1e6);
    const now = BigInt(Date.now()) * 1_000_000n + sub;
    // Strictly increasing, so that by_start_time and the ack subject's timestamp keep publish order.
    this.lastTimeNanos = now > this.lastTimeNanos ? now : this.lastTimeNanos + 1n;
    return this.lastTimeNanos;
  }
}

/** nats-server's stored size of a message: subject, headers, data, and its store's record overhead. */
export function messageSize(subject: string, headers: Buffer | undefined, data: Buffer, storage = 'file'): number {
  const hdr = headers?.length ?? 0;
  if (storage === 'memory') return Buffer.byteLength(subject) + hdr + data.length + 16;
  return 22 + Buffer.byteLength(subject) + hdr + data.length + 8 + (hdr > 0 ? 4 : 0);
}

export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC 3339 with nanoseconds, as Go prints times. */
export function isoTime(nanos: bigint): string {
  const ms = nanos / 1_000_000n;
  const rest = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(ms)).toISOString().slice(0, 19)}.${rest}Z`;
}
