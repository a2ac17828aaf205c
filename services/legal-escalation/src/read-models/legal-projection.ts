import { ArrearsError, ErrorCode, EventCatalog, legalEscalation, streamCategory, type EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { applyInStreamOrder, expectStream, isCasePlacement, recordCasePlacement, type ProjectionTarget } from '@arrears/read-models';
import type { DataSource, EntityManager } from 'typeorm';
import { CasePlacementRow, EscalationRow, OPEN_ESCALATION_STATUSES, type EscalationStatus, type LitigationStatus } from './entities';
import { schemaOf } from './schema';

export interface LegalProjectionOptions {
  readonly dataSource: DataSource;
  /**
   * The name `processOnce` records applied events under: the handler's durable consumer
   * (`JetStreamContext.getConsumerName()`), e.g. `legal-escalation__read-models`.
   */
  readonly consumer: string;
}

type LegalEvent = legalEscalation.LegalEvent;
type DataOf<T extends LegalEvent['type']> = Extract<LegalEvent, { type: T }>['data'];
/** The events about one handoff of a case. */
type HandoffEvent = Exclude<LegalEvent, { data: { sagaId: string } }>;

const catalog = new EventCatalog(legalEscalation.LEGAL_EVENTS);
const OPEN: readonly EscalationStatus[] = OPEN_ESCALATION_STATUSES;
/** Legal reports on what it has acknowledged; a settled or withdrawn action is over. */
const LITIGABLE: readonly EscalationStatus[] = ['acknowledged', 'litigating'];
const CLOSING: ReadonlySet<string> = new Set<LitigationStatus>(['settled', 'withdrawn']);
/** What a handoff has when it starts or is refused before it started: nothing past the request yet. */
const NOTHING_YET = {
  packageId: null,
  evidenceFixedAt: null,
  deliveredAt: null,
  deliveryHours: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  acknowledgementHours: null,
  remindersSent: 0,
  lastReminderAt: null,
  overdue: false,
  overdueAt: null,
  refusedAt: null,
  refusalHolds: null,
  litigationStatus: null,
  litigationOn: null,
  hearingDate: null,
  closedAt: null,
} as const satisfies Partial<EscalationRow>;

/**
 * Keeps `escalations` from the legal-escalation service's handoff streams (`legal-<accountId>`, the stream of one
 * case's handoffs: every event of it in order, the saga's effect events too), and `case_placements` from the accounts'
 * AccountPlaced (the case's creditor, product and debtor's jurisdiction, which the list of handoffs narrows by).
 *
 * Each event is applied once and in its stream's order (`applyInStreamOrder`: its `processOnce` record, and the last
 * position applied of its stream in `stream_positions`). The saga's effect events (commands issued and refused, timers
 * set and cleared) change no row, but they take their positions.
 *
 * An event is refused, changing nothing, when it is malformed, on another case's stream, about a handoff the stream has
 * not started, or one that the handoff's status rules out (a delivery before the evidence is fixed, a package other
 * than the one fixed acknowledged, litigation reported on what legal has not acknowledged): the stream is the service's
 * record, so such an event is a fault upstream, left to the dead letters rather than guessed at.
 */
export class LegalProjection {
  private readonly target: ProjectionTarget;
  private readonly s: string;

  constructor(options: LegalProjectionOptions) {
    const schema = schemaOf(options.dataSource);
    this.target = { dataSource: options.dataSource, consumer: options.consumer, schema };
    this.s = quoteIdentifier(schema);
  }

  async handle(envelope: EventEnvelope): Promise<void> {
    const category = streamCategory(envelope.streamId);
    if (isCasePlacement(envelope)) return recordCasePlacement(this.target, CasePlacementRow, envelope);
    if (category !== 'legal') {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} arrived on stream ${envelope.streamId}: the legal read models read only legal-… streams, and AccountPlaced`, {
        field: 'streamId',
      });
    }
    const event = catalog.decode(envelope);
    // The saga's effect events name the saga, not the case: the stream is theirs.
    const caseId = 'caseId' in event.data ? event.data.caseId : envelope.streamId.slice('legal-'.length);
    expectStream(envelope, `legal-${caseId}`, caseId);
    await applyInStreamOrder(this.target, envelope, async (manager) => {
      if (!isHandoffEvent(event)) return;
      await this.apply(manager, event, new Date(envelope.occurredAt));
    });
  }

  /** Applies an event about a handoff that the guard found new and next in its stream, at its business time `at`. */
  private async apply(manager: EntityManager, event: HandoffEvent, at: Date): Promise<void> {
    switch (event.type) {
      case 'HandoffStarted':
        return this.started(manager, event.data);
      case 'HandoffRefused':
        return this.refused(manager, event, at);
      case 'EvidenceFixed': {
        const { data } = event;
        await this.expectHandoff(manager, event, ['requested']);
        await manager.update(EscalationRow, key(data), { status: 'evidence-fixed', packageId: data.packageId, evidenceFixedAt: at });
        return;
      }
      case 'LegalPackageDelivered': {
        const { data } = event;
        sameCase(data);
        await this.expectPackage(manager, event, ['evidence-fixed']);
        await manager.update(EscalationRow, key(data), { status: 'delivered', deliveredAt: at, deliveryHours: data.hoursSinceRequest });
        return;
      }
      case 'HandoffReminderSent': {
        const escalation = await this.expectHandoff(manager, event, OPEN);
        await manager.update(EscalationRow, key(event.data), { remindersSent: escalation.remindersSent + 1, lastReminderAt: at });
        return;
      }
      case 'LegalHandoffOverdue': {
        const escalation = await this.expectHandoff(manager, event, OPEN);
        if (escalation.overdue) throw conflict(event, escalation, 'it was already overdue');
        await manager.update(EscalationRow, key(event.data), { overdue: true, overdueAt: at });
        return;
      }
      case 'HandoffAcknowledged': {
        const { data } = event;
        await this.expectPackage(manager, event, ['delivered']);
        await manager.update(EscalationRow, key(data), { status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: data.acknowledgedBy, acknowledgementHours: data.hoursSinceRequest });
        return;
      }
      case 'LitigationStatusReported': {
        // The note is free text, perhaps about the debtor: it is not kept here.
        const { data } = event;
        const escalation = await this.expectHandoff(manager, event, LITIGABLE);
        const closing = CLOSING.has(data.status);
        await manager.update(EscalationRow, key(data), {
          status: closing ? 'closed' : 'litigating',
          litigationStatus: data.status,
          litigationOn: data.on,
          hearingDate: data.hearingDate ?? escalation.hearingDate,
          closedAt: closing ? at : null,
        });
        return;
      }
      default:
        return unreachable(event);
    }
  }

  /** A new handoff of the case: numbered after every one before it. */
  private async started(manager: EntityManager, data: DataOf<'HandoffStarted'>): Promise<void> {
    sameCase(data);
    await this.expectNewHandoff(manager, data);
    await manager.insert(EscalationRow, {
      ...key(data),
      status: 'requested',
      reasons: data.reasons,
      requestedBy: data.requestedBy,
      requestedAt: new Date(data.requestedAt),
      deadlineAt: new Date(data.overdueAt),
      ...NOTHING_YET,
    });
  }

  /**
   * A handoff refused while it ran (before legal acknowledged it), or before it started: a hold found when the request
   * came in. The reason is free text: the holds are kept, it is not.
   */
  private async refused(manager: EntityManager, event: Extract<HandoffEvent, { type: 'HandoffRefused' }>, at: Date): Promise<void> {
    const { data } = event;
    const refusal = { status: 'refused' as const, refusedAt: at, refusalHolds: data.holds };
    if (await manager.exists(EscalationRow, { where: key(data) })) {
      await this.expectHandoff(manager, event, OPEN);
      await manager.update(EscalationRow, key(data), refusal);
      return;
    }
    await this.expectNewHandoff(manager, data);
    await manager.insert(EscalationRow, {
      ...key(data),
      reasons: [],
      requestedBy: null,
      requestedAt: at,
      deadlineAt: null,
      ...NOTHING_YET,
      ...refusal,
    });
  }

  /** A handoff not seen before must come after the case's latest: a number again or out of turn is a fault upstream. */
  private async expectNewHandoff(manager: EntityManager, data: { readonly caseId: string; readonly handoff: number }): Promise<void> {
    const [latest] = (await manager.query(`select coalesce(max(handoff), 0)::int as handoff from ${this.s}.escalations where case_id = $1`, [data.caseId])) as { handoff: number }[];
    const last = latest?.handoff ?? 0;
    if (data.handoff <= last) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Handoff ${data.handoff} of case ${data.caseId} starts after its handoff ${last} in the legal read model: handoffs are numbered in turn`, {
        field: 'data.handoff',
        details: { latest: last, actual: data.handoff },
      });
    }
  }

  /** The handoff an event is about, started earlier in the stream and in one of `statuses`. */
  private async expectHandoff(manager: EntityManager, event: HandoffEvent, statuses: readonly EscalationStatus[]): Promise<EscalationRow> {
    const { data } = event;
    const escalation = await manager.findOne(EscalationRow, { where: key(data) });
    if (escalation === null) {
      throw new ArrearsError(ErrorCode.NOT_FOUND, `Case ${data.caseId} has no handoff ${data.handoff} in the legal read model, though every earlier event of its stream has been applied`, {
        field: 'data.handoff',
      });
    }
    if (!statuses.includes(escalation.status)) throw conflict(event, escalation, `it applies to a handoff ${statuses.join(' or ')}`);
    return escalation;
  }

  /** As `expectHandoff`, for an event naming the package: the one fixed for the handoff. */
  private async expectPackage(manager: EntityManager, event: Extract<HandoffEvent, { data: { packageId: string } }>, statuses: readonly EscalationStatus[]): Promise<void> {
    const escalation = await this.expectHandoff(manager, event, statuses);
    if (escalation.packageId !== event.data.packageId) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${event.type} names package ${event.data.packageId}, but handoff ${escalation.handoff} of case ${escalation.caseId} fixed ${escalation.packageId}`, {
        field: 'data.packageId',
      });
    }
  }
}

function key(data: { readonly caseId: string; readonly handoff: number }): { caseId: string; handoff: number } {
  return { caseId: data.caseId, handoff: data.handoff };
}

/** The case is its account's: the stream is named by the account, the events by the case. */
function sameCase(data: { readonly caseId: string; readonly accountId: string }): void {
  if (data.accountId !== data.caseId) {
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Handoff of case ${data.caseId} names account ${data.accountId}: a case is its account's`, { field: 'data.accountId' });
  }
}

function conflict(event: HandoffEvent, escalation: EscalationRow, why: string): ArrearsError {
  return new ArrearsError(ErrorCode.STATE_CONFLICT, `${event.type}: handoff ${escalation.handoff} of case ${escalation.caseId} is ${escalation.status} in the legal read model; ${why}`, {
    field: 'data.handoff',
    details: { status: escalation.status, overdue: escalation.overdue },
  });
}

function isHandoffEvent(event: LegalEvent): event is HandoffEvent {
  return 'caseId' in event.data;
}

function unreachable(value: never): never {
  throw new Error(`Unhandled legal event: ${JSON.stringify(value)}`);
}
