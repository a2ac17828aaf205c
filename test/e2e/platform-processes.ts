import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { natsTopology, type Role, type ServiceName, type Topology } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { CommandClient, connectNats, deleteStreams, natsUrl } from '@arrears/messaging';
import { RelayProcess } from '@arrears/messaging/src/relay/testing/relay-process';
import { ServiceProcess } from '@arrears/platform/src/testing/service-process';
import { createTestDatabase, uniqueName, type TestDatabase } from '@arrears/testing';
import type { NatsConnection } from 'nats';
import { DEVELOPMENT_OPERATORS, Tokens } from '../../services/gateway/src/auth/tokens';

export const DAY_MS = 86_400_000;

const GATEWAY_SECRET = `e2e-gateway-secret-${randomUUID()}`;
const GATEWAY_TOKENS = new Tokens(GATEWAY_SECRET);

/** What the gateway answered. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
  readonly headers: Headers;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The repository root: where `npm run arrears` runs. */
const REPO_ROOT = path.resolve(__dirname, '../..');

/** How a run of the operator's command line ended. */
export interface CliRun {
  /** The exit code; null when it was killed (by the timeout). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** An event as the specs read it back from the store. */
export interface StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly streamPosition: number;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly commandId?: string };
}

/**
 * The platform as the processes it runs as, for the end-to-end specs: a database and a NATS topology of the spec's
 * own, the relay, and each service's `main.ts` as a child process (`node --import tsx`, so a SIGKILL leaves no
 * orphan). `stop()` kills every process and removes the streams and the database.
 */
export class PlatformProcesses {
  readonly client: CommandClient;
  readonly store: PostgresEventStore;
  private readonly processes: { kill(signal: NodeJS.Signals): void }[] = [];
  private gatewayUrl: string | undefined;

  private constructor(
    readonly database: TestDatabase,
    readonly nats: NatsConnection,
    readonly topology: Topology,
    /** What every process is started with; `start` adds a service's own variables. */
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.client = new CommandClient({ connection: nats, topology, timeoutMs: 15_000 });
    this.store = new PostgresEventStore({ connectionString: database.url });
  }

  static async create(prefix: string): Promise<PlatformProcesses> {
    const topology = natsTopology(uniqueName(prefix));
    const database = await createTestDatabase(prefix);
    const nats = await connectNats(`e2e ${prefix}`).catch(async (error: unknown) => {
      await database.drop();
      throw error;
    });
    // EVENTSTOREDB_URL empty: the processes keep their events where this harness reads them (PostgreSQL), even when
    // the shell exports one for the conformance suite.
    const env = { DATABASE_URL: database.url, NATS_URL: natsUrl(), ARREARS_TOPOLOGY_ROOT: topology.root, NODE_ENV: 'test', ARREARS_ACCOUNTS_REVIEW_INTERVAL_MS: '0', EVENTSTOREDB_URL: '' };
    return new PlatformProcesses(database, nats, topology, env);
  }

  /** The relay, once it leads (and so publishes). */
  async startRelay(): Promise<RelayProcess> {
    const relay = new RelayProcess([], this.env);
    this.processes.push(relay);
    await Promise.race([relay.leading, relay.exited.then((code) => Promise.reject(new Error(`the relay exited (${code}):\n${relay.tail()}`)))]);
    return relay;
  }

  /** A service, once it runs. The first one started migrates the shared event store: start the others after it. */
  async start(service: ServiceName, env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const child = new ServiceProcess(service, { ...this.env, ...env });
    this.processes.push(child);
    await child.ready;
    return child;
  }

  /**
   * The gateway on a free port, with a JWT secret of this run: `http` then calls it as any operator. `env` may set
   * the platform clock (ARREARS_CLOCK_*) so the requests' `now` is known.
   */
  async startGateway(env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const child = await this.start('gateway' as ServiceName, { ARREARS_GATEWAY_PORT: String(port), ARREARS_GATEWAY_HOST: '127.0.0.1', ARREARS_JWT_SECRET: GATEWAY_SECRET, ...env });
    this.gatewayUrl = `http://127.0.0.1:${port}`;
    return child;
  }

  /** A bearer token for the gateway of this run, as `operator` (a role's development operator unless an id is given). */
  token(operator: { readonly role: Role; readonly operatorId?: string }, seconds = 600): string {
    return GATEWAY_TOKENS.sign({ operatorId: operator.operatorId ?? DEVELOPMENT_OPERATORS[operator.role].operatorId, role: operator.role }, seconds);
  }

  /** Where the gateway listens, once started. */
  get url(): string {
    if (this.gatewayUrl === undefined) throw new Error('start the gateway first');
    return this.gatewayUrl;
  }

  /** A request to the gateway as `operator` (a role's development operator unless an id is given); the status and the JSON (or text) body. */
  async http(method: string, url: string, operator: { readonly role: Role; readonly operatorId?: string } | null, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    if (this.gatewayUrl === undefined) throw new Error('start the gateway first');
    const token = operator === null ? undefined : this.token(operator);
    const response = await fetch(`${this.gatewayUrl}${url}`, {
      method,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: a CSV or JSONL download
    }
    return { status: response.status, body: json as Record<string, unknown>, text, headers: response.headers };
  }

  async stop(): Promise<void> {
    for (const child of this.processes) child.kill('SIGKILL');
    await this.store.close();
    await deleteStreams(await this.nats.jetstreamManager(), this.topology);
    await this.nats.close();
    await this.database.drop();
  }

  /** A command over NATS as `role` would send it, at the business time `now`. */
  send<Result = unknown>(service: ServiceName, type: string, data: Record<string, unknown>, role: Role, now: string = new Date().toISOString()): Promise<Result> {
    return this.client.send<Result>(service, { type, data, metadata: { correlationId: randomUUID(), actorId: `${role}-1`, actorRole: role, now } });
  }

  /**
   * `npm run arrears -- <args>` as an operator runs it, against this platform (its database, NATS and topology
   * root, `NODE_ENV=test`). Resolves however it exits; killed after `timeoutMs`.
   */
  arrears(args: readonly string[], timeoutMs = 60_000): Promise<CliRun> {
    return new Promise((resolve) => {
      execFile('npm', ['run', '--silent', 'arrears', '--', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...this.env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      });
    });
  }

  async events(streamId: string): Promise<StoredEvent[]> {
    return (await this.store.readStream(streamId)) as unknown as StoredEvent[];
  }

  /** A collector of the default team (`roster-main`) for credit cards. */
  registerCollector(collectorId: string, capacity = 20): Promise<unknown> {
    return this.send('case-workflow', 'RegisterCollector', { collectorId, name: `Collector ${collectorId}`, specialties: ['credit-card'], capacity }, 'supervisor');
  }

  /** A credit-card account of a debtor in Illinois (America/Chicago) with a mobile phone, `daysPastDue` as of `now`. */
  placeAccount(accountId: string, daysPastDue: number, now: string = new Date().toISOString()): Promise<unknown> {
    return this.send(
      'accounts',
      'PlaceAccount',
      {
        accountId,
        creditor: { creditorId: 'acme', name: 'Acme Bank' },
        creditorReference: `CC-${accountId.slice(0, 8)}`,
        product: 'credit-card',
        currency: 'USD',
        principal: 120_000,
        fees: 0,
        interest: 0,
        daysPastDue,
        debtor: { debtorId: randomUUID(), name: 'Ada Example', phones: [{ number: '+1 312 555 0142', kind: 'mobile' }], emails: [], timeZone: 'America/Chicago', jurisdiction: 'US-IL', language: 'en' },
      },
      'supervisor',
      now,
    );
  }
}
