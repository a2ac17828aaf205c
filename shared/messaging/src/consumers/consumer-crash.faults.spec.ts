import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Topology } from '@arrears/contracts';
import { createTestSchema, databaseUrl, eventually, type TestSchema } from '@arrears/testing';
import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { natsUrl } from '../nats-connection';
import { ensureProcessedEventsTable } from './process-once';
import { createTopology, promiseBroken, publishEvent, removeTopology, testTopology } from './testing/nats-fixtures';

const REPO = path.resolve(__dirname, '../../../..');
const CHILD = path.join(__dirname, 'testing/fault-consumer.ts');
/** Events published before each consumer process starts: enough that it meets fresh ones whatever the others did. */
const BATCH = 10;

/** The consumer service in a child process, and every line it printed. */
class ConsumerProcess {
  readonly lines: string[] = [];
  private readonly waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  private readonly stderr: string[] = [];

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const waiter of this.waiters.filter((candidate) => candidate.match(line))) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  static async start(env: Record<string, string>): Promise<ConsumerProcess> {
    // tsx as a loader of this node, not the tsx launcher: the launcher runs the script in a grandchild that a
    // SIGKILL of the launcher would orphan, still consuming.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = new ConsumerProcess(child);
    await started.waitFor((line) => line === 'ready', 30_000);
    return started;
  }

  waitFor(match: (line: string) => boolean, timeoutMs = 20_000): Promise<string> {
    const seen = this.lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child did not print the expected line in ${timeoutMs} ms; stdout: ${this.lines.join(' | ')}; stderr: ${this.stderr.join('')}`)), timeoutMs);
      this.waiters.push({ match, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      this.child.once('exit', (code) => reject(new Error(`child exited (${code}) early; stderr: ${this.stderr.join('')}`)));
    });
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  count(prefix: string): number {
    return this.lines.filter((line) => line.startsWith(prefix)).length;
  }
}

describe('a consumer killed mid-handler', () => {
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let topology: Topology;
  let schema: TestSchema;
  const children: ConsumerProcess[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl() });
    js = nc.jetstream();
    jsm = await nc.jetstreamManager();
  });

  beforeEach(async () => {
    topology = testTopology();
    await createTopology(jsm, topology);
    schema = await createTestSchema('consumer_crash');
    await ensureProcessedEventsTable(schema.pool, { schema: schema.name });
    // No unique key on purpose: an effect applied twice shows up as two rows.
    await schema.pool.query(`create table "${schema.name}".ledger (id bigserial primary key, event_id uuid not null, amount integer not null)`);
  });

  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => child.kill()));
    // A killed consumer's database session ends when the server notices; the schema drop waits for it.
    await removeTopology(jsm, topology);
    await schema.drop();
  }, 30_000);

  afterAll(async () => {
    await nc.drain();
  });

  const startConsumer = async (crash: { point: string; at: number } | undefined) => {
    const child = await ConsumerProcess.start({
      NATS_URL: natsUrl(),
      DATABASE_URL: databaseUrl(),
      TOPOLOGY_ROOT: topology.root,
      SCHEMA: schema.name,
      ...(crash === undefined ? {} : { CRASH_POINT: crash.point, CRASH_AT: String(crash.at) }),
    });
    children.push(child);
    return child;
  };

  const ledgerRows = async (eventId: string) => (await schema.pool.query(`select 1 from "${schema.name}".ledger where event_id = $1`, [eventId])).rowCount ?? 0;

  /** Publishes a batch of events, noting each one's amount in `amounts`. */
  async function publishBatch(amounts: Map<string, number>): Promise<void> {
    for (let index = 0; index < BATCH; index += 1) {
      const amount = 100 + amounts.size;
      const event = promiseBroken({ data: { amount } });
      amounts.set(event.eventId, amount);
      await publishEvent(js, topology, event);
    }
  }

  /** Every event's effect exactly once: one ledger row each, the right amount, nothing else. */
  async function expectEachAppliedOnce(amounts: Map<string, number>): Promise<void> {
    await eventually(
      async () => {
        const { rows } = await schema.pool.query<{ event_id: string; amount: number }>(`select event_id, amount from "${schema.name}".ledger order by id`);
        expect(new Set(rows.map((row) => row.event_id)).size).toBe(amounts.size);
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    // Let redeliveries that are still due arrive, then look again: they must have changed nothing.
    await eventually(async () => expect((await jsm.consumers.info(topology.eventsStream, 'audit__ledger')).num_ack_pending).toBe(0), { timeoutMs: 15_000 });
    const { rows } = await schema.pool.query<{ event_id: string; amount: number }>(`select event_id, amount from "${schema.name}".ledger order by id`);
    expect(rows).toHaveLength(amounts.size);
    expect(new Map(rows.map((row) => [row.event_id, row.amount]))).toEqual(amounts);
  }

  it('before its transaction commits: the event comes again and is applied once', async () => {
    const amounts = new Map<string, number>();
    for (const at of [3, 5]) {
      await publishBatch(amounts);
      const doomed = await startConsumer({ point: 'before-commit', at });
      const [, eventId = ''] = (await doomed.waitFor((line) => line.startsWith('crash-point '))).split(' ');
      await doomed.kill();
      // The transaction died with the process: no trace of the effect.
      expect(await ledgerRows(eventId)).toBe(0);
    }
    await publishBatch(amounts);
    await startConsumer(undefined);
    await expectEachAppliedOnce(amounts);
  }, 120_000);

  it('after its transaction committed but before the ack: the redelivery is recognised and changes nothing', async () => {
    const amounts = new Map<string, number>();
    const crashed: string[] = [];
    for (const at of [3, 5]) {
      await publishBatch(amounts);
      const doomed = await startConsumer({ point: 'after-commit', at });
      const [, eventId = ''] = (await doomed.waitFor((line) => line.startsWith('crash-point '))).split(' ');
      await doomed.kill();
      expect(await ledgerRows(eventId)).toBe(1);
      crashed.push(eventId);
    }
    await publishBatch(amounts);
    const survivor = await startConsumer(undefined);
    await expectEachAppliedOnce(amounts);
    // The events whose acks died with their processes did come back — and were skipped, not applied again.
    const redelivered = children.flatMap((child) => child.lines).filter((line) => line.startsWith('duplicate '));
    for (const eventId of crashed) expect(redelivered).toContain(`duplicate ${eventId}`);
    expect(survivor.count('applied ')).toBeGreaterThan(0);
  }, 120_000);
});
