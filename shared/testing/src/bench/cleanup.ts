/**
 * A benchmark's cleanup (dropping its database, deleting its streams, stopping its child processes), run once:
 * at the end of the run, on an error, or on Ctrl-C / SIGTERM — then the process exits with 130 / 143.
 */
export class BenchCleanup {
  private running: Promise<void> | undefined;
  private interruptedBy: NodeJS.Signals | undefined;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly options: {
      readonly say: (line: string) => void;
      /** What the cleanup does, for the progress line: "dropping the benchmark database". */
      readonly describe: string;
      /** Errors that the cleanup itself causes in work still running (a connection it ended): not worth printing. */
      readonly isExpected?: (error: unknown) => boolean;
    },
  ) {
    // Not `once`: under `npm run` and `tsx`, one Ctrl-C arrives twice (from the terminal, and forwarded by tsx), and a
    // second signal without a listener would kill the process halfway through its cleanup. Repeats are ignored.
    process.on('SIGINT', () => this.interrupt('SIGINT', 130));
    process.on('SIGTERM', () => this.interrupt('SIGTERM', 143));
  }

  /** True once a signal started the cleanup: the run's own failure, which follows, is not worth reporting. */
  get interrupted(): boolean {
    return this.interruptedBy !== undefined;
  }

  run(): Promise<void> {
    this.running ??= this.work();
    return this.running;
  }

  private interrupt(signal: NodeJS.Signals, code: number): void {
    if (this.interruptedBy !== undefined) return;
    this.interruptedBy = signal;
    this.options.say(`interrupted: ${this.options.describe}`);
    const expected = this.options.isExpected ?? isEndedConnection;
    process.on('uncaughtException', (error) => {
      if (!expected(error)) process.stderr.write(`${String(error)}\n`);
    });
    process.on('unhandledRejection', (error) => {
      if (!expected(error)) process.stderr.write(`${String(error)}\n`);
    });
    this.run().then(
      () => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`could not finish ${this.options.describe}: ${String(error)}\n`);
        process.exit(code);
      },
    );
  }
}

/** A PostgreSQL connection ended under a running query: what dropping a benchmark's database does to it. */
export function isEndedConnection(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === '57P01' || /Connection terminated|Client was closed|not queryable/i.test(message ?? '');
}
