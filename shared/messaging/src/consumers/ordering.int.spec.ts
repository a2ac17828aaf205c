import { randomUUID } from 'node:crypto';
import type { EventEnvelope, Topology } from '@arrears/contracts';
import { eventually } from '@arrears/testing';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { natsUrl } from '../nats-connection';
import { ArrearsRpcExceptionFilter, type JetStreamContext } from './contexts';
import { JetStreamTransport } from './jetstream-transport';
import { createTopology, promiseBroken, promiseBrokenSubject, publishEvent, removeTopology, testTopology } from './testing/nats-fixtures';

const CASES = 3;
const EVENTS_PER_CASE = 8;

/**
 * What every instance of the service saw, shared as a database would be: which events of each case are being
 * handled right now, and the order in which each case's events were handled successfully.
 */
class Observations {
  readonly handled = new Map<string, number[]>();
  readonly overlaps: string[] = [];
  private readonly running = new Map<string, number>();
  private readonly failedOnce = new Set<string>();

  async handle(event: EventEnvelope, context: JetStreamContext): Promise<void> {
    const caseId = event.metadata.caseId as string;
    const running = this.running.get(caseId);
    if (running !== undefined) this.overlaps.push(`case ${caseId}: position ${event.streamPosition} started while ${running} was running`);
    this.running.set(caseId, event.streamPosition);
    try {
      // Work takes a little while, so that two events of a case handled concurrently would overlap.
      await new Promise((resolve) => setTimeout(resolve, 5 + (event.streamPosition % 3) * 5));
      // Every third event fails its first delivery: a retry must not let the case's next event overtake it.
      if (event.streamPosition % 3 === 1 && context.getDeliveryCount() === 1 && !this.failedOnce.has(event.eventId)) {
        this.failedOnce.add(event.eventId);
        throw new Error('transient failure');
      }
      this.handled.set(caseId, [...(this.handled.get(caseId) ?? []), event.streamPosition]);
    } finally {
      this.running.delete(caseId);
    }
  }
}

function orderedService(topology: Topology, observations: Observations) {
  @Controller()
  class CaseTimeline {
    @EventPattern(promiseBrokenSubject(topology), { name: 'case-timeline', ordered: 'per-case', concurrency: 4, backoffMs: [30] })
    handle(@Payload() event: EventEnvelope, @Ctx() context: JetStreamContext) {
      return observations.handle(event, context);
    }
  }
  @Module({ controllers: [CaseTimeline] })
  class CaseTimelineModule {}
  return CaseTimelineModule;
}

describe('JetStream transport: per-case order', () => {
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let topology: Topology;
  const apps: INestMicroservice[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: natsUrl() });
    js = nc.jetstream();
    jsm = await nc.jetstreamManager();
    topology = testTopology();
    await createTopology(jsm, topology);
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await removeTopology(jsm, topology);
    await nc.drain();
  });

  it('holds across concurrency, retries and two instances of the service', async () => {
    const observations = new Observations();
    for (let instance = 0; instance < 2; instance += 1) {
      const transport = new JetStreamTransport({ service: 'case-workflow', topology, consumer: { ackWaitMs: 5_000, fetchExpiresMs: 1_000 } });
      const app = await NestFactory.createMicroservice(orderedService(topology, observations), { strategy: transport, logger: false });
      app.useGlobalFilters(new ArrearsRpcExceptionFilter());
      await app.listen();
      apps.push(app);
    }
    const cases = Array.from({ length: CASES }, () => ({ caseId: randomUUID(), streamId: `promise-${randomUUID()}` }));
    // Interleaved as they would be in the store: case A's first, case B's first, …, case A's second, …
    for (let position = 0; position < EVENTS_PER_CASE; position += 1) {
      for (const { caseId, streamId } of cases) await publishEvent(js, topology, promiseBroken({ caseId, streamId, streamPosition: position }));
    }

    const inOrder = Array.from({ length: EVENTS_PER_CASE }, (_, position) => position);
    await eventually(() => expect([...observations.handled.values()].flat()).toHaveLength(CASES * EVENTS_PER_CASE), { timeoutMs: 20_000 });
    expect(observations.overlaps).toEqual([]);
    for (const { caseId } of cases) expect(observations.handled.get(caseId)).toEqual(inOrder);
  });
});
