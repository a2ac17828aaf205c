import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Consumer, changedFixedField, normalizeConsumerConfig, type ConsumerHost, type ConsumerSnapshot } from './consumer';
import type { CoreServer, Message } from './core-server';
import { isoTime, normalizeStreamConfig, PublishRefused, Stream, type StreamConfig } from './stream';
import { DEFAULT_SYNC_POLICY, type SyncPolicy } from './stream-log';
import { isValidSubject, subjectIsSubsetOf, subjectsOverlap } from './subjects';

const API = '$JS.API.';
const ACK = '$JS.ACK.';
const TYPE = 'io.nats.jetstream.api.v1.';

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly errCode: number,
    description: string,
  ) {
    super(description);
  }
}

const streamNotFound = () => new ApiError(404, 10059, 'stream not found');
const consumerNotFound = () => new ApiError(404, 10014, 'consumer not found');

/**
 * JetStream on top of the core server: streams take the messages published on their subjects, the `$JS.API.>`
 * requests manage streams and consumers, and `$JS.ACK.>` replies settle deliveries. With a store directory, file
 * streams and their durable consumers are kept on disk and come back at the next start.
 */
export class JetStream {
  private readonly streams = new Map<string, Stream>();
  private readonly consumers = new Map<string, Map<string, Consumer>>();
  private readonly dirty = new Set<Consumer>();
  private flushTimer: NodeJS.Timeout | undefined;
  private apiTotal = 0;
  private apiErrors = 0;
  private readonly host: ConsumerHost;

  constructor(
    private readonly core: CoreServer,
    private readonly storeDir: string | undefined,
    private readonly sync: SyncPolicy = DEFAULT_SYNC_POLICY,
  ) {
    this.host = {
      deliver: (target, message) => core.publishTo(target, message),
      hasInterest: (subject) => core.hasInterest(subject),
      changed: (consumer) => this.markDirty(consumer),
      expire: (consumer) => this.removeConsumer(consumer, false),
      advisory: (subject, body) => core.publish({ subject, payload: Buffer.from(JSON.stringify({ ...body, timestamp: new Date().toISOString() })) }),
    };
    this.load();
    core.intercept((message) => this.take(message));
  }

  /** Saves every durable consumer's state and closes the stream files. */
  close(): void {
    clearTimeout(this.flushTimer);
    this.flush();
    for (const consumers of this.consumers.values()) for (const consumer of consumers.values()) consumer.close(false);
    for (const stream of this.streams.values()) stream.close();
  }

  private take(message: Message): boolean {
    if (message.subject.startsWith(API)) return this.api(message);
    if (message.subject.startsWith(ACK)) return this.ack(message);
    for (const stream of this.streams.values()) {
      if (!stream.captures(message.subject)) continue;
      this.store(stream, message);
      return true;
    }
    return false;
  }

  private store(stream: Stream, message: Message): void {
    let answer: Record<string, unknown>;
    try {
      const outcome = stream.publish(message.subject, message.headers, message.payload);
      answer = { stream: stream.name, seq: outcome.seq, ...(outcome.duplicate ? { duplicate: true } : {}) };
    } catch (error) {
      if (!(error instanceof PublishRefused)) throw error;
      answer = { error: { code: error.code, err_code: error.errCode, description: error.message }, stream: stream.name, seq: 0 };
    }
    if (message.reply !== undefined) this.respond(message.reply, answer);
  }

  private ack(message: Message): boolean {
    // $JS.ACK.<stream>.<consumer>.<deliveries>.<stream seq>.<consumer seq>.<timestamp>.<pending>
    const tokens = message.subject.split('.');
    if (tokens.length !== 9) return false;
    const consumer = this.consumers.get(tokens[2] as string)?.get(tokens[3] as string);
    if (consumer === undefined) return false;
    consumer.acknowledge(Number(tokens[5]), message.payload, message.reply);
    return true;
  }

