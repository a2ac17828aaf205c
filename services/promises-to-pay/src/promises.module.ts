import { commandSubject, promisesToPay, type CommandEnvelope, type EventEnvelope, type Topology } from '@arrears/contracts';
import type { PostgresTimerStore } from '@arrears/timers';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { applyPaymentFrom } from './promise/payments';
import type { PromiseCommands } from './promise/promise-commands';
import { followPromiseEvent } from './promise/promise-timers';

export const PROMISE_COMMANDS = Symbol('PromiseCommands');
export const PROMISE_PROJECTION = Symbol('PromisesProjection');
export const PROMISE_TIMERS = Symbol('PromiseTimers');

export interface PromiseEventsProjection {
  handle(event: EventEnvelope): Promise<void>;
}

export interface PromisesModuleOptions {
  readonly topology: Topology;
  readonly commands: PromiseCommands;
  readonly projection: PromiseEventsProjection;
  readonly timers: PostgresTimerStore;
}

/**
 * Wiring only: the promise commands over NATS; accounts' payments to the promises they keep; the service's own
 * promise events to their break timers and, with accounts' bucket and tier changes, to the read models.
 */
export function promisesModule(options: PromisesModuleOptions): DynamicModule {
  const { eventPrefix } = options.topology;
  const subjects = promisesToPay.PROMISE_COMMANDS.map((command) => commandSubject('promises-to-pay', command.type, options.topology));

  @Controller()
  class PromisesController {
    constructor(
      @Inject(PROMISE_COMMANDS) private readonly commands: PromiseCommands,
      @Inject(PROMISE_PROJECTION) private readonly projection: PromiseEventsProjection,
      @Inject(PROMISE_TIMERS) private readonly timers: PostgresTimerStore,
    ) {}

    @MessagePattern(subjects)
    handle(@Payload() command: CommandEnvelope & promisesToPay.PromiseCommand) {
      return this.commands.handle(command);
    }

    @EventPattern(`${eventPrefix}.accounts.PaymentPosted`, { name: 'payments', ordered: 'per-case' })
    async payment(@Payload() event: EventEnvelope) {
      await this.commands.applyPayment(event, applyPaymentFrom(event));
    }

    @EventPattern(`${eventPrefix}.promises-to-pay.*`, { name: 'timers' })
    async followTimers(@Payload() event: EventEnvelope) {
      await followPromiseEvent(this.timers, event);
    }

    @EventPattern(`${eventPrefix}.promises-to-pay.*`, { name: 'read-models', ordered: 'per-case' })
    async project(@Payload() event: EventEnvelope) {
      await this.projection.handle(event);
    }

    /** The case's bucket and tier, for the promise rates by segment. */
    @EventPattern(`${eventPrefix}.accounts.*`, { name: 'read-model-segments', ordered: 'per-case' })
    async segments(@Payload() event: EventEnvelope) {
      await this.projection.handle(event);
    }

    /** The case's creditor, product and the debtor's jurisdiction, for the worklists and rates to narrow by. */
    @EventPattern(`${eventPrefix}.accounts.AccountPlaced`, { name: 'read-models-placements', ordered: 'per-case' })
    async projectPlacement(@Payload() event: EventEnvelope) {
      await this.projection.handle(event);
    }
  }

  @Module({})
  class PromisesModule {}

  return {
    module: PromisesModule,
    controllers: [PromisesController],
    providers: [
      { provide: PROMISE_COMMANDS, useValue: options.commands },
      { provide: PROMISE_PROJECTION, useValue: options.projection },
      { provide: PROMISE_TIMERS, useValue: options.timers },
    ],
  };
}
