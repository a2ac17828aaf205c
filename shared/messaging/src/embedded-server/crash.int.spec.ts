import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, nanos, StorageType, StringCodec } from 'nats';

const sc = StringCodec();
const SERVE = path.join(__dirname, 'serve.ts');

/** serve.ts in a process of its own, so that it can be killed without a chance to clean up. */
async function serve(storeDir: string, port = 0): Promise<{ child: ChildProcess; url: string; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, '--port', String(port), '--store', storeDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = /NATS_URL=(\S+)/.exec(text);
      if (found) resolve(found[1] as string);
    });
    child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`serve.ts exited with ${code}: ${text}`)));
  });
  return { child, url, port: Number(new URL(url.replace('nats:', 'http:')).port) };
}

// JetStream's promise with `sync_interval: always`: a publish that got its PubAck survives a SIGKILL.
describe('embedded NATS server: a crash', () => {
  let storeDir: string;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    storeDir = await mkdtemp(path.join(tmpdir(), 'arrears-embedded-crash-'));
  });

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await rm(storeDir, { recursive: true, force: true });
  });

  it('loses no acknowledged publish and forgets no message id when the server is SIGKILLed', async () => {
    const first = await serve(storeDir);
    children.push(first.child);
    const nc = await connect({ servers: first.url, reconnect: false });
    await (await nc.jetstreamManager()).streams.add({ name: 'CRASH', subjects: ['crash.>'], storage: StorageType.File, duplicate_window: nanos(60_000) });
    const js = nc.jetstream();
    for (let i = 1; i <= 200; i++) await js.publish('crash.event', sc.encode(String(i)), { msgID: `event-${i}` });
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    await nc.close().catch(() => undefined);

    const second = await serve(storeDir, first.port);
    children.push(second.child);
    const again = await connect({ servers: second.url });
    try {
      expect((await (await again.jetstreamManager()).streams.info('CRASH')).state).toMatchObject({ messages: 200, first_seq: 1, last_seq: 200 });
      expect(await again.jetstream().publish('crash.event', sc.encode('200'), { msgID: 'event-200' })).toMatchObject({ seq: 200, duplicate: true });
    } finally {
      await again.close();
    }
  }, 60_000);
});