  private api(message: Message): boolean {
    const tokens = message.subject.slice(API.length).split('.');
    // Like nats-server 2.9, whose JetStream takes all of `$JS.API.>`: a pull for a missing consumer, or an API it
    // does not know, gets no answer at all (the client times out), not "no responders".
    if (tokens[0] === 'CONSUMER' && tokens[1] === 'MSG' && tokens[2] === 'NEXT') {
      const consumer = this.consumers.get(tokens[3] ?? '')?.get(tokens[4] ?? '');
      if (consumer !== undefined && tokens.length === 5) consumer.pull(message.reply, message.payload);
      return true;
    }
    const handled = this.route(tokens);
    if (handled === undefined) return true;
    this.apiTotal += 1;
    let body: Record<string, unknown>;
    try {
      const request = parseRequest(message.payload);
      body = { type: `${TYPE}${handled.type}`, ...handled.run(request) };
    } catch (error) {
      this.apiErrors += 1;
      const failure = error instanceof ApiError ? error : new ApiError(500, 10000, error instanceof Error ? error.message : String(error));
      body = { type: `${TYPE}${handled.type}`, error: { code: failure.code, err_code: failure.errCode, description: failure.message } };
    }
    if (message.reply !== undefined) this.respond(message.reply, body);
    return true;
  }

  private route(tokens: string[]): { type: string; run: (request: Record<string, unknown>) => Record<string, unknown> } | undefined {
    const [kind, action, ...rest] = tokens;
    const name = rest[0] ?? '';
    if (kind === 'INFO' && action === undefined) return { type: 'account_info_response', run: () => this.accountInfo() };
    if (kind === 'STREAM') {
      if (action === 'CREATE' && rest.length === 1) return { type: 'stream_create_response', run: (r) => this.createStream(name, r) };
      if (action === 'UPDATE' && rest.length === 1) return { type: 'stream_update_response', run: (r) => this.updateStream(name, r) };
      if (action === 'INFO' && rest.length === 1) return { type: 'stream_info_response', run: (r) => this.streamInfo(this.stream(name), r) };
      if (action === 'DELETE' && rest.length === 1) return { type: 'stream_delete_response', run: () => this.deleteStream(name) };
      if (action === 'PURGE' && rest.length === 1) return { type: 'stream_purge_response', run: (r) => this.purge(name, r) };
      if (action === 'NAMES' && rest.length === 0) return { type: 'stream_names_response', run: (r) => this.streamNames(r) };
      if (action === 'LIST' && rest.length === 0) return { type: 'stream_list_response', run: (r) => this.streamList(r) };
      if (action === 'MSG' && rest[0] === 'GET' && rest.length === 2) return { type: 'stream_msg_get_response', run: (r) => this.getMessage(rest[1] as string, r) };
      if (action === 'MSG' && rest[0] === 'DELETE' && rest.length === 2) return { type: 'stream_msg_delete_response', run: (r) => this.deleteMessage(rest[1] as string, r) };
      return undefined;
    }
    if (kind === 'CONSUMER') {
      if (action === 'CREATE' && rest.length >= 1) return { type: 'consumer_create_response', run: (r) => this.createConsumer(name, rest[1], rest.length > 2 ? rest.slice(2).join('.') : undefined, r, false) };
      if (action === 'DURABLE' && rest[0] === 'CREATE' && rest.length === 3) return { type: 'consumer_create_response', run: (r) => this.createConsumer(rest[1] as string, rest[2], undefined, r, true) };
      if (action === 'INFO' && rest.length === 2) return { type: 'consumer_info_response', run: () => this.consumer(name, rest[1] as string).info() };
      if (action === 'DELETE' && rest.length === 2) return { type: 'consumer_delete_response', run: () => this.deleteConsumer(name, rest[1] as string) };
      if (action === 'NAMES' && rest.length === 1) return { type: 'consumer_names_response', run: (r) => this.consumerNames(name, r) };
      if (action === 'LIST' && rest.length === 1) return { type: 'consumer_list_response', run: (r) => this.consumerList(name, r) };
    }
    return undefined;
  }

  private respond(reply: string, body: Record<string, unknown>): void {
    this.core.publishTo(reply, { subject: reply, payload: Buffer.from(JSON.stringify(body)) });
  }

  // ---- streams

  private stream(name: string): Stream {
    const stream = this.streams.get(name);
    if (stream === undefined) throw streamNotFound();
    return stream;
  }

