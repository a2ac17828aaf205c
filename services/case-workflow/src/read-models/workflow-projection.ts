import { accounts, ArrearsError, caseWorkflow, ErrorCode, EventCatalog, streamCategory, type EventEnvelope } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { applyInStreamOrder, applyOnce, expectStream, type ProjectionTarget } from '@arrears/read-models';
import type { DataSource, EntityManager } from 'typeorm';
import { CaseRow, ChecklistItemRow, CollectorRow, StageVisitRow } from './entities';
import { schemaOf } from './schema';

export interface WorkflowProjectionOptions {
  readonly dataSource: DataSource;
  /**
   * The name `processOnce` records applied events under: the handler's durable consumer
   * (`JetStreamContext.getConsumerName()`), e.g. `case-workflow__read-models`.
   */
  readonly consumer: string;
}

type CaseEvent = caseWorkflow.CaseEvent;
type RosterEvent = caseWorkflow.RosterEvent;
type DataOf<T extends CaseEvent['type'] | RosterEvent['type']> = Extract<CaseEvent | RosterEvent, { type: T }>['data'];
type ItemKey = { readonly caseId: string; readonly entry: number; readonly item: caseWorkflow.ChecklistItem };
type Holder = { readonly teamId: string; readonly collectorId: string };

const catalog = new EventCatalog([...caseWorkflow.CASE_EVENTS, ...caseWorkflow.ROSTER_EVENTS]);
const placements = new EventCatalog([accounts.AccountPlaced]);
const CASE_EVENT_TYPES: ReadonlySet<string> = new Set(caseWorkflow.CASE_EVENTS.map((definition) => definition.type));
const ROSTER_EVENT_TYPES: ReadonlySet<string> = new Set(caseWorkflow.ROSTER_EVENTS.map((definition) => definition.type));

/**
 * Keeps `cases`, `collectors`, `checklist_items` and `stage_visits` from the case-workflow service's two kinds of
 * stream: the case sagas (`case-<accountId>`) and the team rosters (`roster-<teamId>`). `handle` tells them apart by
 * the stream's category, so one handler or two may feed it.
 *
 * Each event is applied once and in its stream's order (`applyInStreamOrder`: its `processOnce` record, and the last
 * position applied of its stream in `stream_positions`, one row per stream since a roster stream covers many cases).
 * Neither stream has gaps: the saga's effect events (commands issued and refused, timers set and cleared) change no row
 * here, but they take their positions.
 *
 * The two kinds of stream meet only on a case's row, and each writes its own columns of it: the case stream the
 * profile, stage, legal escalation and closing; the roster who holds the case (it is the authority on that, not the
 * saga's `assigned` signal). A collector's open cases are counted again from those rows. So the rows depend on each
 * stream's own order, never on which stream was delivered first: a case assigned before its CaseOpened arrives gets
 * its row early, and the CaseOpened fills it in.
 */
export class WorkflowProjection {
  private readonly target: ProjectionTarget;
  private readonly s: string;

  constructor(options: WorkflowProjectionOptions) {
    const schema = schemaOf(options.dataSource);
    this.target = { dataSource: options.dataSource, consumer: options.consumer, schema };
    this.s = quoteIdentifier(schema);
  }

