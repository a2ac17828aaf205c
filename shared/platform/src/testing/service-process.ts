import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The repository root, where `services/<name>/src/main.ts` lives. */
const REPO_ROOT = path.resolve(__dirname, '../../../..');

/**
 * A service's `main.ts` as a child process of its own, started with `node --import tsx` (not the `tsx` command,
 * whose extra process would survive a SIGKILL). Resolves `ready` when it logs that it runs.
 */
export class ServiceProcess {
  private readonly child: ChildProcess;
  private readonly output: string[] = [];
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;

  constructor(service: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', 'tsx', `services/${service}/src/main.ts`], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let onReady: () => void = () => undefined;
    let onFailed: (error: Error) => void = () => undefined;
    this.ready = new Promise((resolve, reject) => {
      onReady = resolve;
      onFailed = reject;
    });
    const record = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.join('').includes(`${service} service running`)) onReady();
    };
    this.child.stdout?.on('data', record);
    this.child.stderr?.on('data', record);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    void this.exited.then((code) => onFailed(new Error(`${service} exited (${code}) before it ran:\n${this.tail()}`)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** What it printed last, for a failing test's message. */
  tail(): string {
    return this.output.join('').split('\n').slice(-30).join('\n');
  }
}
