import { ACCOUNT_COMMANDS, ACCOUNT_EVENTS } from './accounts';
import { CASE_COMMANDS, CASE_EVENTS, ROSTER_COMMANDS, ROSTER_EVENTS } from './case-workflow';
import { CONTACT_COMMANDS, CONTACT_EVENTS, SCRIPT_COMMANDS, SCRIPT_EVENTS } from './contact-attempts';
import { LEGAL_COMMANDS, LEGAL_EVENTS } from './legal-escalation';
import { PLAN_COMMANDS, PLAN_EVENTS } from './payment-plans';
import { PROMISE_COMMANDS, PROMISE_EVENTS } from './promises-to-pay';
import { EventCatalog, type CommandDefinition, type EventDefinition } from './catalog';
import { streamCategory, type EventEnvelope } from './envelope';
import { ArrearsError, ErrorCode } from './errors';
import { STREAM_CATEGORY_OWNERS } from './messaging';

/**
 * Every event and command of the platform, for what is generated from the contracts (docs/asyncapi.yaml, JSON
 * Schema). A service adds its definitions here when it adds them to `contracts/src/<service>/`; until the first
 * service arrives the lists are empty and the generated document describes the envelope and subjects alone.
 */
export const PLATFORM_EVENTS: readonly EventDefinition[] = [...ACCOUNT_EVENTS, ...CONTACT_EVENTS, ...SCRIPT_EVENTS, ...PROMISE_EVENTS, ...PLAN_EVENTS, ...CASE_EVENTS, ...ROSTER_EVENTS, ...LEGAL_EVENTS];
export const PLATFORM_COMMANDS: readonly CommandDefinition[] = [...ACCOUNT_COMMANDS, ...CONTACT_COMMANDS, ...SCRIPT_COMMANDS, ...PROMISE_COMMANDS, ...PLAN_COMMANDS, ...CASE_COMMANDS, ...ROSTER_COMMANDS, ...LEGAL_COMMANDS];

/**
 * Every service's events, one catalog per service: an event type is unique within its service, not across the
 * platform (every saga-running service defines `SagaCommandIssued`). `decode` finds the catalog by the owner of the
 * event's stream category (`STREAM_CATEGORY_OWNERS`), as a consumer of every event (audit, evidence) must.
 */
export class PlatformEventCatalog {
  private readonly byService = new Map<string, EventCatalog>();

  constructor(definitions: readonly EventDefinition[] = PLATFORM_EVENTS) {
    const grouped = new Map<string, EventDefinition[]>();
    for (const definition of definitions) grouped.set(definition.service, [...(grouped.get(definition.service) ?? []), definition]);
    for (const [service, list] of grouped) this.byService.set(service, new EventCatalog(list));
  }

  /** The catalog of the service that owns the event's stream, if the platform knows it. */
  catalogFor(event: Pick<EventEnvelope, 'streamId'>): EventCatalog | undefined {
    const owner = STREAM_CATEGORY_OWNERS[streamCategory(event.streamId)];
    return owner === undefined ? undefined : this.byService.get(owner);
  }

  /** Whether the owning service defines this event type. */
  has(event: Pick<EventEnvelope, 'streamId' | 'type'>): boolean {
    return this.catalogFor(event)?.has(event.type) ?? false;
  }

  /** The event in its current schema (upcast), through its owner's catalog; VALIDATION_FAILED for one it does not know. */
  decode(event: Pick<EventEnvelope, 'streamId' | 'type' | 'schemaVersion' | 'data'>): { type: string; data: Record<string, unknown> } {
    const catalog = this.catalogFor(event);
    if (catalog === undefined) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `No service owns stream ${event.streamId}`, { field: 'streamId' });
    return catalog.decode(event) as { type: string; data: Record<string, unknown> };
  }
}