  async handle(envelope: EventEnvelope): Promise<void> {
    const category = streamCategory(envelope.streamId);
    if (category === 'case') return this.caseEvent(envelope);
    if (category === 'roster') return this.rosterEvent(envelope);
    if (category === 'account' && envelope.type === accounts.AccountPlaced.type) return this.accountPlaced(envelope);
    throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} arrived on stream ${envelope.streamId}: the workflow read models read only case-… and roster-… streams, and AccountPlaced`, {
      field: 'streamId',
    });
  }

  private async caseEvent(envelope: EventEnvelope): Promise<void> {
    const event = catalog.decode(envelope);
    if (!isCaseEvent(event)) throw misfiled(envelope, 'case');
    // The saga's effect events name the saga, not the case: the stream is theirs.
    const caseId = 'caseId' in event.data ? event.data.caseId : envelope.streamId.slice('case-'.length);
    expectStream(envelope, `case-${caseId}`, caseId);
    await applyInStreamOrder(this.target, envelope, (manager) => this.applyCase(manager, caseId, event, envelope.occurredAt));
  }

  /**
   * The debtor's jurisdiction, which the case profile does not carry; nothing else of the account is kept here. Set
   * once (a placement is the first event of its stream and the jurisdiction never changes after it), so it needs no
   * stream order, only `processOnce`; the row is made early if the case is not opened here yet.
   */
  private async accountPlaced(envelope: EventEnvelope): Promise<void> {
    const event = placements.decode(envelope) as Extract<accounts.AccountEvent, { type: 'AccountPlaced' }>;
    const caseId = event.data.accountId;
    expectStream(envelope, `account-${caseId}`, caseId);
    await applyOnce(this.target, envelope, async (manager) => {
      await this.ensureCase(manager, caseId);
      await manager.update(CaseRow, { caseId }, { jurisdiction: event.data.debtor.jurisdiction });
    });
  }

  private async rosterEvent(envelope: EventEnvelope): Promise<void> {
    const event = catalog.decode(envelope);
    if (!isRosterEvent(event)) throw misfiled(envelope, 'roster');
    const teamId = envelope.streamId.slice('roster-'.length);
    await applyInStreamOrder(this.target, envelope, (manager) => this.applyRoster(manager, teamId, event, envelope.occurredAt));
  }

  private async applyCase(manager: EntityManager, caseId: string, event: CaseEvent, occurredAt: string): Promise<void> {
    const at = new Date(occurredAt);
    switch (event.type) {
      case 'CaseOpened': {
        const { profile, accountId } = event.data;
        if (accountId !== caseId) throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Case ${caseId} was opened for account ${accountId}: a case is its account's`, { field: 'data.accountId' });
        await this.ensureCase(manager, caseId);
        await manager.update(CaseRow, { caseId }, { openedAt: at, product: profile.product, currency: profile.currency, balanceMinor: profile.balance, agingBucket: profile.bucket, riskTier: profile.tier });
        return;
      }
      case 'StageEntered':
        return this.stageEntered(manager, event.data, at);
      case 'ChecklistItemDone': {
        const { data } = event;
        await this.expectItem(manager, data);
        await manager.update(ChecklistItemRow, itemKey(data), { status: 'done', doneAt: new Date(data.at) });
        return;
      }
      case 'ChecklistDeadlineSet': {
        const { data } = event;
        const item = await this.expectItem(manager, data);
        // A later deadline gives a missed item another chance; the miss itself stays on record.
        await manager.update(ChecklistItemRow, itemKey(data), { dueAt: new Date(data.dueAt), status: item.status === 'missed' ? 'open' : item.status });
        return;
      }
      case 'DeadlineMissed': {
        const { data } = event;
        const item = await this.expectItem(manager, data);
        await manager.update(ChecklistItemRow, itemKey(data), {
          dueAt: new Date(data.dueAt),
          status: item.status === 'done' ? 'done' : 'missed',
          missedAt: at,
          missedCollectorId: data.collectorId ?? null,
        });
        return;
      }
      case 'CaseSignalRecorded':
        return this.signal(manager, event.data);
      case 'LegalEscalationRequested':
        await this.expectOpened(manager, caseId);
        await manager.update(CaseRow, { caseId }, { legalRequestedAt: at });
        return;
      case 'LegalEscalationHeld':
        await this.expectOpened(manager, caseId);
        await manager.update(CaseRow, { caseId }, { legalHeldAt: at });
        return;
      case 'SagaCommandIssued':
      case 'SagaCommandRefused':
      case 'SagaTimerSet':
      case 'SagaTimerCleared':
        return;
      default:
        return unreachable(event);
    }
  }

  /** The case moves on: the visit it was on ends, a new one starts with this entry's checklist. */
  private async stageEntered(manager: EntityManager, data: DataOf<'StageEntered'>, at: Date): Promise<void> {
    const current = await this.expectOpened(manager, data.caseId);
    const expected = (current.stageEntry ?? 0) + 1;
    if (data.entry !== expected) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `StageEntered of case ${data.caseId} is entry ${data.entry}, but the case has had ${expected - 1} stage entries`, {
        field: 'data.entry',
        details: { expected, actual: data.entry },
      });
    }
    await manager.query(
      `update ${this.s}.stage_visits set left_at = $2::timestamptz, duration_ms = round(extract(epoch from ($2::timestamptz - entered_at)) * 1000)::bigint
        where case_id = $1 and left_at is null`,
      [data.caseId, at.toISOString()],
    );
    await manager.insert(StageVisitRow, {
      caseId: data.caseId,
      entry: data.entry,
      stage: data.stage,
      fromStage: data.from ?? null,
      agingBucket: current.agingBucket,
      riskTier: current.riskTier,
      enteredAt: at,
      leftAt: null,
      durationMs: null,
    });
    if (data.checklist.length > 0) {
      await manager.insert(
        ChecklistItemRow,
        data.checklist.map(({ item, dueAt }) => ({
          caseId: data.caseId,
          entry: data.entry,
          item,
          stage: data.stage,
          dueAt: dueAt === undefined ? null : new Date(dueAt),
          status: 'open' as const,
          doneAt: null,
          missedAt: null,
          missedCollectorId: null,
        })),
      );
    }
    const closing = data.stage === 'close';
    await manager.update(
      CaseRow,
      { caseId: data.caseId },
      { stage: data.stage, stageEntry: data.entry, stageEnteredAt: at, closedAt: closing ? at : null, closedReason: closing ? (data.closeReason ?? null) : null },
    );
  }

  /** The signals that move a column here; the others (contact, promises, plans…) are the saga's to act on. */
  private async signal(manager: EntityManager, data: DataOf<'CaseSignalRecorded'>): Promise<void> {
    await this.expectOpened(manager, data.caseId);
    const { detail } = data;
    // A signal without the detail it would move changes nothing: the rules read what the saga recorded.
    const change: Partial<CaseRow> =
      data.signal === 'bucket-changed' && detail.bucket !== undefined
        ? { agingBucket: detail.bucket }
        : data.signal === 'tier-changed' && detail.tier !== undefined
          ? { riskTier: detail.tier }
          : data.signal === 'payment' && detail.balance !== undefined
            ? { balanceMinor: detail.balance }
            : {};
    if (Object.keys(change).length > 0) await manager.update(CaseRow, { caseId: data.caseId }, change);
  }

  private async applyRoster(manager: EntityManager, teamId: string, event: RosterEvent, occurredAt: string): Promise<void> {
    const at = new Date(occurredAt);
    switch (event.type) {
      case 'CollectorRegistered': {
        const { data } = event;
        await manager.query(
          `insert into ${this.s}.collectors (team_id, collector_id, name, specialties, capacity, available, absent_until, open_cases, registered_at)
           values ($1, $2, $3, $4, $5, true, null, 0, $6)
           on conflict (team_id, collector_id) do update set name = excluded.name, specialties = excluded.specialties, capacity = excluded.capacity`,
          [teamId, data.collectorId, data.name, data.specialties, data.capacity, at.toISOString()],
        );
        return this.recount(manager, [{ teamId, collectorId: data.collectorId }]);
      }
      case 'CollectorUpdated': {
        const { data } = event;
        await this.expectCollector(manager, teamId, data.collectorId);
        await manager.update(CollectorRow, { teamId, collectorId: data.collectorId }, { specialties: data.specialties, capacity: data.capacity });
        return;
      }
      case 'CollectorAvailabilityChanged': {
        const { data } = event;
        // The reason is free text, perhaps about the collector's health: it is not kept here.
        await this.expectCollector(manager, teamId, data.collectorId);
        await manager.update(CollectorRow, { teamId, collectorId: data.collectorId }, { available: data.available, absentUntil: data.available ? null : (data.until ?? null) });
        return;
      }
      case 'CaseAssigned': {
        const { data } = event;
        const previous = await this.holder(manager, data.caseId);
        await manager.update(CaseRow, { caseId: data.caseId }, { assignment: 'assigned', teamId, collectorId: data.collectorId, assignedAt: at });
        return this.recount(manager, [...previous, { teamId, collectorId: data.collectorId }]);
      }
      case 'CaseUnassigned': {
        const previous = await this.holder(manager, event.data.caseId);
        await manager.update(CaseRow, { caseId: event.data.caseId }, { assignment: 'unassigned', teamId, collectorId: null });
        return this.recount(manager, previous);
      }
      case 'CaseReleased': {
        const { data } = event;
        const previous = await this.holder(manager, data.caseId);
        await manager.update(CaseRow, { caseId: data.caseId }, { assignment: 'released', teamId, collectorId: null });
        // A case released from the waiting queue names no collector.
        return this.recount(manager, data.collectorId === undefined ? previous : [...previous, { teamId, collectorId: data.collectorId }]);
      }
      default:
        return unreachable(event);
    }
  }

  private async ensureCase(manager: EntityManager, caseId: string): Promise<void> {
    await manager.query(`insert into ${this.s}.cases (case_id, assignment) values ($1, 'none') on conflict (case_id) do nothing`, [caseId]);
  }

  /** Who holds the case before a roster event moves it (nobody, for a case new here); its row is made if new and locked. */
  private async holder(manager: EntityManager, caseId: string): Promise<Holder[]> {
    await this.ensureCase(manager, caseId);
    const row = await manager.findOne(CaseRow, { where: { caseId }, lock: { mode: 'pessimistic_write' } });
    if (row === null || row.teamId === null || row.collectorId === null) return [];
    return [{ teamId: row.teamId, collectorId: row.collectorId }];
  }

  /** Counts again the open cases of each collector named, in key order so that two transactions lock them alike. */
  private async recount(manager: EntityManager, holders: readonly Holder[]): Promise<void> {
    const unique = new Map(holders.map((holder) => [`${holder.teamId}\u0000${holder.collectorId}`, holder]));
    for (const key of [...unique.keys()].sort()) {
      const { teamId, collectorId } = unique.get(key) as Holder;
      await manager.query(
        `update ${this.s}.collectors c
            set open_cases = (select count(*)::int from ${this.s}.cases h where h.team_id = c.team_id and h.collector_id = c.collector_id and h.assignment = 'assigned')
          where c.team_id = $1 and c.collector_id = $2`,
        [teamId, collectorId],
      );
    }
  }

  /**
   * The case an event of its stream is about, opened: the CaseOpened comes first in the stream, so a case not opened
   * here is a fault upstream, left to the dead letters rather than guessed at.
   */
  private async expectOpened(manager: EntityManager, caseId: string): Promise<CaseRow> {
    const row = await manager.findOne(CaseRow, { where: { caseId } });
    if (row === null || row.openedAt === null) {
      throw new ArrearsError(ErrorCode.NOT_FOUND, `Case ${caseId} has not been opened in the workflow read model, though every earlier event of its stream has been applied`, {
        field: 'data.caseId',
      });
    }
    return row;
  }

  /** The checklist item of a stage entry an event is about: its StageEntered, earlier in the stream, listed it. */
  private async expectItem(manager: EntityManager, data: ItemKey & { readonly stage: caseWorkflow.Stage }): Promise<ChecklistItemRow> {
    const item = await manager.findOne(ChecklistItemRow, { where: itemKey(data) });
    if (item === null) {
      throw new ArrearsError(ErrorCode.NOT_FOUND, `Entry ${data.entry} of case ${data.caseId} has no checklist item ${data.item} in the workflow read model`, { field: 'data.item' });
    }
    if (item.stage !== data.stage) {
      throw new ArrearsError(ErrorCode.VALIDATION_FAILED, `Entry ${data.entry} of case ${data.caseId} is a ${item.stage} stage, not ${data.stage}`, { field: 'data.stage' });
    }
    return item;
  }

  private async expectCollector(manager: EntityManager, teamId: string, collectorId: string): Promise<void> {
    if (!(await manager.exists(CollectorRow, { where: { teamId, collectorId } }))) {
      throw new ArrearsError(ErrorCode.NOT_FOUND, `No collector ${collectorId} on team ${teamId}'s roster in the workflow read model, though every earlier roster event has been applied`, {
        field: 'data.collectorId',
      });
    }
  }
}

function itemKey(data: ItemKey): ItemKey {
  return { caseId: data.caseId, entry: data.entry, item: data.item };
}

function isCaseEvent(event: CaseEvent | RosterEvent): event is CaseEvent {
  return CASE_EVENT_TYPES.has(event.type);
}

function isRosterEvent(event: CaseEvent | RosterEvent): event is RosterEvent {
  return ROSTER_EVENT_TYPES.has(event.type);
}

function misfiled(envelope: EventEnvelope, category: 'case' | 'roster'): ArrearsError {
  return new ArrearsError(ErrorCode.VALIDATION_FAILED, `${envelope.type} is not an event of a ${category} stream, but arrived on ${envelope.streamId}`, { field: 'type' });
}

function unreachable(value: never): never {
  throw new Error(`Unhandled workflow event: ${JSON.stringify(value)}`);
}
