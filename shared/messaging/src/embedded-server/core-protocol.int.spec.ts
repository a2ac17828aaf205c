import { connect as tcpConnect } from 'node:net';
import { rejection } from '@arrears/testing';
import { connect, ErrorCode, headers, StringCodec, type Msg, type NatsConnection } from 'nats';
import { natsUrl } from '../nats-connection';
import { startEmbeddedNatsServer, type EmbeddedNatsServer } from './embedded-nats-server';

const sc = StringCodec();

/** The same expectations against both: what the embedded server does is what nats-server does. */
const TARGETS: [string, string | undefined][] = [
  ['the embedded server', undefined],
  ['nats-server at NATS_URL (the reference)', natsUrl()],
];

// The core NATS protocol, spoken to by the same `nats` client the services use.
describe.each(TARGETS)('core protocol on %s', (_, url) => {
  let embedded: EmbeddedNatsServer | undefined;
  let server: { port: number; host: string };
  let a: NatsConnection;
  let b: NatsConnection;
  const unique = Math.random().toString(36).slice(2, 8);
  const subject = (name: string) => `core-spec.${unique}.${name}`;

  beforeAll(async () => {
    embedded = url === undefined ? await startEmbeddedNatsServer() : undefined;
    const address = new URL((embedded?.url ?? (url as string)).replace(/^nats:/, 'http:'));
    server = { port: Number(address.port), host: address.hostname };
    a = await connect({ servers: embedded?.url ?? url });
    b = await connect({ servers: embedded?.url ?? url });
  });

  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await embedded?.close();
  });

  it('announces headers, JetStream and a 1 MiB payload limit (the embedded one as nats-server 2.9.10, the client picks its API by it)', () => {
    expect(a.info).toMatchObject({ proto: 1, headers: true, jetstream: true, max_payload: 1_048_576 });
    if (embedded !== undefined) expect(a.info?.version).toBe('2.9.10');
  });

  it('delivers to exact, `*` and `>` subscriptions, with headers, and not to others', async () => {
    const got: Record<string, string[]> = { exact: [], star: [], tail: [], other: [] };
    const record = (name: string) => (_: unknown, msg: Msg) => got[name]?.push(`${msg.subject}:${sc.decode(msg.data)}:${msg.headers?.get('X-Trace') ?? ''}`);
    b.subscribe(subject('orders.eu.created'), { callback: record('exact') });
    b.subscribe(subject('orders.*.created'), { callback: record('star') });
    b.subscribe(subject('orders.>'), { callback: record('tail') });
    b.subscribe(subject('orders.*'), { callback: record('other') });
    await b.flush();
    const h = headers();
    h.set('X-Trace', 't-1');
    a.publish(subject('orders.eu.created'), sc.encode('1'), { headers: h });
    a.publish(subject('orders.us.created.late'), sc.encode('2'));
    await a.flush();
    await b.flush();
    const [eu, late] = [subject('orders.eu.created'), subject('orders.us.created.late')];
    expect(got).toEqual({
      exact: [`${eu}:1:t-1`],
      star: [`${eu}:1:t-1`],
      tail: [`${eu}:1:t-1`, `${late}:2:`],
      other: [],
    });
  });

  it('answers a request through the requester\'s inbox', async () => {
    b.subscribe(subject('echo'), { callback: (_, msg) => msg.respond(sc.encode(`echo ${sc.decode(msg.data)}`)) });
    await b.flush();
    expect(sc.decode((await a.request(subject('echo'), sc.encode('hi'), { timeout: 2_000 })).data)).toBe('echo hi');
  });

  it('gives each message of a queue group to one member, and to every plain subscriber', async () => {
    const counts = { q1: 0, q2: 0, plain: 0 };
    b.subscribe(subject('work'), { queue: 'workers', callback: () => (counts.q1 += 1) });
    a.subscribe(subject('work'), { queue: 'workers', callback: () => (counts.q2 += 1) });
    b.subscribe(subject('work'), { callback: () => (counts.plain += 1) });
    await Promise.all([a.flush(), b.flush()]);
    for (let i = 0; i < 40; i++) a.publish(subject('work'), sc.encode(String(i)));
    await a.flush();
    await b.flush();
    expect(counts.q1 + counts.q2).toBe(40);
    expect(counts.plain).toBe(40);
    expect(counts.q1).toBeGreaterThan(0);
    expect(counts.q2).toBeGreaterThan(0);
  });

  it('ends a subscription after the number of messages given to UNSUB', async () => {
    const got: string[] = [];
    const sub = b.subscribe(subject('limited'), { max: 2, callback: (_, msg) => got.push(sc.decode(msg.data)) });
    await b.flush();
    for (const text of ['1', '2', '3']) a.publish(subject('limited'), sc.encode(text));
    await a.flush();
    await b.flush();
    expect(got).toEqual(['1', '2']);
    expect(sub.isClosed()).toBe(true);
  });

  it('tells a requester at once that nobody listens (503 no responders)', async () => {
    const started = Date.now();
    const error = (await rejection(a.request(subject('nobody.listens'), sc.encode('?'), { timeout: 5_000 }))) as { code: string };
    expect(error.code).toBe(ErrorCode.NoResponders);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a payload over max_payload and closes that connection, as nats-server does', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = tcpConnect({ port: server.port, host: server.host });
      let text = '';
      socket.on('data', (data) => (text += data.toString()));
      socket.on('error', reject);
      const giveUp = setTimeout(() => socket.destroy(), 3_000);
      socket.on('close', () => {
        clearTimeout(giveUp);
        resolve(text);
      });
      socket.write('CONNECT {"verbose":false}\r\n');
      socket.write(`PUB too.big ${2 * 1024 * 1024}\r\n`);
    });
    expect(reply).toMatch(/^INFO /);
    expect(reply).toContain("-ERR 'Maximum Payload Violation'");
    // The client knows the limit from INFO and refuses before sending.
    expect(() => a.publish('too.big', new Uint8Array(1_048_577))).toThrow(/MAX_PAYLOAD_EXCEEDED|payload/i);
  });

  it('answers PING with PONG and acknowledges every operation in verbose mode', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = tcpConnect({ port: server.port, host: server.host });
      let text = '';
      socket.on('data', (data) => {
        text += data.toString();
        if (text.includes('PONG')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
      socket.write(`CONNECT {"verbose":true}\r\nSUB ${subject('x')} 1\r\nPUB ${subject('x')} 2\r\nhi\r\nPING\r\n`);
    });
    expect(reply.split('\r\n').slice(1)).toEqual(['+OK', '+OK', '+OK', `MSG ${subject('x')} 1 2`, 'hi', 'PONG', '']);
  });
});
