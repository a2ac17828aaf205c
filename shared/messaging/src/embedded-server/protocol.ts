/** The client side of the NATS text protocol, parsed from a byte stream that arrives in arbitrary pieces. */

export type ClientOp =
  | { readonly op: 'CONNECT'; readonly options: Record<string, unknown> }
  | { readonly op: 'PUB'; readonly subject: string; readonly reply: string | undefined; readonly headers: Buffer | undefined; readonly payload: Buffer }
  | { readonly op: 'SUB'; readonly subject: string; readonly queue: string | undefined; readonly sid: string }
  | { readonly op: 'UNSUB'; readonly sid: string; readonly max: number | undefined }
  | { readonly op: 'PING' }
  | { readonly op: 'PONG' };

export class ProtocolError extends Error {
  /** The connection is closed after the error is sent, as nats-server does. */
  constructor(readonly reason: string) {
    super(reason);
  }
}

interface PendingPayload {
  readonly subject: string;
  readonly reply: string | undefined;
  readonly headerBytes: number;
  readonly totalBytes: number;
}

const MAX_CONTROL_LINE = 4_096;

export class ProtocolParser {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: PendingPayload | undefined;

  constructor(private readonly maxPayload: number) {}

  /** Adds bytes and returns every complete operation in them; throws ProtocolError on a violation. */
  push(chunk: Buffer): ClientOp[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const ops: ClientOp[] = [];
    for (;;) {
      if (this.pending !== undefined) {
        const { totalBytes, headerBytes, subject, reply } = this.pending;
        if (this.buffer.length < totalBytes + 2) break;
        const body = this.buffer.subarray(0, totalBytes);
        this.buffer = this.buffer.subarray(totalBytes + 2);
        this.pending = undefined;
        ops.push({
          op: 'PUB',
          subject,
          reply,
          headers: headerBytes > 0 ? Buffer.from(body.subarray(0, headerBytes)) : undefined,
          payload: Buffer.from(body.subarray(headerBytes)),
        });
        continue;
      }
      const end = this.buffer.indexOf('\n');
      if (end < 0) {
        if (this.buffer.length > MAX_CONTROL_LINE) throw new ProtocolError('Maximum Control Line Exceeded');
        break;
      }
      const line = this.buffer.subarray(0, end).toString('utf8').replace(/\r$/, '');
      this.buffer = this.buffer.subarray(end + 1);
      const op = this.parseLine(line);
      if (op !== undefined) ops.push(op);
    }
    return ops;
  }

  private parseLine(line: string): ClientOp | undefined {
    if (line.trim() === '') return undefined;
    const space = line.search(/[ \t]/);
    const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const rest = space < 0 ? '' : line.slice(space + 1).trim();
    const args = rest === '' ? [] : rest.split(/[ \t]+/);
    switch (verb) {
      case 'PING':
        return { op: 'PING' };
      case 'PONG':
        return { op: 'PONG' };
      case 'CONNECT':
        try {
          return { op: 'CONNECT', options: JSON.parse(rest) as Record<string, unknown> };
        } catch {
          throw new ProtocolError('Invalid Connect JSON');
        }
      case 'PUB': {
        if (args.length < 2 || args.length > 3) throw new ProtocolError('Processing Publish Error');
        const size = toSize(args[args.length - 1]);
        this.expect({ subject: args[0] as string, reply: args.length === 3 ? args[1] : undefined, headerBytes: 0, totalBytes: size });
        return undefined;
      }
      case 'HPUB': {
        if (args.length < 3 || args.length > 4) throw new ProtocolError('Processing HPublish Error');
        const total = toSize(args[args.length - 1]);
        const headerBytes = toSize(args[args.length - 2]);
        if (headerBytes > total) throw new ProtocolError('Processing HPublish Error');
        this.expect({ subject: args[0] as string, reply: args.length === 4 ? args[1] : undefined, headerBytes, totalBytes: total });
        return undefined;
      }
      case 'SUB':
        if (args.length < 2 || args.length > 3) throw new ProtocolError('Processing Subscription Error');
        return { op: 'SUB', subject: args[0] as string, queue: args.length === 3 ? args[1] : undefined, sid: args[args.length - 1] as string };
      case 'UNSUB':
        if (args.length < 1 || args.length > 2) throw new ProtocolError('Processing Unsubscribe Error');
        return { op: 'UNSUB', sid: args[0] as string, max: args.length === 2 ? toSize(args[1]) : undefined };
      default:
        throw new ProtocolError('Unknown Protocol Operation');
    }
  }

  private expect(pending: PendingPayload): void {
    if (pending.totalBytes > this.maxPayload) throw new ProtocolError('Maximum Payload Violation');
    this.pending = pending;
  }
}

function toSize(text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new ProtocolError('Invalid Size');
  return value;
}
