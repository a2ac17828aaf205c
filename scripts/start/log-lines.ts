/** Fields every pino line carries, or that only a log search needs: left out of the console line. */
const QUIET_FIELDS = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'trace_id', 'span_id', 'trace_flags', 'context', 'err']);

/**
 * One line a process printed, as the console shows it: a pino JSON line as `HH:MM:SS level [context] message
 * key=value…` (the log file keeps the JSON); anything else unchanged.
 */
export function conciseLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry['msg'] !== 'string' && typeof entry['level'] !== 'string') return line;
  const time = typeof entry['time'] === 'string' ? entry['time'].slice(11, 19) : '';
  const level = typeof entry['level'] === 'string' ? entry['level'] : String(entry['level'] ?? '');
  const context = typeof entry['context'] === 'string' ? `[${entry['context']}] ` : '';
  const err = entry['err'] as { message?: unknown } | undefined;
  const extras = Object.entries(entry)
    .filter(([key, value]) => !QUIET_FIELDS.has(key) && value !== null && ['string', 'number', 'boolean'].includes(typeof value))
    .map(([key, value]) => `${key}=${typeof value === 'string' && /\s/.test(value) ? JSON.stringify(value) : String(value)}`);
  const error = typeof err?.message === 'string' ? [`error: ${err.message}`] : [];
  return [time, level.padEnd(5), `${context}${String(entry['msg'] ?? '')}`, ...extras, ...error].filter((part) => part !== '').join(' ');
}

/** Whether a line of PostgreSQL's or nats-server's own log belongs on the console: problems only. */
export function isInfrastructureProblem(line: string): boolean {
  return /\b(WARNING|ERROR|FATAL|PANIC)\b|\[(WRN|ERR|FTL)\]/.test(line);
}

/** `[name]` padded so that the lines of every process start in the same column. */
export function prefix(name: string, width: number): string {
  return `[${name}]`.padEnd(width + 3);
}

/** Splits a stream's chunks into whole lines; `flush` hands over what is left without a newline. */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const lines = (this.rest + chunk).split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r$/, ''));
  }

  flush(): void {
    if (this.rest !== '') this.onLine(this.rest);
    this.rest = '';
  }
}
