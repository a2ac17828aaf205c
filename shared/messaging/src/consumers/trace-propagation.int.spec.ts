import { randomUUID } from 'node:crypto';
import { commandSubject, eventToMessage, type CommandEnvelope, type EventEnvelope, type Topology } from '@arrears/contracts';
import { InMemoryEventStore, handleCommand } from '@arrears/event-store';
import { startTestTelemetry, type TestTelemetry } from '@arrears/observability';
import { eventually } from '@arrears/testing';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { SpanKind } from '@opentelemetry/api';
import { connect, headers as natsHeaders, type JetStreamManager, type NatsConnection } from 'nats';
import { CommandClient } from '../commands/command-client';
import { natsUrl } from '../nats-connection';
import { ArrearsRpcExceptionFilter } from './contexts';
import { JetStreamTransport } from './jetstream-transport';
import { createTopology, promiseBrokenSubject, removeTopology, testTopology } from './testing/nats-fixtures';

/** One microservice that takes the BreakPromise command and also consumes the PromiseBroken event it causes. */
function promiseService(topology: Topology, store: InMemoryEventStore, consumed: EventEnvelope[]) {
  @Controller()
  class Promises {
    @MessagePattern(commandSubject('promises-to-pay', 'BreakPromise', topology))
    break(@Payload() command: CommandEnvelope<'BreakPromise', { promiseId: string }>) {
      return handleCommand(
        { store, streamId: `promise-${command.data.promiseId}`, initialState: () => ({}), evolve: (state) => state, decide: () => [{ type: 'PromiseBroken', data: {} }] },
        command,
      );
    }

    @EventPattern(promiseBrokenSubject(topology), { name: 'notify-collector' })
    notify(@Payload() event: EventEnvelope) {
      consumed.push(event);
    }
  }
  @Module({ controllers: [Promises] })
  class PromisesModule {}
  return PromisesModule;
}

describe('one trace from the command to the consumer', () => {
  let telemetry: TestTelemetry;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let topology: Topology;
  let app: INestMicroservice;

  beforeAll(async () => {
    telemetry = startTestTelemetry('promises-to-pay');
    nc = await connect({ servers: natsUrl() });
    jsm = await nc.jetstreamManager();
    topology = testTopology();
    await createTopology(jsm, topology);
  });

  afterAll(async () => {
    await app.close();
    await removeTopology(jsm, topology);
    await nc.drain();
    await telemetry.shutdown();
  });

  it('client span → server span → the stored event → consumer span', async () => {
    const store = new InMemoryEventStore();
    const consumed: EventEnvelope[] = [];
    app = await NestFactory.createMicroservice(promiseService(topology, store, consumed), { strategy: new JetStreamTransport({ service: 'promises-to-pay', topology }), logger: false });
    app.useGlobalFilters(new ArrearsRpcExceptionFilter());
    await app.listen();
    await telemetry.reset();

    const promiseId = randomUUID();
    const client = new CommandClient({ connection: nc, topology });
    await client.send('promises-to-pay', { type: 'BreakPromise', data: { promiseId }, metadata: { correlationId: randomUUID(), actorId: 'collector-7', actorRole: 'collector', now: '2026-11-29T09:30:00.000Z' } });
    // The relay's part, done here: the stored event goes to JetStream with its trace in the headers.
    const [stored] = await store.readStream(`promise-${promiseId}`);
    const message = eventToMessage(stored as EventEnvelope, topology);
    const headers = natsHeaders();
    for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
    await nc.jetstream().publish(message.subject, message.body, { headers, msgID: stored?.eventId });
    await eventually(() => expect(consumed).toHaveLength(1));

    const spans = await eventually(async () => {
      const finished = await telemetry.finishedSpans();
      expect(finished.filter((span) => span.instrumentationScope.name === '@arrears/messaging')).toHaveLength(3);
      return finished;
    });
    const byKind = (kind: SpanKind) => spans.find((span) => span.kind === kind && span.instrumentationScope.name === '@arrears/messaging');
    const sending = byKind(SpanKind.CLIENT);
    const serving = byKind(SpanKind.SERVER);
    const consuming = byKind(SpanKind.CONSUMER);
    expect(serving?.parentSpanContext?.spanId).toBe(sending?.spanContext().spanId);
    expect(stored?.metadata.trace?.traceparent).toContain(serving?.spanContext().spanId);
    expect(consuming?.parentSpanContext?.spanId).toBe(serving?.spanContext().spanId);
    expect(new Set([sending, serving, consuming].map((span) => span?.spanContext().traceId)).size).toBe(1);
  });
});
