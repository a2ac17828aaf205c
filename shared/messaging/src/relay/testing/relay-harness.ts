import { natsTopology, type EventEnvelope, type Topology } from '@arrears/contracts';
import { PostgresEventStore } from '@arrears/event-store';
import { untilLogSettled } from '@arrears/testing';
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import type { Pool } from 'pg';
import { deleteStreams, ensureStreams, type EventStreamSettings } from '../../jetstream-setup';
import { connectNats } from '../../nats-connection';
import { PostgresCheckpointStore } from '../checkpoint-store';
import { PostgresLeaderLock, type PostgresLeaderLockOptions } from '../leader-lock';
import { Relay, type RelayOptions } from '../relay';
import { DEFAULT_DATABASE_URL } from '../relay-config';
import { deliveryReport, readStream, type DeliveryReport, type StoredMessage } from './jetstream-log';

/** A throwaway schema, as `createTestSchema` from @arrears/testing makes them. */
export interface SchemaLike {
  readonly name: string;
  readonly pool: Pool;
  drop(): Promise<void>;
}

export interface RelayHarnessOptions {
  /** Makes a schema of the test's own (pass `createTestSchema`); the harness drops it in `cleanup`. */
  readonly createSchema: (prefix: string) => Promise<SchemaLike>;
  /** A topology root of the test's own: two JetStream streams cannot capture the same subjects. */
  readonly root: string;
  readonly natsUrl?: string;
  readonly streams?: EventStreamSettings;
}

export interface TestRelayOptions extends Partial<RelayOptions> {
  /** The lock session's application_name, to find (and terminate) it in pg_stat_activity. */
  readonly lockSession?: string;
  readonly lockOptions?: Partial<PostgresLeaderLockOptions>;
}

/**
 * One test's relay world on the machine's PostgreSQL and NATS: an event store and a checkpoint table in the
 * test's schemas, a topology of its own with its streams, and relays made to order — all undone by `cleanup`.
 */
export class RelayHarness {
  readonly store: PostgresEventStore;
  readonly checkpoints: PostgresCheckpointStore;
  readonly topology: Topology;
  readonly js: JetStreamClient;
  private readonly relays: Relay[] = [];
  private readonly connections: NatsConnection[] = [];

  private constructor(
    private readonly options: RelayHarnessOptions,
    readonly storeSchema: SchemaLike,
    readonly relaySchema: SchemaLike,
    readonly nats: NatsConnection,
    readonly jsm: JetStreamManager,
  ) {
    this.store = new PostgresEventStore({ pool: storeSchema.pool, schema: storeSchema.name, subscription: { pollIntervalMs: 20, maxRetryDelayMs: 200 } });
    this.checkpoints = new PostgresCheckpointStore({ pool: relaySchema.pool, schema: relaySchema.name });
    this.topology = natsTopology(options.root);
    this.js = nats.jetstream();
  }

  static async create(options: RelayHarnessOptions): Promise<RelayHarness> {
    const storeSchema = await options.createSchema('relay_store');
    const relaySchema = await options.createSchema('relay_state').catch(async (error: unknown) => {
      await storeSchema.drop();
      throw error;
    });
    const nats = await connectNats(`test ${options.root}`, options.natsUrl === undefined ? {} : { servers: options.natsUrl }).catch(async (error: unknown) => {
      await Promise.all([storeSchema.drop(), relaySchema.drop()]);
      throw error;
    });
    const harness = new RelayHarness(options, storeSchema, relaySchema, nats, await nats.jetstreamManager());
    try {
      await harness.store.migrate();
      await harness.checkpoints.migrate();
      await ensureStreams(harness.jsm, harness.topology, options.streams);
    } catch (error) {
      await harness.cleanup();
      throw error;
    }
    return harness;
  }

  get databaseUrl(): string {
    return process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  }

  /** A relay with a NATS connection and a lock session of its own (not started). */
  async relay(options: TestRelayOptions = {}): Promise<Relay> {
    const name = options.name ?? 'relay';
    const nats = options.nats ?? (await this.connect(`relay ${name}`));
    const { lockSession, lockOptions, ...rest } = options;
    const relay = new Relay({
      name,
      store: this.store,
      nats,
      topology: this.topology,
      checkpoints: this.checkpoints,
      lock: new PostgresLeaderLock({
        connectionString: this.databaseUrl,
        namespace: this.relaySchema.name,
        applicationName: lockSession ?? `arrears-test-lock ${this.options.root}`,
        retryIntervalMs: 200,
        ...lockOptions,
      }),
      streams: this.options.streams ?? {},
      rejoinDelayMs: 1_000,
      ...rest,
    });
    this.relays.push(relay);
    return relay;
  }

  /** A NATS connection closed by `cleanup`. */
  async connect(name: string): Promise<NatsConnection> {
    const nats = await connectNats(name, { reconnectTimeWait: 100, ...(this.options.natsUrl === undefined ? {} : { servers: this.options.natsUrl }) });
    this.connections.push(nats);
    return nats;
  }

  /** Every event of the test's store, in log order — once the log shows them all (another file's open transaction may hold it back). */
  async events(): Promise<EventEnvelope[]> {
    await untilLogSettled(this.storeSchema);
    return this.store.readAll();
  }

  messages(): Promise<StoredMessage[]> {
    return readStream(this.js, this.jsm, this.topology.eventsStream);
  }

  async messageCount(): Promise<number> {
    return (await this.jsm.streams.info(this.topology.eventsStream)).state.messages;
  }

  async report(): Promise<DeliveryReport> {
    return deliveryReport(await this.messages(), await this.events());
  }

  /** Terminates the PostgreSQL sessions with this application_name (a lock's session), as a crash or a cut would. */
  async terminateSessions(applicationName: string): Promise<number> {
    const { rowCount } = await this.relaySchema.pool.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
      applicationName,
    ]);
    return rowCount ?? 0;
  }

  /** Stops the relays, deletes the streams, closes the connections and drops the schemas. */
  async cleanup(): Promise<void> {
    await Promise.all(this.relays.map((relay) => relay.stop().catch(() => undefined)));
    await deleteStreams(this.jsm, this.topology).catch(() => undefined);
    await Promise.all([...this.connections, this.nats].map((nats) => nats.close().catch(() => undefined)));
    await Promise.all([this.storeSchema.drop(), this.relaySchema.drop()]);
  }
}
