import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { conciseLine, LineSplitter, prefix } from './log-lines';

const COLOURS = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94];

/** The launcher's console: every process's lines under its name, the launcher's own under `[start]`. */
export class Output {
  private readonly colours = new Map<string, number>();
  private readonly colour: boolean;

  constructor(
    private readonly width: number,
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.colour = stream.isTTY === true && (env['NO_COLOR'] ?? '') === '' && env['TERM'] !== 'dumb';
  }

  line(name: string, text: string): void {
    let label = prefix(name, this.width);
    if (this.colour) {
      if (!this.colours.has(name)) this.colours.set(name, COLOURS[this.colours.size % COLOURS.length] ?? 36);
      label = `\u001b[${name === 'start' ? 1 : this.colours.get(name)}m${label}\u001b[0m`;
    }
    this.stream.write(`${label}${text}\n`);
  }

  say(text: string): void {
    for (const line of text.split('\n')) this.line('start', line);
  }
}

/** Which of a process's lines the console shows; its log file has them all. */
export type ConsoleFilter = (line: string, stream: 'stdout' | 'stderr') => boolean;

/**
 * Where one process's output goes: every line to `<logs>/<name>.log` as printed, and to the console in short
 * (`conciseLine`) when `showOnConsole` lets it through. The last lines are kept to show when the process fails.
 */
export class ProcessLog {
  /** The log file's path. */
  readonly file: string;
  private readonly stream: WriteStream;
  private readonly splitters: Record<'stdout' | 'stderr', LineSplitter>;
  private readonly recent: string[] = [];
  private readonly watchers = new Set<(line: string) => void>();

  constructor(
    readonly name: string,
    logs: string,
    output: Output,
    showOnConsole: ConsoleFilter = () => true,
  ) {
    this.file = path.join(logs, `${name}.log`);
    this.stream = createWriteStream(this.file, { flags: 'a' });
    this.stream.on('error', () => undefined);
    this.stream.write(`--- ${new Date().toISOString()} npm start\n`);
    const splitter = (stream: 'stdout' | 'stderr') =>
      new LineSplitter((line) => {
        this.stream.write(`${line}\n`);
        this.recent.push(line);
        if (this.recent.length > 40) this.recent.shift();
        for (const watcher of this.watchers) watcher(line);
        if (line.trim() !== '' && showOnConsole(line, stream)) output.line(name, conciseLine(line));
      });
    this.splitters = { stdout: splitter('stdout'), stderr: splitter('stderr') };
  }

  write(chunk: string | Buffer, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.splitters[stream].push(chunk.toString());
  }

  /** Resolves with the first line from now on that matches. */
  lineMatching(pattern: RegExp): Promise<string> {
    return new Promise((resolve) => {
      const watcher = (line: string) => {
        if (!pattern.test(line)) return;
        this.watchers.delete(watcher);
        resolve(line);
      };
      this.watchers.add(watcher);
    });
  }

  /** The last lines, short, for a failure message. */
  tail(lines = 15): string {
    return this.recent
      .slice(-lines)
      .map((line) => `    ${conciseLine(line)}`)
      .join('\n');
  }

  close(): Promise<void> {
    this.splitters.stdout.flush();
    this.splitters.stderr.flush();
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}
