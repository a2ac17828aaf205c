import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The repository root, where `cli/arrears.ts` lives. */
const REPO_ROOT = path.resolve(__dirname, '../../../../..');

/**
 * `npm run arrears -- relay run …` as a child process of its own. Started with `node --import tsx` rather than
 * the `tsx` command, which runs the program in a second process: a SIGKILL of `tsx` would leave the relay
 * running as an orphan, still holding its lock.
 */
export class RelayProcess {
  private readonly child: ChildProcess;
  private output: string[] = [];
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Resolves when the relay logs that it leads (and so publishes). */
  readonly leading: Promise<void>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'cli/arrears.ts', 'relay', 'run', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let onLeader: () => void = () => undefined;
    this.leading = new Promise((resolve) => (onLeader = resolve));
    const record = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output.push(text);
      if (this.output.length > 200) this.output = this.output.slice(-100);
      if (/\] leader \(term/.test(text)) onLeader();
    };
    this.child.stdout?.on('data', record);
    this.child.stderr?.on('data', record);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? signal ?? 'SIGKILL')));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** The last lines the relay printed, for a failing test's message. */
  tail(): string {
    return this.output.join('').split('\n').slice(-30).join('\n');
  }
}
