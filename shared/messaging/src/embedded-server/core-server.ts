import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { encodeHeaders } from './headers';
import { ProtocolError, ProtocolParser, type ClientOp } from './protocol';
import { isValidSubject, subjectMatches } from './subjects';

/** What nats-server 2.9.10 says it is: the nats client picks its JetStream API by this version. */
export const EMULATED_VERSION = '2.9.10';
/** nats-server's default max_payload: 1 MiB. */
export const DEFAULT_MAX_PAYLOAD = 1_048_576;

export interface Message {
  readonly subject: string;
  readonly reply?: string | undefined;
  /** The raw header block (`NATS/1.0…\r\n\r\n`), as the publisher sent it. */
  readonly headers?: Buffer | undefined;
  readonly payload: Buffer;
}

/**
 * Something inside the server that takes published messages (JetStream's API, its acks, its streams). Returns
 * true when the message found a taker: a request that nothing takes gets a 503 "no responders".
 */
export type Interceptor = (message: Message) => boolean;

interface Subscription {
  readonly client: Client;
  readonly subject: string;
  readonly queue: string | undefined;
  readonly sid: string;
  max: number | undefined;
  delivered: number;
}

class Client {
  readonly subscriptions = new Map<string, Subscription>();
  echo = true;
  headers = false;
  noResponders = false;
  verbose = false;
  closed = false;
  private corked = false;

  constructor(
    readonly id: number,
    readonly socket: Socket,
    readonly parser: ProtocolParser,
  ) {}

  write(data: Buffer | string): void {
    if (this.closed) return;
    // Many small writes in one tick (a batch of deliveries) go out as one segment.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(data);
  }
}

/** The core NATS protocol: connections, subscriptions (with queue groups and wildcards), routing, no-responders. */
export class CoreServer {
  private readonly server: Server;
  private readonly clients = new Set<Client>();
  private readonly literal = new Map<string, Set<Subscription>>();
  private readonly wildcard = new Set<Subscription>();
  private readonly interceptors: Interceptor[] = [];
  private readonly serverId = randomBytes(28).toString('hex').toUpperCase().slice(0, 56);
  private nextClientId = 1;
  private port = 0;

