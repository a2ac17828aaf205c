import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '@arrears/testing';
import { AckPolicy, connect, DeliverPolicy, headers, nanos, StorageType, StringCodec, type JetStreamClient, type JetStreamManager, type JsMsg, type NatsConnection } from 'nats';
import { natsUrl } from '../nats-connection';
import { startEmbeddedNatsServer, type EmbeddedNatsServer } from './embedded-nats-server';

const sc = StringCodec();

interface Session {
  readonly url: string;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  end(): Promise<void>;
}

/** A connection to a new embedded server, or (given `url`) to a running NATS server, which is left running. */
async function session(options: { storeDir?: string; port?: number; url?: string } = {}): Promise<Session & { readonly server?: EmbeddedNatsServer; readonly port: number }> {
  const server = options.url === undefined ? await startEmbeddedNatsServer(options) : undefined;
  const url = server?.url ?? (options.url as string);
  const nc = await connect({ servers: url });
  return {
    url,
    ...(server !== undefined ? { server } : {}),
    port: server?.port ?? 0,
    nc,
    js: nc.jetstream(),
    jsm: await nc.jetstreamManager(),
    end: async () => {
      await nc.close();
      await server?.close();
    },
  };
}

/** The same expectations against both: what the embedded server does is what nats-server does. */
const TARGETS: [string, string | undefined][] = [
  ['the embedded server', undefined],
  ['nats-server at NATS_URL (the reference)', natsUrl()],
];
const RUN = Math.random().toString(36).slice(2, 8);

async function fetchAll(js: JetStreamClient, stream: string, durable: string, max: number, expires = 1_000): Promise<JsMsg[]> {
  const consumer = await js.consumers.get(stream, durable);
  const got: JsMsg[] = [];
  for await (const msg of await consumer.fetch({ max_messages: max, expires })) got.push(msg);
  return got;
}

const bodies = (msgs: readonly JsMsg[]) => msgs.map((msg) => msg.string());

