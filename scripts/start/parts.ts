import { spawn, type ChildProcess } from 'node:child_process';
import type { StartedService } from '@arrears/platform';
import type { Output, ProcessLog } from './output';
import { forgetPid, recordPid, signalGroup } from './pid-files';

/** Something the launcher runs and stops: a child process, or a service inside the launcher's own process. */
export interface Part {
  readonly name: string;
  /** Resolves, saying how, when it ended without being asked to stop; never after `stop()` or `kill()`. */
  readonly ended: Promise<string>;
  /** Asks it to stop and waits; true when it stopped cleanly. */
  stop(): Promise<boolean>;
  /** At once and without ceremony (a second Ctrl-C); synchronous, so it also works in an `exit` handler. */
  kill(): void;
}

const never = new Promise<never>(() => undefined);

const cleanByDefault = (code: number | null, signal: NodeJS.Signals | null) => code === 0 || signal === 'SIGTERM';

export interface ChildOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly log: ProcessLog;
  readonly output: Output;
  /** Where its pid is recorded, with `marker` (a text of its command line), for the next start to find a leftover. */
  readonly runDir: string;
  readonly marker: string;
  /** A pipe on stdin that closes when the launcher dies, however it dies: for a child that watches it. */
  readonly stdinPipe?: boolean;
  /**
   * Whether an exit after `stop()` counts as clean. Default: exit code 0, or death by the SIGTERM it was sent — a
   * program that handles SIGTERM never dies of it, so one that did was still loading and had nothing to drain.
   */
  readonly cleanExit?: (code: number | null, signal: NodeJS.Signals | null) => boolean;
  /** How long `stop()` waits before it kills; default 30 s. */
  readonly graceMs?: number;
}

/**
 * A child process in a process group of its own (`detached`): a Ctrl-C in the terminal reaches the launcher alone,
 * which then stops the children in order — the services drain while NATS and PostgreSQL still answer them.
 */
export class ChildPart implements Part {
  readonly name: string;
  readonly ended: Promise<string>;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private asked = false;

  constructor(private readonly options: ChildOptions) {
    this.name = options.name;
    this.child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: [options.stdinPipe ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => options.log.write(chunk, 'stdout'));
    this.child.stderr?.on('data', (chunk: Buffer) => options.log.write(chunk, 'stderr'));
    this.child.stdin?.on('error', () => undefined);
    if (this.child.pid !== undefined) recordPid(options.runDir, options.name, this.child.pid, options.marker);
    this.exit = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      // A program that cannot be run at all emits `error` and no `exit`.
      this.child.once('error', (error) => {
        options.log.write(`${error.message}\n`, 'stderr');
        resolve({ code: null, signal: null });
      });
    }).then((result) => {
      forgetPid(options.runDir, options.name);
      return result as { code: number | null; signal: NodeJS.Signals | null };
    });
    this.ended = this.exit.then(({ code, signal }) => (this.asked ? never : signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
  }

  async stop(): Promise<boolean> {
    const alreadyAsked = this.asked;
    this.asked = true;
    if (!this.running) {
      const { code, signal } = await this.exit;
      return alreadyAsked && (this.options.cleanExit ?? cleanByDefault)(code, signal);
    }
    // The program itself, not its group: it stops what it started in its own order (the PostgreSQL wrapper its server).
    this.child.kill('SIGTERM');
    const graceMs = this.options.graceMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([this.exit, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), graceMs)))]);
    clearTimeout(timer);
    if (result === undefined) {
      this.options.output.say(`${this.name} did not stop within ${Math.round(graceMs / 1_000)} s: killing it`);
      this.kill();
      await this.exit;
      return false;
    }
    const clean = (this.options.cleanExit ?? cleanByDefault)(result.code, result.signal);
    if (!clean) this.options.output.say(`${this.name} stopped with ${result.signal ?? `exit code ${result.code}`}; its log: ${this.options.log.name}.log`);
    return clean;
  }

  kill(): void {
    this.asked = true;
    if (this.child.pid !== undefined && this.running) signalGroup(this.child.pid, 'SIGKILL');
  }
}

/** A service running inside the launcher's process (`--single-process`), started with `startService`. */
export class InProcessService implements Part {
  readonly ended: Promise<string>;
  private asked = false;

  constructor(
    readonly name: string,
    private readonly service: StartedService,
    private readonly output: Output,
  ) {
    this.ended = service.running.then(
      () => never,
      (error: unknown) => (this.asked ? never : `failed to start: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async stop(): Promise<boolean> {
    this.asked = true;
    try {
      await this.service.stop();
      return true;
    } catch (error) {
      this.output.say(`${this.name} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  kill(): void {
    // It ends with the process.
    this.asked = true;
  }
}

/**
 * The relay inside the launcher's process: the operator's `relay run` (relay-cli's `main`), which stops on SIGINT or
 * SIGTERM. Its signal listeners are taken off the process as soon as it registered them and called when the
 * launcher's shutdown reaches the relay — after the services drained, not at the same moment.
 */
export class InProcessRelay implements Part {
  readonly name = 'relay';
  readonly ended: Promise<string>;
  private asked = false;
  private readonly stopListeners: ((signal: NodeJS.Signals) => void)[];
  private readonly done: Promise<number>;

  constructor(
    run: () => Promise<number>,
    private readonly output: Output,
  ) {
    const before = { SIGINT: new Set(process.listeners('SIGINT')), SIGTERM: new Set(process.listeners('SIGTERM')) };
    this.done = run();
    const taken = (signal: 'SIGINT' | 'SIGTERM') => {
      const added = process.listeners(signal).filter((listener) => !before[signal].has(listener));
      for (const listener of added) process.off(signal, listener);
      return added;
    };
    const fromSigint = taken('SIGINT');
    taken('SIGTERM');
    this.stopListeners = fromSigint as ((signal: NodeJS.Signals) => void)[];
    this.ended = this.done.then(
      (code) => (this.asked ? never : `stopped by itself (exit code ${code})`),
      (error: unknown) => (this.asked ? never : `failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async stop(): Promise<boolean> {
    this.asked = true;
    if (this.stopListeners.length === 0) this.output.say('the relay registered no signal listener to stop it with: it stops when the process exits');
    for (const listener of this.stopListeners) listener('SIGTERM');
    try {
      return (await this.done) === 0;
    } catch (error) {
      this.output.say(`the relay did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  kill(): void {
    this.asked = true;
  }
}
