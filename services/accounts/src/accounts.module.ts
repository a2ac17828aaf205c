import { accounts, commandSubject, type CommandEnvelope, type EventEnvelope, type Topology } from '@arrears/contracts';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { AccountCommands } from './account/account-commands';
import { noteBrokenPromise } from './account/broken-promises';
import { closeOnCompletedPlan } from './account/completed-plans';

export const ACCOUNT_COMMANDS = Symbol('AccountCommands');
export const ACCOUNT_PROJECTION = Symbol('AccountsProjection');

/** What the read models offer the consumer: one event applied, exactly once in effect. */
export interface AccountEventsProjection {
  handle(event: EventEnvelope): Promise<void>;
}

export interface AccountsModuleOptions {
  readonly topology: Topology;
  readonly commands: AccountCommands;
  readonly projection: AccountEventsProjection;
}

/**
 * Wiring only: every accounts command over NATS request-reply to the command side, every accounts event from
 * JetStream to the read models (one case at a time, in stream order), promises-to-pay's PromiseBroken to the
 * command side as NoteBrokenPromise, and payment-plans' PlanCompleted as CloseOnCompletedPlan. The subjects depend
 * on the topology, so the controller is made for it.
 */
export function accountsModule(options: AccountsModuleOptions): DynamicModule {
  const subjects = accounts.ACCOUNT_COMMANDS.map((command) => commandSubject('accounts', command.type, options.topology));

  @Controller()
  class AccountsController {
    constructor(
      @Inject(ACCOUNT_COMMANDS) private readonly commands: AccountCommands,
      @Inject(ACCOUNT_PROJECTION) private readonly projection: AccountEventsProjection,
    ) {}

    @MessagePattern(subjects)
    handle(@Payload() command: CommandEnvelope & accounts.AccountCommand) {
      return this.commands.handle(command);
    }

    /** A broken promise counts in the account's risk score. */
    @EventPattern(`${options.topology.eventPrefix}.promises-to-pay.PromiseBroken`, { name: 'broken-promises' })
    async brokenPromise(@Payload() event: EventEnvelope) {
      await this.commands.handle(noteBrokenPromise(event));
    }

    /** A completed payment plan closes the account as paid in full or settled. */
    @EventPattern(`${options.topology.eventPrefix}.payment-plans.PlanCompleted`, { name: 'completed-plans' })
    async completedPlan(@Payload() event: EventEnvelope) {
      await this.commands.handle(closeOnCompletedPlan(event));
    }

    @EventPattern(`${options.topology.eventPrefix}.accounts.*`, { name: 'read-models', ordered: 'per-case' })
    project(@Payload() event: EventEnvelope) {
      return this.projection.handle(event);
    }
  }

  @Module({})
  class AccountsModule {}

  return {
    module: AccountsModule,
    controllers: [AccountsController],
    providers: [
      { provide: ACCOUNT_COMMANDS, useValue: options.commands },
      { provide: ACCOUNT_PROJECTION, useValue: options.projection },
    ],
  };
}
