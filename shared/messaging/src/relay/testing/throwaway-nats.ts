import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const NATS_SERVER_BINARY = process.env['NATS_SERVER_BINARY'] ?? '/usr/sbin/nats-server';

/**
 * A nats-server with JetStream of a test's own, on a free port with its own store directory, which the test
 * may stop and start again (same port, same directory) — never the machine's server on 4222.
 */
export class ThrowawayNats {
  private process: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log = '';

  private constructor(
    readonly port: number,
    readonly storeDir: string,
  ) {}

  static async start(): Promise<ThrowawayNats> {
    const server = new ThrowawayNats(await freePort(), await mkdtemp(path.join(tmpdir(), 'arrears-nats-')));
    try {
      await server.start();
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  /** Starts the server (again) and waits until it accepts connections. */
  async start(): Promise<void> {
    if (this.process !== undefined) return;
    const child = spawn(NATS_SERVER_BINARY, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    this.process = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      if (this.process === child) this.process = undefined;
    });
    await waitForPort(this.port, 10_000, () => this.process !== child).catch((error: unknown) => {
      throw new Error(`nats-server did not start on port ${this.port}: ${String(error)}\n${this.log.slice(-2_000)}`);
    });
  }

  /** Stops the server with `signal` (SIGTERM: a clean shutdown that keeps what JetStream stored) and waits for it. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.process;
    if (child === undefined) return;
    child.kill(signal);
    await this.exited;
    this.process = undefined;
  }

  /** Kills the server and deletes its store directory; safe to call in any state. */
  async destroy(): Promise<void> {
    await this.stop('SIGKILL');
    await rm(this.storeDir, { recursive: true, force: true });
  }

  /** What the server printed (for a failing test's message). */
  output(): string {
    return this.log;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (gaveUp()) throw new Error('the server exited');
    if (Date.now() > deadline) throw new Error(`nothing listens after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