  private createStream(name: string, request: Record<string, unknown>): Record<string, unknown> {
    const config = this.validStreamConfig(name, request);
    const existing = this.streams.get(name);
    if (existing !== undefined) {
      if (canonical(existing.config) !== canonical(config)) throw new ApiError(400, 10058, 'stream name already in use with a different configuration');
      return this.streamInfo(existing, {});
    }
    this.checkOverlap(config, undefined);
    const dir = this.storeDir !== undefined && config.storage === 'file' ? path.join(this.storeDir, 'streams', encodeName(name)) : undefined;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    const stream = Stream.open(config, isoTime(BigInt(Date.now()) * 1_000_000n), dir, this.sync);
    this.streams.set(name, stream);
    this.consumers.set(name, new Map());
    return { ...this.streamInfo(stream, {}), did_create: true };
  }

  private updateStream(name: string, request: Record<string, unknown>): Record<string, unknown> {
    const stream = this.stream(name);
    const config = this.validStreamConfig(name, request);
    if (config.storage !== stream.config.storage) throw new ApiError(500, 10052, 'stream configuration update can not change storage type');
    this.checkOverlap(config, name);
    stream.update(config);
    return this.streamInfo(stream, {});
  }

  private validStreamConfig(name: string, request: Record<string, unknown>): StreamConfig {
    if (typeof request['name'] === 'string' && request['name'] !== name) throw new ApiError(400, 10056, 'stream name in subject does not match request');
    if (!/^[^.*>\s]+$/.test(name)) throw new ApiError(400, 10128, 'stream name is required and can not contain \'.\', \'*\', \'>\'');
    const config = normalizeStreamConfig({ ...request, name });
    for (const subject of config.subjects) if (!isValidSubject(subject, true)) throw new ApiError(400, 10052, `invalid subject: ${subject}`);
    if (config.retention !== 'limits') throw new ApiError(400, 10052, `retention ${config.retention} is not supported by the embedded server: only limits`);
    if (config.max_age > 0 && config.duplicate_window > config.max_age) throw new ApiError(500, 10052, 'duplicates window can not be larger then max age');
    return config;
  }

  private checkOverlap(config: StreamConfig, self: string | undefined): void {
    for (const other of this.streams.values()) {
      if (other.name === self) continue;
      if (config.subjects.some((mine) => other.config.subjects.some((theirs) => subjectsOverlap(mine, theirs)))) throw new ApiError(400, 10065, 'subjects overlap with an existing stream');
    }
  }

  private streamInfo(stream: Stream, request: Record<string, unknown>): Record<string, unknown> {
    const filter = typeof request['subjects_filter'] === 'string' ? request['subjects_filter'] : undefined;
    const state: Record<string, unknown> = { ...stream.state(filter), consumer_count: this.consumers.get(stream.name)?.size ?? 0 };
    const subjects = state['subjects'] as Record<string, number> | undefined;
    const total = subjects === undefined ? 0 : Object.keys(subjects).length;
    return { total, offset: 0, limit: total === 0 ? 0 : 100_000, config: stream.config, created: stream.created, state };
  }

  private deleteStream(name: string): Record<string, unknown> {
    const stream = this.stream(name);
    for (const consumer of this.consumers.get(name)?.values() ?? []) this.removeConsumer(consumer, true);
    this.streams.delete(name);
    this.consumers.delete(name);
    stream.close(true);
    return { success: true };
  }

  private purge(name: string, request: Record<string, unknown>): Record<string, unknown> {
    const stream = this.stream(name);
    if (request['filter'] !== undefined || request['seq'] !== undefined || request['keep'] !== undefined) {
      throw new ApiError(400, 10003, 'a partial purge (filter, seq, keep) is not supported by the embedded server');
    }
    return { success: true, purged: stream.purge() };
  }

  private streamNames(request: Record<string, unknown>): Record<string, unknown> {
    const subject = typeof request['subject'] === 'string' ? request['subject'] : undefined;
    const names = [...this.streams.values()].filter((s) => subject === undefined || s.config.subjects.some((mine) => subjectsOverlap(mine, subject))).map((s) => s.name);
    return page(names, request, 1_024, 'streams');
  }

  private streamList(request: Record<string, unknown>): Record<string, unknown> {
    return page([...this.streams.values()].map((stream) => this.streamInfo(stream, {})), request, 256, 'streams');
  }

