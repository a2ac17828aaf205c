import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Topology } from '@arrears/contracts';
import type { PathId } from './path';

/** An event the consumer handled: its id, when the handler ran, when JetStream had stored it (epoch ms). */
export type HandledRecord = [eventId: string, handledAt: number, storedAt: number];

export type ConsumerRequest = { readonly type: 'collect'; readonly id: number } | { readonly type: 'stop' };
export type ConsumerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly error: string }
  | { readonly type: 'handled'; readonly id: number; readonly records: HandledRecord[] };

const REPO_ROOT = path.resolve(__dirname, '../../..');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * A path's consumer in a process of its own (`consumer-main.ts`), talked to over the IPC channel: `collect` takes
 * the events it handled since the last call. Started with `node --import tsx` rather than the `tsx` command, which
 * would put a second process between us and the consumer.
 */
export class ConsumerProcess {
  private readonly output: string[] = [];
  private readonly waiting = new Map<number, { resolve(records: HandledRecord[]): void; reject(error: Error): void }>();
  private nextId = 0;
  readonly exited: Promise<number | NodeJS.Signals>;

  private constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.splice(0, 100);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // A send to a process that has gone (EPIPE) fails its own callback; unhandled here it would crash the benchmark.
    child.on('error', () => undefined);
    child.on('message', (reply: ConsumerReply) => {
      if (reply.type !== 'handled') return;
      this.waiting.get(reply.id)?.resolve(reply.records);
      this.waiting.delete(reply.id);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        for (const { reject } of this.waiting.values()) reject(new Error(`The consumer process exited (${code ?? signal}):\n${this.tail()}`));
        this.waiting.clear();
        resolve(code ?? signal ?? 'SIGKILL');
      }),
    );
  }

  static async start(kind: PathId, topology: Topology): Promise<ConsumerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'consumer-main.ts'), kind, topology.root], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const consumer = new ConsumerProcess(child);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await new Promise<ConsumerReply | 'exited' | 'timeout'>((resolve) => {
      child.on('message', (reply: ConsumerReply) => {
        if (reply.type === 'ready' || reply.type === 'failed') resolve(reply);
      });
      void consumer.exited.then(() => resolve('exited'));
      timer = setTimeout(() => resolve('timeout'), START_TIMEOUT_MS);
    });
    clearTimeout(timer);
    if (typeof outcome === 'object' && outcome.type === 'ready') return consumer;
    await consumer.stop();
    const why = outcome === 'timeout' ? 'did not start within a minute' : outcome === 'exited' ? 'exited' : `failed: ${(outcome as { error: string }).error}`;
    throw new Error(`The ${kind} consumer process ${why}\n${consumer.tail()}`);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The events handled since the last call. */
  collect(): Promise<HandledRecord[]> {
    if (!this.running) return Promise.reject(new Error(`The consumer process has exited:\n${this.tail()}`));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ type: 'collect', id } satisfies ConsumerRequest, (error) => {
        if (error === null) return;
        this.waiting.delete(id);
        reject(error);
      });
    });
  }

  /** Asks the consumer to drain and exit; kills it if it takes too long. */
  async stop(): Promise<void> {
    if (!this.running) return;
    try {
      this.child.send({ type: 'stop' } satisfies ConsumerRequest);
    } catch {
      // The channel closed: the process is on its way out (Ctrl-C reaches it too).
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS)));
    if ((await Promise.race([this.exited, late])) === 'late') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    clearTimeout(timer);
  }

  /** The last lines it printed, for an error message. */
  tail(): string {
    return this.output.join('').split('\n').slice(-30).join('\n');
  }
}
