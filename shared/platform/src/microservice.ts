import 'reflect-metadata';
import type { CommandCatalog, ServiceName, Topology } from '@arrears/contracts';
import { ArrearsRpcExceptionFilter, JetStreamTransport } from '@arrears/messaging';
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
}

/** The service's module as a NestJS microservice on the JetStream transport, listening, closed by `closers`. */
export async function listenAsMicroservice(module: DynamicModule, options: MicroserviceOptions, closers: Closers): Promise<INestMicroservice> {
  const app = await NestFactory.createMicroservice(module, {
    strategy: new JetStreamTransport({
      service: options.service,
      topology: options.topology,
      commands: options.commands,
      ...(options.nats ? { connection: options.nats } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    }),
    logger: options.logger ?? false,
  });
  app.useGlobalFilters(new ArrearsRpcExceptionFilter());
  closers.add(() => app.close());
  await app.listen();
  return app;
}
