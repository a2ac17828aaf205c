import 'reflect-metadata';
import type { CommandCatalog, ServiceName, Topology } from '@arrears/contracts';
import { ArrearsRpcExceptionFilter, JetStreamTransport, QueryServer, type QueryHandler } from '@arrears/messaging';
import type { DynamicModule, INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import type { Closers } from './closers';

export interface MicroserviceOptions {
  readonly service: ServiceName;
  readonly topology: Topology;
  readonly commands: CommandCatalog;
  /** A NATS connection the caller owns; otherwise the transport opens its own (`NATS_URL`). */
  readonly nats?: NatsConnection;
  readonly logger?: LoggerService | false;
  /** The service's read-model queries, answered on `<root>.qry.<service>.<Query>` over the transport's connection. */
  readonly queries?: Readonly<Record<string, QueryHandler>>;
  /** The platform clock (when an event is dead-lettered); default the real one. */
  readonly clock?: () => Date;
}

/** The service's module as a NestJS microservice on the JetStream transport, listening, closed by `closers`. */
export async function listenAsMicroservice(module: DynamicModule, options: MicroserviceOptions, closers: Closers): Promise<INestMicroservice> {
  const strategy = new JetStreamTransport({
    service: options.service,
    topology: options.topology,
    commands: options.commands,
    ...(options.nats ? { connection: options.nats } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = await NestFactory.createMicroservice(module, { strategy, logger: options.logger ?? false });
  app.useGlobalFilters(new ArrearsRpcExceptionFilter());
  closers.add(() => app.close());
  await app.listen();
  if (options.queries !== undefined) {
    const queries = new QueryServer({
      connection: strategy.unwrap<NatsConnection>(),
      service: options.service,
      topology: options.topology,
      handlers: options.queries,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    queries.start();
    closers.add(() => queries.stop());
  }
  return app;
}
