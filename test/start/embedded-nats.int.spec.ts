import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { AckPolicy, connect, nanos, StorageType, StringCodec } from 'nats';
import { homeLayout, prepareHome, type HomeLayout } from '../../scripts/start/home';
import { startEmbeddedNats } from '../../scripts/start/infrastructure';
import { Output } from '../../scripts/start/output';

const sc = StringCodec();

// What `npm start` does without nats-server: the embedded server in the launcher, its store in the home.
describe('npm start with the embedded NATS server', () => {
  let root: string;
  let layout: HomeLayout;
  const said: string[] = [];
  const output = new Output(8, new Writable({ write: (chunk: Buffer, _encoding, done) => (said.push(chunk.toString()), done()) }), {});

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'arrears-home-'));
    layout = homeLayout(root);
    prepareHome(layout);
  });

  afterEach(() => rm(root, { recursive: true, force: true }));

  const start = (natsPort?: number) => startEmbeddedNats({ layout, state: natsPort === undefined ? {} : { natsPort }, repoRoot: process.cwd(), output, halted: new Promise(() => undefined) });

  it('keeps streams and durable consumers in ARREARS_HOME/nats-embedded from one start to the next', async () => {
    const first = await start();
    expect(said.join('')).toContain(`the embedded NATS server (in this process) with JetStream on 127.0.0.1:${first.port}, its store in ${layout.embeddedNats}`);
    const nc = await connect({ servers: first.url });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'EVENTS', subjects: ['evt.>'], storage: StorageType.File });
    await nc.jetstream().publish('evt.one', sc.encode('kept'), { msgID: 'one' });
    await jsm.consumers.add('EVENTS', { durable_name: 'reader', ack_policy: AckPolicy.Explicit, ack_wait: nanos(30_000) });
    await nc.close();
    expect(await first.part.stop()).toBe(true);

    const second = await start(first.port);
    expect(second.port).toBe(first.port);
    const again = await connect({ servers: second.url });
    try {
      const consumer = await again.jetstream().consumers.get('EVENTS', 'reader');
      const got: string[] = [];
      for await (const msg of await consumer.fetch({ max_messages: 1, expires: 2_000 })) got.push(msg.string());
      expect(got).toEqual(['kept']);
    } finally {
      await again.close();
      await second.part.stop();
    }
  });
});