  private getMessage(name: string, request: Record<string, unknown>): Record<string, unknown> {
    const stream = this.stream(name);
    const bySubject = request['last_by_subj'];
    const found = typeof bySubject === 'string' ? stream.lastOnSubject(bySubject) : typeof request['seq'] === 'number' ? stream.get(request['seq']) : undefined;
    if (found === undefined) throw new ApiError(404, 10037, 'no message found');
    return {
      message: {
        subject: found.subject,
        seq: found.seq,
        ...(found.headers !== undefined ? { hdrs: found.headers.toString('base64') } : {}),
        data: found.data.toString('base64'),
        time: isoTime(found.timeNanos),
      },
    };
  }

  private deleteMessage(name: string, request: Record<string, unknown>): Record<string, unknown> {
    const stream = this.stream(name);
    const seq = Number(request['seq']);
    if (stream.remove(seq)) return { success: true };
    // nats-server 2.9's file store words it by where the sequence lies; its memory store always like a gap.
    const state = stream.state();
    if (stream.config.storage === 'file' && seq > Number(state['last_seq'])) throw new ApiError(500, 10057, 'stream store EOF');
    if (stream.config.storage === 'file' && seq < Number(state['first_seq'])) throw new ApiError(500, 10057, 'no message found');
    throw new ApiError(400, 10043, `sequence ${seq} not found`);
  }

  // ---- consumers

  private consumer(streamName: string, name: string): Consumer {
    this.stream(streamName);
    const consumer = this.consumers.get(streamName)?.get(name);
    if (consumer === undefined) throw consumerNotFound();
    return consumer;
  }

  private createConsumer(streamName: string, subjectName: string | undefined, subjectFilter: string | undefined, request: Record<string, unknown>, durableForm: boolean): Record<string, unknown> {
    const stream = this.stream(streamName);
    if (typeof request['stream_name'] === 'string' && request['stream_name'] !== streamName) throw new ApiError(400, 10056, 'stream name in subject does not match request');
    const given = (request['config'] ?? {}) as Record<string, unknown>;
    const durableName = typeof given['durable_name'] === 'string' && given['durable_name'] !== '' ? given['durable_name'] : undefined;
    const givenName = typeof given['name'] === 'string' && given['name'] !== '' ? given['name'] : undefined;
    if (subjectName !== undefined) {
      if (durableForm ? durableName !== subjectName : (givenName ?? durableName) !== subjectName) throw new ApiError(400, 10016, 'consumer name in subject does not match durable name in request');
    }
    if (subjectFilter !== undefined && subjectFilter !== given['filter_subject']) throw new ApiError(400, 10131, 'Consumer create request did not match filtered subject from create subject');
    if (typeof given['deliver_subject'] === 'string' && given['deliver_subject'] !== '') throw new ApiError(400, 10003, 'push consumers are not supported by the embedded server: use a pull consumer');
    if (given['deliver_policy'] === 'last_per_subject') throw new ApiError(400, 10003, 'deliver policy last_per_subject is not supported by the embedded server');
    if (Array.isArray(given['filter_subjects'])) throw new ApiError(400, 10003, 'filter_subjects needs nats-server 2.10');
    const config = normalizeConsumerConfig(given, durableName !== undefined);
    const filter = config.filter_subject;
    if (filter !== undefined) {
      if (!isValidSubject(filter, true) || !stream.config.subjects.some((subject) => subjectsOverlap(filter, subject) || subjectIsSubsetOf(filter, subject))) {
        throw new ApiError(400, 10093, 'consumer filter subject is not a valid subset of the interest subjects');
      }
    }
    const consumers = this.consumers.get(streamName) as Map<string, Consumer>;
    const existing = consumers.get(config.name);
    if (existing !== undefined) {
      const changed = changedFixedField(existing.config, config);
      if (changed !== undefined) throw new ApiError(400, 10013, `consumer name already in use (its ${changed} differs)`);
      existing.update({ ...config, name: existing.name });
      return existing.info();
    }
    const consumer = new Consumer(stream, config, isoTime(BigInt(Date.now()) * 1_000_000n), this.host);
    consumers.set(consumer.name, consumer);
    this.markDirty(consumer);
    return consumer.info();
  }

