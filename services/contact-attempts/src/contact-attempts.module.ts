import { commandSubject, contactAttempts, type CommandEnvelope, type EventEnvelope, type Topology } from '@arrears/contracts';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { ContactCommands } from './contact/contact-commands';

export const CONTACT_COMMANDS = Symbol('ContactCommands');
export const CONTACT_PROJECTION = Symbol('ContactProjection');

export interface ContactEventsProjection {
  handle(event: EventEnvelope): Promise<void>;
}

export interface ContactAttemptsModuleOptions {
  readonly topology: Topology;
  readonly commands: ContactCommands;
  readonly projection: ContactEventsProjection;
}

/** Wiring only: the contact commands over NATS request-reply, the contact events from JetStream to the read models. */
export function contactAttemptsModule(options: ContactAttemptsModuleOptions): DynamicModule {
  const subjects = contactAttempts.CONTACT_COMMANDS.map((command) => commandSubject('contact-attempts', command.type, options.topology));

  @Controller()
  class ContactAttemptsController {
    constructor(
      @Inject(CONTACT_COMMANDS) private readonly commands: ContactCommands,
      @Inject(CONTACT_PROJECTION) private readonly projection: ContactEventsProjection,
    ) {}

    @MessagePattern(subjects)
    handle(@Payload() command: CommandEnvelope & contactAttempts.ContactCommand) {
      return this.commands.handle(command);
    }

    @EventPattern(`${options.topology.eventPrefix}.contact-attempts.*`, { name: 'read-models', ordered: 'per-case' })
    project(@Payload() event: EventEnvelope) {
      return this.projection.handle(event);
    }
  }

  @Module({})
  class ContactAttemptsModule {}

  return {
    module: ContactAttemptsModule,
    controllers: [ContactAttemptsController],
    providers: [
      { provide: CONTACT_COMMANDS, useValue: options.commands },
      { provide: CONTACT_PROJECTION, useValue: options.projection },
    ],
  };
}
