import type { EventEnvelope, Topology } from '@arrears/contracts';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { AuditLedger } from './ledger';

export const LEDGER = Symbol('AuditLedger');

/**
 * Wiring only: every event of the platform into the ledger, one at a time in the order the relay published them
 * (the store's global order) — `ordered` holds one unacknowledged event per consumer, which is what the global hash
 * chain needs. A redelivered event is recognised by its id and appends nothing. The ledger never skips an event:
 * a failing append is retried (backing off to a minute) rather than dead-lettered, which would leave a gap that
 * verification reports as a deletion.
 */
export function auditModule(options: { readonly topology: Topology; readonly ledger: AuditLedger }): DynamicModule {
  @Controller()
  class AuditController {
    constructor(@Inject(LEDGER) private readonly ledger: AuditLedger) {}

    @EventPattern(`${options.topology.eventPrefix}.>`, { name: 'ledger', ordered: 'per-case', maxDeliver: 1_000_000 })
    async record(@Payload() event: EventEnvelope) {
      await this.ledger.append(event);
    }
  }

  @Module({})
  class AuditModule {}

  return { module: AuditModule, controllers: [AuditController], providers: [{ provide: LEDGER, useValue: options.ledger }] };
}