  private deleteConsumer(streamName: string, name: string): Record<string, unknown> {
    this.removeConsumer(this.consumer(streamName, name), true);
    return { success: true };
  }

  private removeConsumer(consumer: Consumer, byApi: boolean): void {
    consumer.close(byApi);
    this.consumers.get(consumer.stream.name)?.delete(consumer.name);
    this.dirty.delete(consumer);
    const file = this.consumerFile(consumer);
    if (file !== undefined) rmSync(file, { force: true });
  }

  private consumerNames(streamName: string, request: Record<string, unknown>): Record<string, unknown> {
    this.stream(streamName);
    return page([...(this.consumers.get(streamName)?.keys() ?? [])].sort(), request, 1_024, 'consumers');
  }

  private consumerList(streamName: string, request: Record<string, unknown>): Record<string, unknown> {
    this.stream(streamName);
    const infos = [...(this.consumers.get(streamName)?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name)).map((consumer) => consumer.info());
    return page(infos, request, 256, 'consumers');
  }

  private accountInfo(): Record<string, unknown> {
    let memory = 0;
    let storage = 0;
    let consumers = 0;
    for (const stream of this.streams.values()) {
      const bytes = Number(stream.state()['bytes']);
      if (stream.config.storage === 'memory') memory += bytes;
      else storage += bytes;
      consumers += this.consumers.get(stream.name)?.size ?? 0;
    }
    return {
      memory,
      storage,
      streams: this.streams.size,
      consumers,
      limits: { max_memory: -1, max_storage: -1, max_streams: -1, max_consumers: -1, max_ack_pending: -1, memory_max_stream_bytes: -1, storage_max_stream_bytes: -1, max_bytes_required: false },
      api: { total: this.apiTotal, errors: this.apiErrors },
    };
  }

  // ---- persistence of consumers

  private consumerFile(consumer: Consumer): string | undefined {
    const dir = consumer.stream.directory;
    if (dir === undefined || !consumer.durable || consumer.config['mem_storage'] === true) return undefined;
    return path.join(dir, 'consumers', `${encodeName(consumer.name)}.json`);
  }

  private markDirty(consumer: Consumer): void {
    if (this.consumerFile(consumer) === undefined) return;
    this.dirty.add(consumer);
    // Acks are saved in small batches, as nats-server does: a crash may redeliver, never lose.
    this.flushTimer ??= setTimeout(() => this.flush(), 20);
  }

  private flush(): void {
    this.flushTimer = undefined;
    for (const consumer of this.dirty) {
      const file = this.consumerFile(consumer);
      if (file === undefined || !this.consumers.get(consumer.stream.name)?.has(consumer.name)) continue;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(consumer.snapshot()));
      renameSync(`${file}.tmp`, file);
    }
    this.dirty.clear();
  }

  private load(): void {
    if (this.storeDir === undefined) return;
    mkdirSync(path.join(this.storeDir, 'streams'), { recursive: true });
    for (const saved of Stream.saved(path.join(this.storeDir, 'streams'))) {
      const stream = Stream.open(saved.config, saved.created, saved.dir, this.sync);
      this.streams.set(stream.name, stream);
      const consumers = new Map<string, Consumer>();
      this.consumers.set(stream.name, consumers);
      const dir = path.join(saved.dir, 'consumers');
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
        const snapshot = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ConsumerSnapshot;
        consumers.set(snapshot.config.name, new Consumer(stream, snapshot.config, snapshot.created, this.host, snapshot));
      }
    }
  }
}

/** The same configuration whatever order its fields came in. */
function canonical(config: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(config).sort().map((key) => [key, config[key]]));
}

function parseRequest(payload: Buffer): Record<string, unknown> {
  const text = payload.toString('utf8').trim();
  if (text === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw new ApiError(400, 10025, 'invalid JSON');
  }
}

function page(items: unknown[], request: Record<string, unknown>, limit: number, field: string): Record<string, unknown> {
  const offset = typeof request['offset'] === 'number' && request['offset'] > 0 ? request['offset'] : 0;
  return { total: items.length, offset, limit, [field]: items.slice(offset, offset + limit) };
}

/** Stream and consumer names may hold characters a file name may not. */
function encodeName(name: string): string {
  return encodeURIComponent(name).replace(/\*/g, '%2A');
}
