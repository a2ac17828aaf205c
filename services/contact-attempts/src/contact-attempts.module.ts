import { commandSubject, contactAttempts, type CommandEnvelope, type EventEnvelope, type Topology } from '@arrears/contracts';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { ContactCommands } from './contact/contact-commands';
import type { ScriptCommands } from './script/script-commands';

export const CONTACT_COMMANDS = Symbol('ContactCommands');
export const CONTACT_PROJECTION = Symbol('ContactProjection');
export const SCRIPT_COMMANDS = Symbol('ScriptCommands');

const CONTACT_EVENT_TYPES = new Set<string>(contactAttempts.CONTACT_EVENTS.map((definition) => definition.type));
const SCRIPT_COMMAND_TYPES = new Set<string>(contactAttempts.SCRIPT_COMMANDS.map((definition) => definition.type));

export interface ContactEventsProjection {
  handle(event: EventEnvelope): Promise<void>;
}

export interface ContactAttemptsModuleOptions {
  readonly topology: Topology;
  readonly commands: ContactCommands;
  readonly scripts: ScriptCommands;
  readonly projection: ContactEventsProjection;
}

/** Wiring only: the contact and script commands over NATS request-reply, the contact events from JetStream to the read models. */
export function contactAttemptsModule(options: ContactAttemptsModuleOptions): DynamicModule {
  const subjects = [...contactAttempts.CONTACT_COMMANDS, ...contactAttempts.SCRIPT_COMMANDS].map((command) => commandSubject('contact-attempts', command.type, options.topology));

  @Controller()
  class ContactAttemptsController {
    constructor(
      @Inject(CONTACT_COMMANDS) private readonly commands: ContactCommands,
      @Inject(CONTACT_PROJECTION) private readonly projection: ContactEventsProjection,
      @Inject(SCRIPT_COMMANDS) private readonly scripts: ScriptCommands,
    ) {}

    @MessagePattern(subjects)
    handle(@Payload() command: CommandEnvelope & (contactAttempts.ContactCommand | contactAttempts.ScriptCommand)) {
      return SCRIPT_COMMAND_TYPES.has(command.type)
        ? this.scripts.handle(command as CommandEnvelope & contactAttempts.ScriptCommand)
        : this.commands.handle(command as CommandEnvelope & contactAttempts.ContactCommand);
    }

    /** The debtors' contact records feed the read models; the script library's events are not theirs. */
    @EventPattern(`${options.topology.eventPrefix}.contact-attempts.*`, { name: 'read-models', ordered: 'per-case' })
    async project(@Payload() event: EventEnvelope) {
      if (CONTACT_EVENT_TYPES.has(event.type)) await this.projection.handle(event);
    }

    /** The case's creditor and product (and the debtor's jurisdiction), for the metrics and the compliance report to narrow by. */
    @EventPattern(`${options.topology.eventPrefix}.accounts.AccountPlaced`, { name: 'read-models-placements', ordered: 'per-case' })
    async projectPlacement(@Payload() event: EventEnvelope) {
      await this.projection.handle(event);
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
      { provide: SCRIPT_COMMANDS, useValue: options.scripts },
    ],
  };
}
