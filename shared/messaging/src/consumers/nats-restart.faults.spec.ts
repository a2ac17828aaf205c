import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventEnvelope, Topology } from '@arrears/contracts';
import { createTestSchema, eventually, type TestSchema } from '@arrears/testing';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { JetStreamManager, NatsConnection } from 'nats';
import { connectNats } from '../nats-connection';
import { ArrearsRpcExceptionFilter, type JetStreamContext } from './contexts';
import { JetStreamTransport, type JetStreamTransportStatus } from './jetstream-transport';
import { ensureProcessedEventsTable, processOnce } from './process-once';
import { createTopology, promiseBroken, promiseBrokenSubject, publishEvent, removeTopology, testTopology } from './testing/nats-fixtures';

const EVENTS = 300;
const STOP_AFTER = 100;

/** A nats-server of this test's own (never the machine's on 4222), restartable on the same port and store. */
class ThrowawayNats {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly storeDir: string,
  ) {}

  static async start(): Promise<ThrowawayNats> {
    const server = new ThrowawayNats(await freePort(), await mkdtemp(path.join(tmpdir(), 'arrears-nats-')));
    await server.run();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async run(): Promise<void> {
    this.process = spawn('/usr/sbin/nats-server', ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], { stdio: 'ignore' });
    await eventually(() => connectNats('probe', { servers: this.url, maxReconnectAttempts: 0 }).then((nc) => nc.close()), { timeoutMs: 10_000, intervalMs: 50 });
  }

  /** A graceful stop (SIGTERM): the server flushes its store, as a restart by an operator or Kubernetes does. */
  async stop(): Promise<void> {
    const running = this.process;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  }

  async remove(): Promise<void> {
    await this.stop();
    await rm(this.storeDir, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('nats-server restarted during a load', () => {
  let server: ThrowawayNats;
  let publisher: NatsConnection;
  let jsm: JetStreamManager;
  let topology: Topology;
  let schema: TestSchema;
  let app: INestMicroservice | undefined;

  beforeAll(async () => {
    server = await ThrowawayNats.start();
    publisher = await connectNats('publisher', { servers: server.url });
    jsm = await publisher.jetstreamManager();
    topology = testTopology();
    await createTopology(jsm, topology);
    schema = await createTestSchema('nats_restart');
    await ensureProcessedEventsTable(schema.pool, { schema: schema.name });
    await schema.pool.query(`create table "${schema.name}".ledger (id bigserial primary key, event_id uuid not null)`);
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await removeTopology(jsm, topology).catch(() => undefined);
    await publisher.close();
    await server.remove();
    await schema.drop();
  }, 30_000);

  /** Publishes until JetStream acknowledges; the same message id makes a retry after a lost ack store it once. */
  async function publishUntilStored(event: EventEnvelope): Promise<number> {
    for (let failures = 0; ; failures += 1) {
      try {
        await publishEvent(publisher.jetstream({ timeout: 1_000 }), topology, event);
        return failures;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  it('publishers and consumers reconnect by themselves; every event is handled exactly once', async () => {
    const pool = schema.pool;
    let duplicates = 0;
    let inFlightAtStop = 0;
    @Controller()
    class Ledger {
      @EventPattern(promiseBrokenSubject(topology), { name: 'ledger', concurrency: 8 })
      async record(@Payload() event: EventEnvelope, @Ctx() context: JetStreamContext): Promise<void> {
        const applied = await processOnce(pool, context.getConsumerName(), event, async (tx) => {
          // Slow enough that the outage finds handlers running and events waiting.
          await tx.query('select pg_sleep(0.02)');
          await tx.query(`insert into "${schema.name}".ledger (event_id) values ($1)`, [event.eventId]);
        }, { schema: schema.name });
        if (!applied) duplicates += 1;
      }
    }
    @Module({ controllers: [Ledger] })
    class LedgerModule {}
    const transport = new JetStreamTransport({
      service: 'audit',
      topology,
      servers: server.url,
      consumer: { ackWaitMs: 3_000, fetchExpiresMs: 1_000 },
      logger: { log: () => undefined, error: () => undefined, warn: () => undefined },
    });
    const statuses: JetStreamTransportStatus[] = [];
    transport.status.subscribe((status) => statuses.push(status));
    app = await NestFactory.createMicroservice(LedgerModule, { strategy: transport, logger: false });
    app.useGlobalFilters(new ArrearsRpcExceptionFilter());
    await app.listen();

    const handledSoFar = async () => Number((await pool.query(`select count(*) from "${schema.name}".ledger`)).rows[0].count);
    const published: string[] = [];
    let publishRetries = 0;
    for (let index = 0; index < EVENTS; index += 1) {
      if (index === STOP_AFTER) {
        // Mid-load: the consumer has handled some of what is there, is handling more, and has more waiting.
        await eventually(async () => expect(await handledSoFar()).toBeGreaterThanOrEqual(STOP_AFTER / 4), { intervalMs: 5 });
        inFlightAtStop = STOP_AFTER - (await handledSoFar());
        await server.stop();
        // Publishing goes on against the stopped server and waits it out; the server is back a moment later.
        setTimeout(() => void server.run(), 1_000);
      }
      const event = promiseBroken();
      publishRetries += await publishUntilStored(event);
      published.push(event.eventId);
    }

    await eventually(
      async () => {
        const { rows } = await pool.query<{ event_id: string }>(`select event_id from "${schema.name}".ledger`);
        expect(new Set(rows.map((row) => row.event_id)).size).toBe(EVENTS);
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    await eventually(async () => expect((await jsm.consumers.info(topology.eventsStream, 'audit__ledger')).num_ack_pending).toBe(0), { timeoutMs: 15_000 });
    const { rows } = await pool.query<{ event_id: string }>(`select event_id from "${schema.name}".ledger`);
    expect(rows.map((row) => row.event_id).sort()).toEqual([...published].sort());
    // The outage was felt on both sides, and both came back on their own.
    expect(inFlightAtStop).toBeGreaterThan(0);
    expect(publishRetries).toBeGreaterThan(0);
    expect(statuses).toEqual(expect.arrayContaining(['connected', 'disconnected']));
    expect(statuses[statuses.length - 1]).toBe('connected');
    process.stdout.write(`nats restart: ${inFlightAtStop} events unhandled at the stop, ${publishRetries} publish retries, ${duplicates} redeliveries absorbed by processOnce\n`);
  }, 120_000);
});
