import { randomUUID } from 'node:crypto';
import { commandSubject, type CommandEnvelope, type EventEnvelope, type Topology } from '@arrears/contracts';
import { handleCommand, type EventStore } from '@arrears/event-store';
import { ArrearsRpcExceptionFilter, CommandClient, JetStreamTransport } from '@arrears/messaging';
import { RelayHarness } from '@arrears/messaging/src/relay/testing/relay-harness';
import { describeSpanTree, expectSpanChain, startTestTelemetry, traceHttpRequests } from '@arrears/observability';
import { createTestSchema, eventually, uniqueName } from '@arrears/testing';
import { Controller, Module, Param, Post, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SpanKind } from '@opentelemetry/api';

/**
 * The whole path of one request, as running pieces: an HTTP API (NestJS on Fastify) sends a command over NATS,
 * the owning service decides and stores an event in PostgreSQL, the relay publishes it to JetStream, and a
 * consumer handles it. One trace must span all of it, each hop a child of the one before.
 */
function promisesService(topology: Topology, store: EventStore, consumed: EventEnvelope[]) {
  @Controller()
  class Promises {
    @MessagePattern(commandSubject('promises-to-pay', 'BreakPromise', topology))
    break(@Payload() command: CommandEnvelope<'BreakPromise', { promiseId: string }>) {
      return handleCommand(
        {
          store,
          streamId: `promise-${command.data.promiseId}`,
          initialState: () => ({}),
          evolve: (state) => state,
          decide: () => [{ type: 'PromiseBroken', data: { promiseId: command.data.promiseId } }],
        },
        command,
      );
    }

    @EventPattern(`${topology.eventPrefix}.promises-to-pay.PromiseBroken`, { name: 'notify-collector' })
    notify(@Payload() event: EventEnvelope) {
      consumed.push(event);
    }
  }
  @Module({ controllers: [Promises] })
  class PromisesModule {}
  return PromisesModule;
}

function gateway(client: CommandClient) {
  @Controller('promises')
  class PromisesApi {
    @Post(':promiseId/broken')
    async broken(@Param('promiseId') promiseId: string) {
      return client.send('promises-to-pay', {
        type: 'BreakPromise',
        data: { promiseId },
        metadata: { correlationId: randomUUID(), actorId: 'collector-7', actorRole: 'collector', now: '2026-11-29T09:30:00.000Z' },
      });
    }
  }
  @Module({ controllers: [PromisesApi] })
  class GatewayModule {}
  return GatewayModule;
}

const PROMISE_ID = randomUUID();

describe('one trace from an HTTP request to the consumer of the event it caused', () => {
  const telemetry = startTestTelemetry('arrears-e2e');
  let harness: RelayHarness;
  let service: INestMicroservice;
  let http: INestApplication;

  afterAll(async () => {
    await http?.close();
    await service?.close();
    await harness?.cleanup();
    await telemetry.shutdown();
  });

  it('HTTP server → command client → command server → relay producer → event consumer', async () => {
    harness = await RelayHarness.create({ createSchema: createTestSchema, root: uniqueName('trace') });
    const consumed: EventEnvelope[] = [];
    service = await NestFactory.createMicroservice(promisesService(harness.topology, harness.store, consumed), {
      strategy: new JetStreamTransport({ service: 'promises-to-pay', topology: harness.topology }),
      logger: false,
    });
    service.useGlobalFilters(new ArrearsRpcExceptionFilter());
    await service.listen();
    const relay = await harness.relay();
    relay.start();

    http = await NestFactory.create<NestFastifyApplication>(gateway(new CommandClient({ connection: harness.nats, topology: harness.topology })), new FastifyAdapter(), {
      logger: false,
    });
    traceHttpRequests(http);
    await http.init();
    await (http as NestFastifyApplication).getHttpAdapter().getInstance().ready();
    await telemetry.reset();

    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await (http as NestFastifyApplication).inject({ method: 'POST', url: `/promises/${PROMISE_ID}/broken`, headers: { traceparent: incoming }, payload: {} });
    expect(response.statusCode).toBe(201);
    await eventually(() => expect(consumed.map((event) => event.data)).toEqual([{ promiseId: PROMISE_ID }]));

    const spans = await eventually(async () => {
      const finished = await telemetry.finishedSpans();
      expect(finished.some((span) => span.kind === SpanKind.CONSUMER)).toBe(true);
      return finished;
    });
    const chain = expectSpanChain(spans, [
      { name: 'POST /promises/:promiseId/broken', kind: SpanKind.SERVER },
      { name: `send ${commandSubject('promises-to-pay', 'BreakPromise', harness.topology)}`, kind: SpanKind.CLIENT },
      { name: `process ${commandSubject('promises-to-pay', 'BreakPromise', harness.topology)}`, kind: SpanKind.SERVER },
      { name: `publish ${harness.topology.eventPrefix}.promises-to-pay.PromiseBroken`, kind: SpanKind.PRODUCER },
      { name: `process ${harness.topology.eventPrefix}.promises-to-pay.PromiseBroken`, kind: SpanKind.CONSUMER },
    ]);
    // The trace the caller started is the one that reaches the consumer.
    expect(new Set(chain.map((span) => span.spanContext().traceId))).toEqual(new Set(['4bf92f3577b34da6a3ce929d0e0e4736']));
    expect(chain[0]?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    // The stored event carries the command server's span: that is how the relay, later, joins the trace.
    const [stored] = await harness.store.readStream(`promise-${PROMISE_ID}`);
    expect(stored?.metadata.trace?.traceparent).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${chain[2]?.spanContext().spanId}-01`);
    expect(describeSpanTree(spans)).toContain('process');
  });
});