// JetStream's guarantees as the platform uses them, through the `nats` client.
describe.each(TARGETS)('JetStream on %s', (_, url) => {
  let s: Session;
  let n = 0;
  let stream: string;
  let root: string;

  beforeAll(async () => {
    s = await session(url === undefined ? {} : { url });
  });

  afterAll(() => s.end());

  beforeEach(async () => {
    n += 1;
    stream = `EMBEDDED_SPEC_${RUN}_${n}`;
    root = `embedded-spec-${RUN}-${n}`;
    await s.jsm.streams.add({ name: stream, subjects: [`${root}.>`], storage: StorageType.File, duplicate_window: nanos(60_000) });
  });

  afterEach(() => s.jsm.streams.delete(stream).catch(() => undefined));

  const subject = (tail = 'event') => `${root}.${tail}`;
  const durable = (name: string, config: Record<string, unknown> = {}) =>
    s.jsm.consumers.add(stream, { durable_name: name, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ack_wait: nanos(30_000), ...config });
  const publish = async (...texts: string[]) => {
    for (const text of texts) await s.js.publish(subject(), sc.encode(text));
  };

  it('stores a message id once within the duplicate window, and says so on the PubAck', async () => {
    const first = await s.js.publish(subject(), sc.encode('a'), { msgID: 'event-1' });
    const again = await s.js.publish(subject(), sc.encode('a, again'), { msgID: 'event-1' });
    const other = await s.js.publish(subject(), sc.encode('b'), { msgID: 'event-2' });
    expect([first, again, other].map((ack) => [ack.stream, ack.seq, ack.duplicate])).toEqual([
      [stream, 1, false],
      [stream, 1, true],
      [stream, 2, false],
    ]);
    expect((await s.jsm.streams.info(stream)).state).toMatchObject({ messages: 2, first_seq: 1, last_seq: 2 });
  });

  it('creates a stream again with the same configuration as a no-op, and refuses another configuration under its name', async () => {
    await publish('kept');
    const same = { name: stream, duplicate_window: nanos(60_000), storage: StorageType.File, subjects: [`${root}.>`] };
    expect((await s.jsm.streams.add(same)).state.messages).toBe(1);
    await expect(s.jsm.streams.add({ ...same, max_msgs: 5 })).rejects.toThrow('stream name already in use with a different configuration');
  });

  it('refuses a publish whose Nats-Expected-Last-Sequence is not the stream\'s', async () => {
    await publish('a');
    await expect(s.js.publish(subject(), sc.encode('b'), { expect: { lastSequence: 5 } })).rejects.toThrow(/wrong last sequence: 1/);
    expect((await s.js.publish(subject(), sc.encode('b'), { expect: { lastSequence: 1 } })).seq).toBe(2);
  });

  it('hands out a durable pull consumer\'s messages in stream order, only those its filter takes', async () => {
    await s.js.publish(subject('keep'), sc.encode('1'));
    await s.js.publish(subject('skip'), sc.encode('x'));
    await s.js.publish(subject('keep'), sc.encode('2'));
    await s.js.publish(subject('keep'), sc.encode('3'));
    await durable('reader', { filter_subject: subject('keep') });
    const first = await fetchAll(s.js, stream, 'reader', 2);
    expect(bodies(first)).toEqual(['1', '2']);
    expect(first.map((msg) => [msg.seq, msg.info.deliverySequence, msg.info.pending])).toEqual([
      [1, 1, 2],
      [3, 2, 1],
    ]);
    const info = await s.jsm.consumers.info(stream, 'reader');
    expect(info).toMatchObject({ num_pending: 1, num_ack_pending: 2, delivered: { consumer_seq: 2, stream_seq: 3 } });
    first.forEach((msg) => msg.ack());
    expect(bodies(await fetchAll(s.js, stream, 'reader', 5))).toEqual(['3']);
  });

  it('ends a fetch that finds nothing when it expires (408), with no message', async () => {
    await durable('idle');
    const started = Date.now();
    expect(await fetchAll(s.js, stream, 'idle', 10, 1_000)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_900);
  });

  it('settles each delivery as told: ack, nak (redelivered at once), term (never again)', async () => {
    await publish('acked', 'naked', 'termed');
    await durable('settler', { ack_wait: nanos(30_000) });
    const [acked, naked, termed] = await fetchAll(s.js, stream, 'settler', 3);
    expect(await acked?.ackAck()).toBe(true);
    naked?.nak();
    termed?.term();
    const again = await fetchAll(s.js, stream, 'settler', 3);
    expect(again.map((msg) => [msg.string(), msg.info.deliveryCount, msg.info.redelivered])).toEqual([['naked', 2, true]]);
    again[0]?.ack();
    await eventually(async () => expect(await s.jsm.consumers.info(stream, 'settler')).toMatchObject({ num_ack_pending: 0, ack_floor: { stream_seq: 3 } }));
  });

  it('redelivers what is not acknowledged within ack_wait, counting the deliveries', async () => {
    await publish('slow');
    await durable('forgetful', { ack_wait: nanos(1_000) });
    const [first] = await fetchAll(s.js, stream, 'forgetful', 1);
    expect(first?.info.deliveryCount).toBe(1);
    // Redelivered once ack_wait has passed; nats-server's redelivery timer may take a while beyond it, so wait longer.
    expect(await fetchAll(s.js, stream, 'forgetful', 1, 4_000)).toHaveLength(1);
    const info = await s.jsm.consumers.info(stream, 'forgetful');
    expect(info).toMatchObject({ num_ack_pending: 1, num_redelivered: 1 });
  });

  it('does not redeliver a message whose handler says it is still working (+WPI), and does once it stops', async () => {
    await publish('long job');
    await durable('worker', { ack_wait: nanos(1_000) });
    const [job] = await fetchAll(s.js, stream, 'worker', 1);
    const keepAlive = setInterval(() => job?.working(), 300);
    try {
      expect(await fetchAll(s.js, stream, 'worker', 1, 2_000)).toEqual([]);
    } finally {
      clearInterval(keepAlive);
    }
    const [redelivered] = await fetchAll(s.js, stream, 'worker', 1, 2_000);
    expect(redelivered?.info.deliveryCount).toBe(2);
  });

  it('waits a nak\'s delay before redelivering', async () => {
    await publish('later');
    await durable('patient', { ack_wait: nanos(30_000) });
    const [msg] = await fetchAll(s.js, stream, 'patient', 1);
    const nakedAt = Date.now();
    msg?.nak(1_200);
    const [again] = await fetchAll(s.js, stream, 'patient', 1, 3_000);
    expect(again?.string()).toBe('later');
    expect(Date.now() - nakedAt).toBeGreaterThanOrEqual(1_100);
  });

  it('stops after max_deliver deliveries', async () => {
    await publish('poison');
    await durable('capped', { ack_wait: nanos(300), max_deliver: 2 });
    const seen: number[] = [];
    const consumer = await s.js.consumers.get(stream, 'capped');
    for (let round = 0; round < 3; round++) {
      for await (const msg of await consumer.fetch({ max_messages: 1, expires: 1_000 })) seen.push(msg.info.deliveryCount);
    }
    expect(seen).toEqual([1, 2]);
    expect(await s.jsm.consumers.info(stream, 'capped')).toMatchObject({ num_ack_pending: 0, num_pending: 0 });
  });

  it('holds back new messages at max_ack_pending until one is acknowledged', async () => {
    await publish('1', '2');
    await durable('one-at-a-time', { max_ack_pending: 1, ack_wait: nanos(30_000) });
    const first = await fetchAll(s.js, stream, 'one-at-a-time', 2);
    expect(bodies(first)).toEqual(['1']);
    first[0]?.ack();
    expect(bodies(await fetchAll(s.js, stream, 'one-at-a-time', 2))).toEqual(['2']);
  });

  it('resumes a durable consumer, from another connection, after what was acknowledged', async () => {
    await publish('1', '2', '3', '4', '5');
    await durable('resumable');
    for (const msg of await fetchAll(s.js, stream, 'resumable', 3)) await msg.ackAck();
    const other = await connect({ servers: s.url });
    try {
      expect(bodies(await fetchAll(other.jetstream(), stream, 'resumable', 10))).toEqual(['4', '5']);
    } finally {
      await other.close();
    }
  });

  it('starts consumers where their deliver policy says', async () => {
    await publish('1', '2', '3');
    await durable('from-new', { deliver_policy: DeliverPolicy.New });
    await durable('from-2', { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: 2 });
    await durable('from-last', { deliver_policy: DeliverPolicy.Last });
    await publish('4');
    expect(bodies(await fetchAll(s.js, stream, 'from-new', 10))).toEqual(['4']);
    expect(bodies(await fetchAll(s.js, stream, 'from-2', 10))).toEqual(['2', '3', '4']);
    expect(bodies(await fetchAll(s.js, stream, 'from-last', 10))).toEqual(['3', '4']);
  });

  it('reads a stream with an ordered consumer and deletes a message by sequence', async () => {
    await publish('1', '2', '3');
    await s.jsm.streams.deleteMessage(stream, 2, false);
    const reader = await s.js.consumers.get(stream);
    const got = bodies(await collect(await reader.fetch({ max_messages: 2, expires: 2_000 })));
    expect(got).toEqual(['1', '3']);
    await expect(s.jsm.streams.deleteMessage(stream, 2, false)).rejects.toThrow(/sequence 2 not found/);
  });

  it('drops messages older than max_age', async () => {
    // nats-server refuses a duplicate window longer than max_age.
    await expect(s.jsm.streams.update(stream, { subjects: [`${root}.>`], max_age: nanos(500) })).rejects.toThrow('duplicates window can not be larger then max age');
    await s.jsm.streams.update(stream, { subjects: [`${root}.>`], max_age: nanos(500), duplicate_window: nanos(500) });
    await publish('old');
    await eventually(async () => expect((await s.jsm.streams.info(stream)).state).toMatchObject({ messages: 0, last_seq: 1 }), { timeoutMs: 3_000 });
  });

  it('keeps at most max_msgs, discarding the oldest', async () => {
    await s.jsm.streams.update(stream, { subjects: [`${root}.>`], max_msgs: 2 });
    await publish('1', '2', '3');
    expect((await s.jsm.streams.info(stream)).state).toMatchObject({ messages: 2, first_seq: 2, last_seq: 3 });
  });

  it('answers raw pull requests with the status messages nats-server 2.9 sends (404, 408 with what is left, 100 heartbeats)', async () => {
    await publish('only');
    await durable('raw');
    const inbox = `_INBOX.raw-${n}`;
    const seen: string[] = [];
    const sub = s.nc.subscribe(inbox, {
      callback: (_, msg) => {
        const status = msg.headers?.code ? `${msg.headers.code} ${msg.headers.description}` : `msg ${msg.string()}`;
        const left = msg.headers?.get('Nats-Pending-Messages');
        seen.push(left ? `${status} left=${left}` : status);
      },
    });
    const next = (request: Record<string, unknown>) => s.nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.raw`, sc.encode(JSON.stringify(request)), { reply: inbox });
    next({ batch: 5, no_wait: true });
    await eventually(() => expect(seen).toEqual(['msg only', '408 Request Timeout left=4']));
    next({ batch: 1, no_wait: true });
    await eventually(() => expect(seen.slice(2)).toEqual(['404 No Messages']));
    next({ batch: 2, expires: nanos(1_300), idle_heartbeat: nanos(500) });
    await eventually(() => expect(seen.slice(3)).toEqual(['100 Idle Heartbeat', '100 Idle Heartbeat', '408 Request Timeout left=2']), { timeoutMs: 3_000 });
    sub.unsubscribe();
  });

  it('words API errors as nats-server does, and leaves a pull for a missing consumer unanswered as it does', async () => {
    await expect(s.jsm.consumers.info(stream, 'nobody')).rejects.toThrow('consumer not found');
    await expect(s.jsm.streams.info('NO_SUCH_STREAM')).rejects.toThrow('stream not found');
    const reply = await s.nc.request(`$JS.API.CONSUMER.MSG.NEXT.${stream}.nobody`, sc.encode('{"batch":1}'), { timeout: 1_000 }).catch((error: { code: string }) => error.code);
    expect(reply).toBe('TIMEOUT');
  });
});

describe('embedded NATS server: persistence', () => {
  let storeDir: string;

  beforeEach(async () => {
    storeDir = await mkdtemp(path.join(tmpdir(), 'arrears-embedded-nats-'));
  });

  afterEach(() => rm(storeDir, { recursive: true, force: true }));

  it('keeps streams, de-duplication and durable consumers across a restart, and redelivers what was not acknowledged', async () => {
    const first = await session({ storeDir });
    const port = first.port;
    await first.jsm.streams.add({ name: 'KEPT', subjects: ['kept.>'], storage: StorageType.File, duplicate_window: nanos(60_000) });
    for (const id of ['e1', 'e2', 'e3']) await first.js.publish('kept.event', sc.encode(id), { msgID: id });
    await first.jsm.consumers.add('KEPT', { durable_name: 'reader', ack_policy: AckPolicy.Explicit, ack_wait: nanos(1_000) });
    const delivered = await fetchAll(first.js, 'KEPT', 'reader', 2);
    expect(bodies(delivered)).toEqual(['e1', 'e2']);
    await delivered[0]?.ackAck();
    await first.end();

    const second = await session({ storeDir, port });
    try {
      expect((await second.jsm.streams.info('KEPT')).state).toMatchObject({ messages: 3, first_seq: 1, last_seq: 3 });
      expect(await second.js.publish('kept.event', sc.encode('e3'), { msgID: 'e3' })).toMatchObject({ seq: 3, duplicate: true });
      expect(await second.jsm.consumers.info('KEPT', 'reader')).toMatchObject({ num_ack_pending: 1, num_pending: 1, ack_floor: { stream_seq: 1 } });
      // e2 was delivered and never acknowledged: it comes again once its ack wait is over, then e3.
      const after = await fetchAll(second.js, 'KEPT', 'reader', 2, 3_000);
      expect(after.map((msg) => [msg.string(), msg.info.deliveryCount])).toEqual([
        ['e3', 1],
        ['e2', 2],
      ]);
    } finally {
      await second.end();
    }
  });

  it('keeps a message deleted and the last sequence after a restart', async () => {
    const first = await session({ storeDir });
    const port = first.port;
    await first.jsm.streams.add({ name: 'GAPS', subjects: ['gaps.>'], storage: StorageType.File });
    for (const text of ['1', '2', '3']) await first.js.publish('gaps.x', sc.encode(text));
    await first.jsm.streams.deleteMessage('GAPS', 3, false);
    await first.end();
    const second = await session({ storeDir, port });
    try {
      expect((await second.jsm.streams.info('GAPS')).state).toMatchObject({ messages: 2, last_seq: 3 });
      expect((await second.js.publish('gaps.x', sc.encode('4'))).seq).toBe(4);
    } finally {
      await second.end();
    }
  });

  it('keeps nothing of a memory stream across a restart', async () => {
    const first = await session({ storeDir });
    const port = first.port;
    await first.jsm.streams.add({ name: 'VOLATILE', subjects: ['volatile.>'], storage: StorageType.Memory });
    await first.js.publish('volatile.x', sc.encode('gone'));
    await first.end();
    const second = await session({ storeDir, port });
    try {
      await expect(second.jsm.streams.info('VOLATILE')).rejects.toThrow('stream not found');
    } finally {
      await second.end();
    }
  });
});

async function collect(messages: AsyncIterable<JsMsg>): Promise<JsMsg[]> {
  const got: JsMsg[] = [];
  for await (const msg of messages) got.push(msg);
  return got;
}

// A header set by the publisher comes back with the stored message.
describe('embedded NATS server: stored headers', () => {
  it('returns a stored message\'s headers to its consumer', async () => {
    const s = await session();
    try {
      await s.jsm.streams.add({ name: 'H', subjects: ['h.>'] });
      const h = headers();
      h.set('Arrears-Event-Type', 'PromiseBroken');
      await s.js.publish('h.x', sc.encode('{}'), { headers: h, msgID: 'id-1' });
      await s.jsm.consumers.add('H', { durable_name: 'd', ack_policy: AckPolicy.Explicit });
      const [msg] = await fetchAll(s.js, 'H', 'd', 1);
      expect([msg?.headers?.get('Arrears-Event-Type'), msg?.headers?.get('Nats-Msg-Id')]).toEqual(['PromiseBroken', 'id-1']);
    } finally {
      await s.end();
    }
  });
});
