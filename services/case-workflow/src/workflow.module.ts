import { caseWorkflow, commandSubject, streamCategory, type CommandEnvelope, type EventEnvelope, type Topology } from '@arrears/contracts';
import type { SagaRuntime } from '@arrears/sagas';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { CaseEvent, CaseState } from './case/domain/case-state';
import type { RosterCommands } from './roster/roster-commands';

export const CASE_SAGA = Symbol('CaseSaga');
export const ROSTER = Symbol('RosterCommands');
export const WORKFLOW_PROJECTION = Symbol('WorkflowProjection');

export interface WorkflowEventsProjection {
  handle(event: EventEnvelope): Promise<void>;
}

export interface WorkflowModuleOptions {
  readonly topology: Topology;
  readonly saga: SagaRuntime<CaseState, CaseEvent>;
  readonly roster: RosterCommands;
  readonly projection: WorkflowEventsProjection;
}

/**
 * Wiring only: the roster's commands and the supervisor's case commands over NATS; every other service's events
 * (and the roster's assignments) into the case saga, one consumer per source, in order per case; the saga's own
 * events to the runtime that carries out their effects, and to the read models.
 */
export function workflowModule(options: WorkflowModuleOptions): DynamicModule {
  const { eventPrefix } = options.topology;
  const rosterSubjects = caseWorkflow.ROSTER_COMMANDS.map((command) => commandSubject('case-workflow', command.type, options.topology));
  const caseSubjects = caseWorkflow.CASE_COMMANDS.map((command) => commandSubject('case-workflow', command.type, options.topology));

  @Controller()
  class WorkflowController {
    constructor(
      @Inject(CASE_SAGA) private readonly saga: SagaRuntime<CaseState, CaseEvent>,
      @Inject(ROSTER) private readonly roster: RosterCommands,
      @Inject(WORKFLOW_PROJECTION) private readonly projection: WorkflowEventsProjection,
    ) {}

    @MessagePattern(rosterSubjects)
    rosterCommand(@Payload() command: CommandEnvelope & caseWorkflow.RosterCommand) {
      return this.roster.handle(command);
    }

    @MessagePattern(caseSubjects)
    caseCommand(@Payload() command: CommandEnvelope & caseWorkflow.CaseCommand) {
      return this.saga.onCommand(command.data.accountId, command);
    }

    @EventPattern(`${eventPrefix}.accounts.*`, { name: 'saga-accounts', ordered: 'per-case' })
    async fromAccounts(@Payload() event: EventEnvelope) {
      await this.saga.onEvent(event);
    }

    @EventPattern(`${eventPrefix}.contact-attempts.*`, { name: 'saga-contacts', ordered: 'per-case' })
    async fromContacts(@Payload() event: EventEnvelope) {
      await this.saga.onEvent(event);
    }

    @EventPattern(`${eventPrefix}.promises-to-pay.*`, { name: 'saga-promises', ordered: 'per-case' })
    async fromPromises(@Payload() event: EventEnvelope) {
      await this.saga.onEvent(event);
    }

    @EventPattern(`${eventPrefix}.payment-plans.*`, { name: 'saga-plans', ordered: 'per-case' })
    async fromPlans(@Payload() event: EventEnvelope) {
      await this.saga.onEvent(event);
    }

    /** The handoff's refusal and the litigation's status, back from legal-escalation. */
    @EventPattern(`${eventPrefix}.legal-escalation.*`, { name: 'saga-legal', ordered: 'per-case' })
    async fromLegal(@Payload() event: EventEnvelope) {
      await this.saga.onEvent(event);
    }

    @EventPattern(`${eventPrefix}.case-workflow.CaseAssigned`, { name: 'saga-assignments', ordered: 'per-case' })
    async fromRoster(@Payload() event: EventEnvelope) {
      await this.saga.onEvent(event);
    }

    /** The saga's decisions carried out: commands sent, timers set and cleared. */
    @EventPattern(`${eventPrefix}.case-workflow.*`, { name: 'saga-effects', ordered: 'per-case' })
    async effects(@Payload() event: EventEnvelope) {
      if (streamCategory(event.streamId) === 'case') await this.saga.carryOut(event);
    }

    @EventPattern(`${eventPrefix}.case-workflow.*`, { name: 'read-models', ordered: 'per-case' })
    async project(@Payload() event: EventEnvelope) {
      await this.projection.handle(event);
    }

    /** The debtor's jurisdiction on each case, for the case lists and counts to narrow by. */
    @EventPattern(`${eventPrefix}.accounts.AccountPlaced`, { name: 'read-models-placements', ordered: 'per-case' })
    async projectPlacement(@Payload() event: EventEnvelope) {
      await this.projection.handle(event);
    }
  }

  @Module({})
  class WorkflowModule {}

  return {
    module: WorkflowModule,
    controllers: [WorkflowController],
    providers: [
      { provide: CASE_SAGA, useValue: options.saga },
      { provide: ROSTER, useValue: options.roster },
      { provide: WORKFLOW_PROJECTION, useValue: options.projection },
    ],
  };
}
