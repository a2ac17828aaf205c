import { accounts, ArrearsError, commandSubject, ErrorCode, legalEscalation, streamCategory, type CommandEnvelope, type EventEnvelope, type Role, type Topology } from '@arrears/contracts';
import type { EventStore } from '@arrears/event-store';
import type { SagaRuntime } from '@arrears/sagas';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { CaseIndex } from './evidence';
import type { FixEvidenceHandler } from './fix-evidence';
import type { HandoffState } from './handoff/domain/handoff-state';
import type { PackageVerifier } from './package-verifier';

/** Who may re-check a package: legal who rely on it, auditors, administrators. */
const VERIFIER_ROLES: readonly Role[] = ['legal', 'auditor', 'admin'];

type Command<Type extends legalEscalation.LegalCommand['type']> = CommandEnvelope & Extract<legalEscalation.LegalCommand, { type: Type }>;

export const LEGAL = Symbol('LegalWiring');

export interface LegalModuleOptions {
  readonly topology: Topology;
  readonly store: EventStore;
  readonly saga: SagaRuntime<HandoffState, legalEscalation.LegalEvent>;
  readonly fixEvidence: FixEvidenceHandler;
  readonly verifier: PackageVerifier;
  readonly index: CaseIndex;
  readonly projection: { handle(event: EventEnvelope): Promise<void> };
}

/**
 * Wiring only: legal's commands and the saga's own FixEvidence over NATS; the case saga's LegalEscalationRequested
 * into the handoff saga; the saga's events to the runtime that carries out their effects and to the read models;
 * every event of the platform into the case index, so a case's evidence can be gathered from every stream.
 */
export function legalModule(options: LegalModuleOptions): DynamicModule {
  const { eventPrefix } = options.topology;
  const subject = (type: legalEscalation.LegalCommand['type']) => commandSubject('legal-escalation', type, options.topology);

  @Controller()
  class LegalController {
    constructor(@Inject(LEGAL) private readonly legal: LegalModuleOptions) {}

    /** A supervisor's request: the account's flags read now go with it, for the saga to judge the holds. */
    @MessagePattern(subject('RequestLegalEscalation'))
    async request(@Payload() command: Command<'RequestLegalEscalation'>) {
      const { flags } = accounts.accountStanding(await this.legal.store.readStream(`account-${command.data.accountId}`));
      return this.legal.saga.onCommand(command.data.accountId, { ...command, data: { ...command.data, holds: [...flags] } });
    }

    @MessagePattern(subject('FixEvidence'))
    fix(@Payload() command: Command<'FixEvidence'>) {
      return this.legal.fixEvidence.handle(command);
    }

    @MessagePattern([subject('AcknowledgeHandoff'), subject('ReportLitigationStatus')])
    legalsWord(@Payload() command: Command<'AcknowledgeHandoff' | 'ReportLitigationStatus'>) {
      return this.legal.saga.onCommand(command.data.accountId, command);
    }

    @MessagePattern(subject('VerifyPackage'))
    verify(@Payload() command: Command<'VerifyPackage'>) {
      if (!VERIFIER_ROLES.includes(command.metadata.actorRole)) {
        throw new ArrearsError(ErrorCode.FORBIDDEN, `Packages are verified by ${VERIFIER_ROLES.join(', ')}, not by a ${command.metadata.actorRole}`, { field: 'metadata.actorRole' });
      }
      return this.legal.verifier.verify(command.data.packageId);
    }

    @EventPattern(`${eventPrefix}.case-workflow.LegalEscalationRequested`, { name: 'saga-escalations', ordered: 'per-case' })
    async escalation(@Payload() event: EventEnvelope) {
      await this.legal.saga.onEvent(event);
    }

    /** The saga's decisions carried out: FixEvidence sent, timers set and cleared. */
    @EventPattern(`${eventPrefix}.legal-escalation.*`, { name: 'saga-effects', ordered: 'per-case' })
    async effects(@Payload() event: EventEnvelope) {
      if (streamCategory(event.streamId) === 'legal') await this.legal.saga.carryOut(event);
    }

    @EventPattern(`${eventPrefix}.legal-escalation.*`, { name: 'read-models', ordered: 'per-case' })
    async project(@Payload() event: EventEnvelope) {
      await this.legal.projection.handle(event);
    }

    /** The case's creditor, product and the debtor's jurisdiction, for the list of handoffs to narrow by. */
    @EventPattern(`${eventPrefix}.accounts.AccountPlaced`, { name: 'read-models-placements', ordered: 'per-case' })
    async projectPlacement(@Payload() event: EventEnvelope) {
      await this.legal.projection.handle(event);
    }

    @EventPattern(`${eventPrefix}.>`, { name: 'case-index' })
    async index(@Payload() event: EventEnvelope) {
      await this.legal.index.record(event);
    }
  }

  @Module({})
  class LegalModule {}

  return { module: LegalModule, controllers: [LegalController], providers: [{ provide: LEGAL, useValue: options }] };
}
