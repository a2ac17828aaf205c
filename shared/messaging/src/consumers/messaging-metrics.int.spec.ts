import { randomUUID } from 'node:crypto';
import { ArrearsError, commandSubject, ErrorCode, type CommandEnvelope, type EventEnvelope, type Topology } from '@arrears/contracts';
import { prometheusSample, startTelemetry, type Telemetry } from '@arrears/observability';
import { eventually, rejection } from '@arrears/testing';
import { Controller, Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { CommandClient } from '../commands/command-client';
import { natsUrl } from '../nats-connection';
import { ArrearsRpcExceptionFilter } from './contexts';
import { JetStreamTransport } from './jetstream-transport';
import { createTopology, promiseBroken, promiseBrokenSubject, publishEvent, removeTopology, testTopology } from './testing/nats-fixtures';

const SERVICE = 'promises-to-pay';
const FAILING = `${SERVICE}__always-fails`;
const HELD = `${SERVICE}__held`;

/**
 * What the transport records, read as a scrape of `/metrics` reads it (the running telemetry's Prometheus text):
 * command latency by outcome, dead letters and handled events by consumer, and JetStream's consumer lag.
 */
describe('messaging metrics', () => {
  let telemetry: Telemetry;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let topology: Topology;
  let app: INestMicroservice;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let entered = 0;

  beforeAll(async () => {
    // Before the transport is built: its gauges attach to the provider registered when it starts.
    telemetry = startTelemetry({ serviceName: SERVICE, env: {} });
    nc = await connect({ servers: natsUrl() });
    js = nc.jetstream();
    jsm = await nc.jetstreamManager();
    topology = testTopology();
    await createTopology(jsm, topology);

    const subject = promiseBrokenSubject(topology);
    @Controller()
    class PromiseHandlers {
      @MessagePattern(commandSubject(SERVICE, 'RecordPromise', topology))
      record(@Payload() command: CommandEnvelope): { recorded: string } {
        return { recorded: command.commandId };
      }

      @MessagePattern(commandSubject(SERVICE, 'BreakPromise', topology))
      break(): never {
        throw new ArrearsError(ErrorCode.NOT_FOUND, 'No such promise', { field: 'data.promiseId' });
      }

      @EventPattern(subject, { name: 'always-fails', maxDeliver: 1 })
      fail(@Payload() event: EventEnvelope): never {
        throw new Error(`cannot handle ${event.eventId}`);
      }

      @EventPattern(subject, { name: 'held', concurrency: 1 })
      async hold(): Promise<void> {
        entered += 1;
        await held;
      }
    }
    @Module({ controllers: [PromiseHandlers] })
    class PromiseModule {}
    const transport = new JetStreamTransport({ service: SERVICE, topology, consumer: { ackWaitMs: 30_000, fetchExpiresMs: 1_000 }, consumerInfoMaxAgeMs: 50 });
    app = await NestFactory.createMicroservice(PromiseModule as Type, { strategy: transport, logger: false });
    app.useGlobalFilters(new ArrearsRpcExceptionFilter());
    await app.listen();
  });

  afterAll(async () => {
    release();
    await app?.close();
    await removeTopology(jsm, topology);
    await nc.drain();
    await telemetry?.shutdown();
  });

  const scrape = () => telemetry.renderMetrics();

  it('times every command in arrears_command_duration_seconds, under ok or the error code', async () => {
    const client = new CommandClient({ connection: nc, topology });
    const labels = (command: string, outcome: string) => ({ service: SERVICE, command, outcome, service_name: SERVICE });
    const before = await scrape();
    const ok = prometheusSample(before, 'arrears_command_duration_seconds_count', labels('RecordPromise', 'ok')) ?? 0;
    const notFound = prometheusSample(before, 'arrears_command_duration_seconds_count', labels('BreakPromise', 'NOT_FOUND')) ?? 0;
    const metadata = { correlationId: randomUUID(), actorId: 'collector-7', actorRole: 'collector' as const, now: '2026-11-30T09:00:00.000Z' };

    await client.send(SERVICE, { type: 'RecordPromise', data: {}, metadata });
    expect(await rejection(client.send(SERVICE, { type: 'BreakPromise', data: {}, metadata }))).toMatchObject({ code: 'NOT_FOUND' });

    const after = await scrape();
    expect(prometheusSample(after, 'arrears_command_duration_seconds_count', labels('RecordPromise', 'ok'))).toBe(ok + 1);
    expect(prometheusSample(after, 'arrears_command_duration_seconds_count', labels('BreakPromise', 'NOT_FOUND'))).toBe(notFound + 1);
    expect(prometheusSample(after, 'arrears_command_duration_seconds_bucket', { ...labels('RecordPromise', 'ok'), le: '+Inf' })).toBe(ok + 1);
  });

  it('counts dead letters by consumer, and shows what a busy consumer has not yet processed', async () => {
    for (let i = 0; i < 3; i += 1) await publishEvent(js, topology, promiseBroken());

    // The failing handler dead-letters each event on its first delivery.
    await eventually(async () => expect(prometheusSample(await scrape(), 'arrears_dead_letters_total', { consumer: FAILING, service: SERVICE })).toBe(3), { timeoutMs: 15_000, intervalMs: 100 });
    const text = await scrape();
    expect(prometheusSample(text, 'arrears_events_handled_total', { consumer: FAILING, outcome: 'dead-lettered' })).toBe(3);
    expect(prometheusSample(text, 'arrears_events_handled_total', { consumer: FAILING, outcome: 'ok' })).toBeUndefined();
    expect(prometheusSample(text, 'arrears_dead_letters_total', { consumer: HELD })).toBeUndefined();

    // The held handler takes one event at a time and is stuck on the first: one unacknowledged, two waiting.
    await eventually(() => expect(entered).toBe(1));
    await eventually(
      async () => {
        const lag = await scrape();
        expect(prometheusSample(lag, 'arrears_consumer_pending_messages', { consumer: HELD, service: SERVICE })).toBe(2);
        expect(prometheusSample(lag, 'arrears_consumer_ack_pending_messages', { consumer: HELD, service: SERVICE })).toBe(1);
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(prometheusSample(await scrape(), 'arrears_consumer_pending_messages', { consumer: FAILING })).toBe(0);

    release();
    await eventually(
      async () => {
        const lag = await scrape();
        expect(prometheusSample(lag, 'arrears_consumer_pending_messages', { consumer: HELD })).toBe(0);
        expect(prometheusSample(lag, 'arrears_consumer_ack_pending_messages', { consumer: HELD })).toBe(0);
        expect(prometheusSample(lag, 'arrears_events_handled_total', { consumer: HELD, outcome: 'ok' })).toBe(3);
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  }, 40_000);
});
