import { compareGlobalPositions, parseGlobalPosition, type GlobalPosition, type Topology } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { natsUrl } from '@arrears/messaging';
import { newAccountStreamId, newPayments } from '@arrears/testing';
import { RelayProcess } from '../src/relay/testing/relay-process';
import { ConsumerProcess } from './consumer-process';
import type { BusPath } from './path';
import { Tracker } from './tracker';

export const RELAY_NAME = 'bench';
const RELAY_START_TIMEOUT_MS = 60_000;
const RELAY_STOP_TIMEOUT_MS = 10_000;

export interface ArrearsPathSettings {
  /** The benchmark's own database: the event store and the relay's checkpoint live there, in their default schemas. */
  readonly databaseUrl: string;
  readonly topology: Topology;
  /** Connections in the writers' pool: the most appends in flight at once. */
  readonly writers: number;
  /** The relay's `--poll-interval-ms` and `--min-poll-interval-ms`; undefined: its defaults. */
  readonly relayPollIntervalMs: number | undefined;
  readonly relayMinPollIntervalMs: number | undefined;
  readonly say: (line: string) => void;
}

/**
 * The platform's own path, each part a process of its own as in production: this process appends one event per
 * command to the PostgreSQL event store, as a service's command handler does; the relay (`npm run arrears -- relay
 * run`, with its production defaults) tails the global log and publishes each event to JetStream; a service's
 * `@EventPattern` handler behind the NestJS `JetStreamTransport`, with its default consumer settings, records when
 * the event reached it (`consumer-main.ts`).
 */
export class ArrearsPath implements BusPath {
  readonly id = 'arrears' as const;
  readonly tracker = new Tracker();
  /** The latest position appended so far. */
  head: GlobalPosition | undefined;

  private constructor(
    readonly store: PostgresEventStore,
    private readonly relay: RelayProcess,
    readonly consumer: ConsumerProcess,
  ) {}

  /** Starts the store, the relay (waiting until it leads) and the consumer; undoes what it started if one fails. */
  static async start(settings: ArrearsPathSettings): Promise<ArrearsPath> {
    const store = new PostgresEventStore({
      connectionString: settings.databaseUrl,
      poolConfig: { max: settings.writers, application_name: 'bench:bus writers' },
    });
    let relay: RelayProcess | undefined;
    try {
      await store.migrate();
      const poll = [
        ...(settings.relayPollIntervalMs === undefined ? [] : ['--poll-interval-ms', String(settings.relayPollIntervalMs)]),
        ...(settings.relayMinPollIntervalMs === undefined ? [] : ['--min-poll-interval-ms', String(settings.relayMinPollIntervalMs)]),
      ];
      relay = new RelayProcess(['--name', RELAY_NAME, '--root', settings.topology.root, ...poll], { DATABASE_URL: settings.databaseUrl, NATS_URL: natsUrl() });
      await waitForLeadership(relay);
      settings.say(`relay running as process ${relay.pid ?? '?'} (npm run arrears -- relay run --root ${settings.topology.root}${poll.map((arg) => ` ${arg}`).join('')})`);
      const consumer = await ConsumerProcess.start('arrears', settings.topology);
      return new ArrearsPath(store, relay, consumer);
    } catch (error) {
      if (relay !== undefined) await stopRelay(relay);
      await store.close();
      throw error;
    }
  }

  /** One command's worth: a new account stream with one event, as `handleCommand` appends it. */
  readonly send = async (): Promise<void> => {
    const [event] = newPayments(1) as [ReturnType<typeof newPayments>[number]];
    this.tracker.sent(event.eventId);
    const result = await this.store.appendToStream(newAccountStreamId(), [event], { expectedVersion: 'no_stream' });
    this.tracker.written(event.eventId, Number(parseGlobalPosition(result.position).commit));
    if (this.head === undefined || compareGlobalPositions(result.position, this.head) > 0) this.head = result.position;
  };

  get relayPid(): number | undefined {
    return this.relay.pid;
  }

  /** The relay's last lines, to explain a failure. */
  relayOutput(): string {
    return this.relay.tail();
  }

  /** Each part is stopped whatever happened to the others. */
  async stop(): Promise<void> {
    const results = await Promise.allSettled([this.consumer.stop(), stopRelay(this.relay)]);
    await this.store.close();
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}

async function waitForLeadership(relay: RelayProcess): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), RELAY_START_TIMEOUT_MS)));
  try {
    const outcome = await Promise.race([relay.leading.then(() => 'leading' as const), relay.exited.then(() => 'exited' as const), timedOut]);
    if (outcome !== 'leading') throw new Error(`The relay ${outcome === 'exited' ? 'exited' : 'did not lead within a minute'}:\n${relay.tail()}`);
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM (the relay finishes its publish, saves its checkpoint, releases its lock); SIGKILL if it takes too long. */
export async function stopRelay(relay: RelayProcess): Promise<void> {
  if (!relay.running) return;
  relay.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), RELAY_STOP_TIMEOUT_MS)));
  if ((await Promise.race([relay.exited, late])) === 'late') {
    relay.kill('SIGKILL');
    await relay.exited;
  }
  clearTimeout(timer);
}