  constructor(
    private readonly host: string,
    readonly maxPayload: number = DEFAULT_MAX_PAYLOAD,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  intercept(interceptor: Interceptor): void {
    this.interceptors.push(interceptor);
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        this.port = typeof address === 'object' && address !== null ? address.port : port;
        resolve(this.port);
      });
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const client of this.clients) client.socket.destroy();
    await closed;
  }

  /** Whether a message on `subject` would reach any client subscription. */
  hasInterest(subject: string): boolean {
    if ((this.literal.get(subject)?.size ?? 0) > 0) return true;
    for (const sub of this.wildcard) if (subjectMatches(sub.subject, subject)) return true;
    return false;
  }

  /** Routes a message to client subscriptions and interceptors; returns whether anything took it. */
  publish(message: Message, from?: Client): boolean {
    let taken = this.deliverToClients(message, from);
    for (const interceptor of this.interceptors) if (interceptor(message)) taken = true;
    if (!taken && message.reply !== undefined && from?.noResponders && from.headers) {
      // The requester learns at once that nobody listens, instead of waiting for its timeout.
      this.deliverTo(from, message.reply, { subject: message.reply, headers: encodeHeaders([], { code: 503, description: '' }), payload: Buffer.alloc(0) });
    }
    return taken;
  }

  private deliverToClients(message: Message, from: Client | undefined): boolean {
    const plain: Subscription[] = [];
    const groups = new Map<string, Subscription[]>();
    const consider = (sub: Subscription) => {
      if (from !== undefined && sub.client === from && !from.echo) return;
      if (sub.queue === undefined) plain.push(sub);
      else groups.set(sub.queue, [...(groups.get(sub.queue) ?? []), sub]);
    };
    for (const sub of this.literal.get(message.subject) ?? []) consider(sub);
    for (const sub of this.wildcard) if (subjectMatches(sub.subject, message.subject)) consider(sub);
    for (const members of groups.values()) plain.push(members[Math.floor(Math.random() * members.length)] as Subscription);
    for (const sub of plain) this.send(sub, message);
    return plain.length > 0;
  }

  /**
   * Sends `message` (keeping its own subject) to the subscriptions of the literal subject `target`: how JetStream
   * hands a stored message to the inbox of a pull request. Returns whether anyone took it.
   */
  publishTo(target: string, message: Message): boolean {
    const subs = [...(this.literal.get(target) ?? [])];
    for (const sub of this.wildcard) if (subjectMatches(sub.subject, target)) subs.push(sub);
    for (const sub of subs) this.send(sub, message);
    return subs.length > 0;
  }

  private deliverTo(client: Client, subject: string, message: Message): void {
    for (const sub of client.subscriptions.values()) {
      if (subjectMatches(sub.subject, subject)) {
        this.send(sub, message);
        return;
      }
    }
  }

  private send(sub: Subscription, message: Message): void {
    const { client } = sub;
    const reply = message.reply === undefined ? '' : ` ${message.reply}`;
    const headers = client.headers ? message.headers : undefined;
    if (headers !== undefined && headers.length > 0) {
      const total = headers.length + message.payload.length;
      client.write(Buffer.concat([Buffer.from(`HMSG ${message.subject} ${sub.sid}${reply} ${headers.length} ${total}\r\n`), headers, message.payload, CRLF]));
    } else {
      client.write(Buffer.concat([Buffer.from(`MSG ${message.subject} ${sub.sid}${reply} ${message.payload.length}\r\n`), message.payload, CRLF]));
    }
    sub.delivered += 1;
    if (sub.max !== undefined && sub.delivered >= sub.max) this.removeSubscription(sub);
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const client = new Client(this.nextClientId++, socket, new ProtocolParser(this.maxPayload));
    this.clients.add(client);
    const info = {
      server_id: this.serverId,
      server_name: this.serverId,
      version: EMULATED_VERSION,
      proto: 1,
      go: 'embedded (TypeScript)',
      host: this.host,
      port: this.port,
      headers: true,
      max_payload: this.maxPayload,
      jetstream: true,
      client_id: client.id,
      client_ip: socket.remoteAddress ?? this.host,
    };
    client.write(`INFO ${JSON.stringify(info)}\r\n`);
    socket.on('data', (chunk: Buffer) => this.receive(client, chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.drop(client));
  }

  private receive(client: Client, chunk: Buffer): void {
    let ops: ClientOp[];
    try {
      ops = client.parser.push(chunk);
    } catch (error) {
      const reason = error instanceof ProtocolError ? error.reason : 'Protocol Error';
      client.write(`-ERR '${reason}'\r\n`);
      client.socket.end();
      this.drop(client);
      return;
    }
    for (const op of ops) {
      if (client.closed) return;
      this.apply(client, op);
    }
  }

  private apply(client: Client, op: ClientOp): void {
    switch (op.op) {
      case 'CONNECT':
        client.echo = op.options['echo'] !== false;
        client.headers = op.options['headers'] === true;
        client.noResponders = op.options['no_responders'] === true;
        client.verbose = op.options['verbose'] === true;
        return this.ok(client);
      case 'PING':
        return client.write('PONG\r\n');
      case 'PONG':
        return;
      case 'SUB': {
        if (!isValidSubject(op.subject, true)) return this.error(client, 'Invalid Subject');
        const sub: Subscription = { client, subject: op.subject, queue: op.queue, sid: op.sid, max: undefined, delivered: 0 };
        const previous = client.subscriptions.get(op.sid);
        if (previous !== undefined) this.removeSubscription(previous);
        client.subscriptions.set(op.sid, sub);
        if (/[*>]/.test(op.subject) && op.subject.split('.').some((token) => token === '*' || token === '>')) this.wildcard.add(sub);
        else this.literal.set(op.subject, (this.literal.get(op.subject) ?? new Set()).add(sub));
        return this.ok(client);
      }
      case 'UNSUB': {
        const sub = client.subscriptions.get(op.sid);
        if (sub !== undefined) {
          if (op.max !== undefined && op.max > sub.delivered) sub.max = op.max;
          else this.removeSubscription(sub);
        }
        return this.ok(client);
      }
      case 'PUB': {
        // Like nats-server out of pedantic mode, a published subject is not checked for wildcards: the consumer
        // create API puts the filter (maybe `>`) in the subject.
        if (op.subject === '') return this.error(client, 'Invalid Publish Subject');
        if (op.headers !== undefined && !client.headers) return this.error(client, 'Headers Not Supported');
        this.ok(client);
        this.publish({ subject: op.subject, reply: op.reply, headers: op.headers, payload: op.payload }, client);
        return;
      }
    }
  }

  private ok(client: Client): void {
    if (client.verbose) client.write('+OK\r\n');
  }

  private error(client: Client, reason: string): void {
    client.write(`-ERR '${reason}'\r\n`);
  }

  private removeSubscription(sub: Subscription): void {
    sub.client.subscriptions.delete(sub.sid);
    this.wildcard.delete(sub);
    const set = this.literal.get(sub.subject);
    if (set !== undefined) {
      set.delete(sub);
      if (set.size === 0) this.literal.delete(sub.subject);
    }
  }

  private drop(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    this.clients.delete(client);
    for (const sub of [...client.subscriptions.values()]) this.removeSubscription(sub);
  }
}

const CRLF = Buffer.from('\r\n');
