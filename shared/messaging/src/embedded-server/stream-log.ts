import { closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** One stored message of a stream. */
export interface StoredMessage {
  readonly seq: number;
  readonly subject: string;
  /** Nanoseconds since the epoch: the ack subject and the API carry it at that precision. */
  readonly timeNanos: bigint;
  readonly headers: Buffer | undefined;
  readonly data: Buffer;
}

/** What a stream's log holds after replaying it. */
export interface LoadedLog {
  readonly messages: StoredMessage[];
  /** The highest sequence ever given out: it survives the deletion of every message. */
  readonly lastSeq: number;
}

type LogRecord =
  | { readonly s: number; readonly j: string; readonly t: string; readonly h?: string; readonly d: string }
  | { readonly del: number }
  | { readonly floor: number }
  | { readonly last: number };

/**
 * When the stream files are flushed to the disk, as nats-server's `sync_interval`: `'always'` before every PubAck
 * (an acknowledged publish survives a power loss), or every so many milliseconds (nats-server's default is two
 * minutes). Either way every record is written to the operating system before the publisher is acknowledged, so an
 * acknowledged publish survives the server process being killed.
 */
export type SyncPolicy = 'always' | { readonly everyMs: number };

/** nats-server's default `sync_interval`. */
export const DEFAULT_SYNC_POLICY: SyncPolicy = { everyMs: 120_000 };

/**
 * A stream's messages on disk: one append-only file of JSON lines (a message, a deletion, or a new first sequence),
 * each written before the publisher is acknowledged and flushed to the disk as the sync policy says. A line cut short
 * by a crash is dropped on load: it was never acknowledged.
 */
export class StreamLog {
  private readonly fd: number;
  private flushTimer: NodeJS.Timeout | undefined;

  private constructor(
    file: string,
    private readonly sync: SyncPolicy,
  ) {
    this.fd = openSync(file, 'a');
  }

  static open(dir: string, sync: SyncPolicy = DEFAULT_SYNC_POLICY): { log: StreamLog; loaded: LoadedLog } {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'messages.jsonl');
    const { loaded, records, intact } = existsSync(file) ? replay(readFileSync(file, 'utf8')) : { loaded: { messages: [], lastSeq: 0 }, records: 0, intact: true };
    if (!intact || records > loaded.messages.length * 2 + 16) compact(file, loaded);
    return { log: new StreamLog(file, sync), loaded };
  }

  append(message: StoredMessage): void {
    const record: LogRecord = {
      s: message.seq,
      j: message.subject,
      t: message.timeNanos.toString(),
      ...(message.headers !== undefined ? { h: message.headers.toString('base64') } : {}),
      d: message.data.toString('base64'),
    };
    this.write(record);
  }

  remove(seq: number): void {
    this.write({ del: seq });
  }

  /** Every message below `firstSeq` is gone (expired, purged, or dropped by a limit). */
  floor(firstSeq: number): void {
    this.write({ floor: firstSeq });
  }

  close(): void {
    if (this.flushTimer !== undefined) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      fdatasyncSync(this.fd);
    }
    closeSync(this.fd);
  }

  static destroy(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
  }

  private write(record: LogRecord): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
    // The data and the file's length; nothing else of the inode matters for reading it back.
    if (this.sync === 'always') fdatasyncSync(this.fd);
    else this.flushTimer ??= setTimeout(() => this.flush(), this.sync.everyMs).unref();
  }

  private flush(): void {
    this.flushTimer = undefined;
    fdatasyncSync(this.fd);
  }
}

function replay(text: string): { loaded: LoadedLog; records: number; intact: boolean } {
  const messages = new Map<number, StoredMessage>();
  let lastSeq = 0;
  let records = 0;
  let intact = true;
  const lines = text.split('\n');
  // The text after the last newline is a record whose write did not finish.
  if (lines[lines.length - 1] !== '') intact = false;
  for (const line of lines.slice(0, -1)) {
    let record: LogRecord;
    try {
      record = JSON.parse(line) as LogRecord;
    } catch {
      intact = false;
      break;
    }
    records += 1;
    if ('s' in record) {
      messages.set(record.s, {
        seq: record.s,
        subject: record.j,
        timeNanos: BigInt(record.t),
        headers: record.h === undefined ? undefined : Buffer.from(record.h, 'base64'),
        data: Buffer.from(record.d, 'base64'),
      });
      lastSeq = Math.max(lastSeq, record.s);
    } else if ('del' in record) {
      messages.delete(record.del);
    } else if ('floor' in record) {
      for (const seq of messages.keys()) if (seq < record.floor) messages.delete(seq);
      lastSeq = Math.max(lastSeq, record.floor - 1);
    } else {
      lastSeq = Math.max(lastSeq, record.last);
    }
  }
  return { loaded: { messages: [...messages.values()].sort((a, b) => a.seq - b.seq), lastSeq }, records, intact };
}

/** Rewrites the log with only what it holds now, atomically (write, fsync, rename). */
function compact(file: string, loaded: LoadedLog): void {
  // The last sequence first: it stays when the newest messages were deleted.
  const lines = [JSON.stringify({ last: loaded.lastSeq })];
  for (const message of loaded.messages) {
    lines.push(
      JSON.stringify({
        s: message.seq,
        j: message.subject,
        t: message.timeNanos.toString(),
        ...(message.headers !== undefined ? { h: message.headers.toString('base64') } : {}),
        d: message.data.toString('base64'),
      }),
    );
  }
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${lines.join('\n')}\n`);
  const fd = openSync(temporary, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temporary, file);
}
