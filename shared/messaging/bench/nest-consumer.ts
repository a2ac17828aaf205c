import type { EventEnvelope, Topology } from '@arrears/contracts';
import { ArrearsRpcExceptionFilter, JetStreamTransport, type JetStreamContext } from '@arrears/messaging';
import { Controller, Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { JsMsg } from 'nats';

/** What the handler is called: its durable consumer is `accounts__bench`. */
const HANDLER_NAME = 'bench';

/**
 * The Arrears path's consumer: a Nest microservice of the `accounts` service on the `JetStreamTransport` with its
 * default consumer settings, whose one `@EventPattern` handler takes every PaymentReceived and records it. The
 * decorators are applied by hand because the subject carries this run's topology root.
 */
export async function startNestConsumer(topology: Topology, onHandled: (eventId: string, msg: JsMsg) => void): Promise<INestMicroservice> {
  @Controller()
  class BenchHandlers {}
  const handle = (event: EventEnvelope, context: JetStreamContext) => onHandled(event.eventId, context.getMessage());
  Object.defineProperty(BenchHandlers.prototype, 'handle', { value: handle, writable: true });
  const descriptor = Object.getOwnPropertyDescriptor(BenchHandlers.prototype, 'handle') as PropertyDescriptor;
  Payload()(BenchHandlers.prototype, 'handle', 0);
  Ctx()(BenchHandlers.prototype, 'handle', 1);
  EventPattern(`${topology.eventPrefix}.accounts.PaymentReceived`, { name: HANDLER_NAME })(BenchHandlers.prototype, 'handle', descriptor);
  @Module({ controllers: [BenchHandlers] })
  class BenchModule {}
  // The streams are the relay's (made before it started): a consumer never changes their settings.
  const transport = new JetStreamTransport({ service: 'accounts', topology, streams: false, connectionOptions: { name: 'bench:bus consumer' } });
  const app = await NestFactory.createMicroservice(BenchModule as Type, { strategy: transport, logger: false });
  app.useGlobalFilters(new ArrearsRpcExceptionFilter());
  await app.listen();
  return app;
}
