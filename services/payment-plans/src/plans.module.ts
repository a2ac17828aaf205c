import { commandSubject, paymentPlans, type CommandEnvelope, type EventEnvelope, type Topology } from '@arrears/contracts';
import type { PostgresTimerStore } from '@arrears/timers';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { PlanCommands } from './plan/plan-commands';
import { followPlanEvent } from './plan/plan-timers';
import { applyPaymentFrom } from './plan/payments';

export const PLAN_COMMANDS = Symbol('PlanCommands');
export const PLAN_PROJECTION = Symbol('PlansProjection');
export const PLAN_TIMERS = Symbol('PlanTimers');

export interface PlanEventsProjection {
  handle(event: EventEnvelope): Promise<void>;
}

export interface PlansModuleOptions {
  readonly topology: Topology;
  readonly commands: PlanCommands;
  readonly projection: PlanEventsProjection;
  readonly timers: PostgresTimerStore;
}

/**
 * Wiring only: the plan commands over NATS; accounts' payments to the running plan's instalments; the service's
 * own plan events to their instalment timers and, with accounts' bucket and tier changes, to the read models.
 */
export function plansModule(options: PlansModuleOptions): DynamicModule {
  const { eventPrefix } = options.topology;
  const subjects = paymentPlans.PLAN_COMMANDS.map((command) => commandSubject('payment-plans', command.type, options.topology));

  @Controller()
  class PlansController {
    constructor(
      @Inject(PLAN_COMMANDS) private readonly commands: PlanCommands,
      @Inject(PLAN_PROJECTION) private readonly projection: PlanEventsProjection,
      @Inject(PLAN_TIMERS) private readonly timers: PostgresTimerStore,
    ) {}

    @MessagePattern(subjects)
    handle(@Payload() command: CommandEnvelope & paymentPlans.PlanCommand) {
      return this.commands.handle(command);
    }

    @EventPattern(`${eventPrefix}.accounts.PaymentPosted`, { name: 'payments', ordered: 'per-case' })
    async payment(@Payload() event: EventEnvelope) {
      await this.commands.applyPayment(event, applyPaymentFrom(event));
    }

    @EventPattern(`${eventPrefix}.payment-plans.*`, { name: 'timers', ordered: 'per-case' })
    async followTimers(@Payload() event: EventEnvelope) {
      await followPlanEvent(this.timers, event);
    }

    @EventPattern(`${eventPrefix}.payment-plans.*`, { name: 'read-models', ordered: 'per-case' })
    async project(@Payload() event: EventEnvelope) {
      await this.projection.handle(event);
    }

    /** The case's bucket and tier, for plan performance by segment. */
    @EventPattern(`${eventPrefix}.accounts.*`, { name: 'read-model-segments', ordered: 'per-case' })
    async segments(@Payload() event: EventEnvelope) {
      await this.projection.handle(event);
    }
  }

  @Module({})
  class PlansModule {}

  return {
    module: PlansModule,
    controllers: [PlansController],
    providers: [
      { provide: PLAN_COMMANDS, useValue: options.commands },
      { provide: PLAN_PROJECTION, useValue: options.projection },
      { provide: PLAN_TIMERS, useValue: options.timers },
    ],
  };
}
