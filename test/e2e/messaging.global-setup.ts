// The end-to-end suite runs on either messaging server (issue 10): the machine's nats-server (NATS_URL, default
// 127.0.0.1:4222), or, with ARREARS_E2E_NATS=embedded (`npm run test:e2e:embedded-nats`), the embedded NATS server
// in @arrears/messaging — the one `npm start` runs when no nats-server is installed. It runs in a process of its own
// with its data in a throwaway directory; every test reads NATS_URL (natsUrl()), and hands it to what it starts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const STARTED_WITHIN_MS = 30_000;

interface Running {
  readonly child: ChildProcess;
  readonly storeDir: string;
}

const RUNNING = Symbol.for('arrears.e2e.embedded-nats');
const registry = globalThis as unknown as Record<symbol, Running | undefined>;

export default async function startMessaging(): Promise<void> {
  const choice = process.env.ARREARS_E2E_NATS;
  if (choice === undefined || choice === '' || choice === 'nats-server') return;
  if (choice !== 'embedded') throw new Error(`ARREARS_E2E_NATS must be "embedded" or "nats-server", not "${choice}"`);
  const root = path.resolve(__dirname, '../..');
  const storeDir = mkdtempSync(path.join(os.tmpdir(), 'arrears-e2e-nats-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'shared/messaging/src/embedded-server/serve.ts'), '--store', storeDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the embedded NATS server did not start within ${STARTED_WITHIN_MS} ms`)), STARTED_WITHIN_MS);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^NATS_URL=(\S+)$/.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the embedded NATS server exited (${code}) before it started`));
    });
  });
  process.env.NATS_URL = url;
  process.stdout.write(`\ne2e: messaging on the embedded NATS server at ${url} (data in ${storeDir})\n`);
  registry[RUNNING] = { child, storeDir };
}

export async function stopMessaging(): Promise<void> {
  const running = registry[RUNNING];
  if (running === undefined) return;
  const { child, storeDir } = running;
  if (child.exitCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(storeDir, { recursive: true, force: true });
  registry[RUNNING] = undefined;
}
