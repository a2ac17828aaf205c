import { accounts, ArrearsError, caseWorkflow, ErrorCode, type Money } from '@arrears/contracts';
import { quoteIdentifier } from '@arrears/event-store';
import { keysetPage, parseInput, type Page } from '@arrears/read-models';
import type { DataSource } from 'typeorm';
import { CaseRow, ChecklistItemRow, StageVisitRow, type AssignmentStatus, type ChecklistStatus } from './entities';
import {
  CaseIdSchema,
  CaseListParamsSchema,
  MissedParamsSchema,
  OverdueParamsSchema,
  StageCountFilterSchema,
  StageDurationParamsSchema,
  WorkloadFilterSchema,
  type CasesInStageOptions,
  type CasesOfCollectorOptions,
  type DurationGrouping,
  type ItemKey,
  type MissedOptions,
  type OverdueOptions,
  type StageCountFilter,
  type StageDurationParams,
  type WorkloadFilter,
} from './query-params';
import { schemaOf } from './schema';

type Stage = caseWorkflow.Stage;

/** A case as callers see it: money as `{ minor, currency }`, instants as ISO strings. */
export interface CaseView {
  readonly caseId: string;
  /** Null until its first stage is entered. */
  readonly stage: Stage | null;
  readonly stageEntry: number | null;
  readonly stageEnteredAt: string | null;
  /** Null (as is the profile) until its CaseOpened is applied: the roster may speak of a case first. */
  readonly openedAt: string | null;
  readonly product: accounts.Product | null;
  readonly balance: Money | null;
  readonly agingBucket: accounts.AgingBucket | null;
  readonly riskTier: accounts.RiskTier | null;
  readonly assignment: AssignmentStatus;
  readonly teamId: string | null;
  /** The collector holding it, as the roster says. */
  readonly collectorId: string | null;
  readonly assignedAt: string | null;
  readonly legalEscalationRequestedAt: string | null;
  readonly legalEscalationHeldAt: string | null;
  readonly closedReason: string | null;
  readonly closedAt: string | null;
}

export type CasePage = Page<CaseView, string>;

export interface StageCount {
  readonly stage: Stage;
  readonly cases: number;
}

/** Cases held, by stage; `none`: not yet in a stage (or not yet opened here). */
export type CasesByStage = Readonly<Record<Stage | 'none', number>>;

export interface CollectorWorkload {
  readonly teamId: string;
  readonly collectorId: string;
  readonly name: string;
  readonly specialties: readonly accounts.Product[];
  readonly capacity: number;
  readonly available: boolean;
  readonly absentUntil: string | null;
  /** The cases the roster has them holding. */
  readonly openCases: number;
  /** capacity − openCases: below zero when they hold more than they can carry. */
  readonly spare: number;
  readonly byStage: CasesByStage;
}

export interface ChecklistItemView {
  readonly caseId: string;
  readonly entry: number;
  readonly stage: Stage;
  readonly item: caseWorkflow.ChecklistItem;
  /** Now, whatever it was at the instant asked about. */
  readonly status: ChecklistStatus;
  readonly dueAt: string | null;
  readonly doneAt: string | null;
  readonly missedAt: string | null;
}

export interface OverdueItemView extends ChecklistItemView {
  readonly dueAt: string;
  /** How long past its deadline at the instant asked about, in milliseconds. */
  readonly overdueMs: number;
  /** Its current deadline's DeadlineMissed was applied by the instant asked about. */
  readonly missed: boolean;
  /** Who holds the case now, as the roster says. */
  readonly teamId: string | null;
  readonly collectorId: string | null;
}

export interface MissedDeadlineView extends ChecklistItemView {
  readonly dueAt: string;
  readonly missedAt: string;
  /** The collector the DeadlineMissed alerted; null when the case was not assigned then. */
  readonly missedCollectorId: string | null;
}

export type ItemPage<Row extends ChecklistItemView> = Page<Row, ItemKey>;

/** Who holds a case now, as the roster says: what the gateway checks a collector's request about a case against. */
export interface CaseAssignmentView {
  readonly caseId: string;
  readonly assignment: AssignmentStatus;
  readonly teamId: string | null;
  /** Null unless `assignment` is `assigned`. */
  readonly collectorId: string | null;
}

/** One stage entry of a case and how long the case stayed. */
export interface StageVisitView {
  readonly entry: number;
  readonly stage: Stage;
  readonly fromStage: Stage | null;
  readonly enteredAt: string;
  /** Null while the case is in the stage (always, for close: it is the end). */
  readonly leftAt: string | null;
  readonly durationMs: number | null;
}

/** One case's place in the workflow: the case, its current stage's checklist with each deadline, every stage entry so far. */
export interface CaseWorkflowView extends CaseView {
  /** The items of the current stage entry, in the checklist's order; empty before the first stage. */
  readonly checklist: readonly ChecklistItemView[];
  /** Oldest first. */
  readonly visits: readonly StageVisitView[];
}

export interface DurationFigures {
  /** Completed visits: those that ended in the period. */
  readonly count: number;
  /** In milliseconds, rounded to the millisecond; null without a completed visit. */
  readonly averageMs: number | null;
  readonly medianMs: number | null;
  /** The 90th percentile, interpolated between the visits around it. */
  readonly p90Ms: number | null;
}

export interface OpenVisitFigures {
  /** Visits open at `asOf`: entered by then and not left (a closed case's close stage is its end, not a visit in progress). */
  readonly count: number;
  /** Ages at `asOf` in milliseconds; null without an open visit. */
  readonly averageAgeMs: number | null;
  readonly oldestAgeMs: number | null;
}

export interface StageDurationGroup {
  readonly stage: Stage;
  /** The risk tier or aging bucket the case had when it entered the stage; null when not grouped. */
  readonly key: string | null;
  readonly completed: DurationFigures;
  readonly open: OpenVisitFigures;
}

export interface StageDurations {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly groupBy: DurationGrouping | null;
  /** Stages in the workflow's order, then tiers or buckets in the contract's; only groups with a visit. */
  readonly groups: readonly StageDurationGroup[];
}

interface ItemRecord {
  case_id: string;
  entry: number;
  stage: Stage;
  item: caseWorkflow.ChecklistItem;
  status: ChecklistStatus;
  due_at: Date | null;
  done_at: Date | null;
  missed_at: Date | null;
}

interface DurationRecord {
  stage: Stage;
  key: string | null;
  completed: number;
  average_ms: number | null;
  median_ms: number | null;
  p90_ms: number | null;
  open: number;
  average_age_ms: number | null;
  oldest_age_ms: number | null;
}

const STAGES: readonly string[] = caseWorkflow.STAGES;
const GROUP_COLUMN: Record<DurationGrouping, string> = { tier: 'risk_tier', bucket: 'aging_bucket' };
const GROUP_ORDER: Record<DurationGrouping, readonly string[]> = { tier: accounts.RISK_TIERS, bucket: accounts.AGING_BUCKETS };
/**
 * SQL: item `i` was missed by the instant `$1` — its DeadlineMissed applied by then, and for the deadline it has now
 * (a later one, set since, has not passed unmet yet).
 */
const MISSED_BY = `(i.missed_at <= $1::timestamptz and i.due_at <= i.missed_at)`;
/** A case not yet in a stage sorts after every instant. */
const ENTERED = `coalesce(c.stageEnteredAt, CAST('infinity' AS timestamptz))`;

/**
 * Reads the workflow read models: cases per stage and per collector, the collectors' load, overdue checklist items
 * and missed deadlines, and how long cases stay in each stage. Every instant is passed in: the read model never reads
 * the clock.
 */
export class WorkflowQueries {
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
    this.s = quoteIdentifier(schemaOf(dataSource));
  }

  /** How many cases are in each stage (every stage, in the workflow's order), narrowed by holder and profile. */
  async stageCounts(filter: StageCountFilter = {}): Promise<readonly StageCount[]> {
    const parsed = parseInput(StageCountFilterSchema, filter);
    const rows: { stage: Stage; cases: number }[] = await this.dataSource.manager.query(
      `select stage, count(*)::int as cases from ${this.s}.cases
        where stage is not null
          and ($1::text is null or collector_id = $1) and ($2::text is null or team_id = $2) and ($3::text is null or aging_bucket = $3)
          and ($4::text is null or risk_tier = $4) and ($5::text is null or product = $5)
          and ($6::text is null or jurisdiction = $6 or jurisdiction like $6 || '-%')
        group by stage`,
      [parsed.collectorId ?? null, parsed.teamId ?? null, parsed.bucket ?? null, parsed.tier ?? null, parsed.product ?? null, parsed.jurisdiction ?? null],
    );
    const counts = new Map(rows.map((row) => [row.stage, row.cases]));
    return caseWorkflow.STAGES.map((stage) => ({ stage, cases: counts.get(stage) ?? 0 }));
  }

  /** The cases in `stage`, the longest there first (then by case id), keyset paged; narrowed by holder and profile. */
  casesInStage(stage: Stage, options: CasesInStageOptions = {}): Promise<CasePage> {
    return this.cases({ ...options, stage });
  }

  /**
   * The cases `collectorId` holds (as the roster says), the longest in their stage first, those not yet in a stage last
   * (then by case id), keyset paged; narrowed to one stage, team or profile.
   */
  casesOfCollector(collectorId: string, options: CasesOfCollectorOptions = {}): Promise<CasePage> {
    return this.cases({ ...options, collectorId });
  }

  /** Who holds the case now; NOT_FOUND (`caseId`) when the read model has not heard of it. */
  async caseAssignment(caseId: string): Promise<CaseAssignmentView> {
    const row = await this.caseRow(caseId);
    return { caseId: row.caseId, assignment: row.assignment, teamId: row.teamId, collectorId: row.collectorId };
  }

  /** The case with its current checklist (deadlines, what is done or missed) and its stage entries; NOT_FOUND (`caseId`) when unknown. */
  async caseWorkflow(caseId: string): Promise<CaseWorkflowView> {
    const row = await this.caseRow(caseId);
    const [items, visits] = await Promise.all([
      row.stageEntry === null ? [] : this.dataSource.manager.find(ChecklistItemRow, { where: { caseId: row.caseId, entry: row.stageEntry } }),
      this.dataSource.manager.find(StageVisitRow, { where: { caseId: row.caseId }, order: { entry: 'ASC' } }),
    ]);
    const order = (item: caseWorkflow.ChecklistItem) => caseWorkflow.CHECKLIST_ITEMS.indexOf(item);
    return {
      ...caseView(row),
      checklist: [...items].sort((x, y) => order(x.item) - order(y.item)).map(checklistItemView),
      visits: visits.map((visit) => ({
        entry: visit.entry,
        stage: visit.stage,
        fromStage: visit.fromStage,
        enteredAt: visit.enteredAt.toISOString(),
        leftAt: iso(visit.leftAt),
        durationMs: visit.durationMs,
      })),
    };
  }

  /** Each collector's open cases by stage against their capacity, by team and collector id. */
  async collectorWorkload(filter: WorkloadFilter = {}): Promise<readonly CollectorWorkload[]> {
    const parsed = parseInput(WorkloadFilterSchema, filter);
    const rows: {
      team_id: string;
      collector_id: string;
      name: string;
      specialties: accounts.Product[];
      capacity: number;
      available: boolean;
      absent_until: string | null;
      open_cases: number;
      by_stage: Record<string, number>;
    }[] = await this.dataSource.manager.query(
      `select k.team_id, k.collector_id, k.name, k.specialties, k.capacity, k.available, to_char(k.absent_until, 'YYYY-MM-DD') as absent_until, k.open_cases,
              coalesce((select json_object_agg(coalesce(h.stage, 'none'), h.cases)
                          from (select c.stage, count(*)::int as cases from ${this.s}.cases c
                                 where c.team_id = k.team_id and c.collector_id = k.collector_id and c.assignment = 'assigned'
                                 group by c.stage) h), '{}'::json) as by_stage
         from ${this.s}.collectors k
        where ($1::text is null or k.team_id = $1) and ($2::text is null or k.collector_id = $2)
        order by k.team_id, k.collector_id`,
      [parsed.teamId ?? null, parsed.collectorId ?? null],
    );
    return rows.map((row) => ({
      teamId: row.team_id,
      collectorId: row.collector_id,
      name: row.name,
      specialties: row.specialties,
      capacity: row.capacity,
      available: row.available,
      absentUntil: row.absent_until,
      openCases: row.open_cases,
      spare: row.capacity - row.open_cases,
      byStage: { contact: 0, pressure: 0, negotiate: 0, close: 0, none: 0, ...row.by_stage },
    }));
  }

  /**
   * Checklist items overdue at `asOf`: of the stage entry the case was in then, not done by then, and past their
   * deadline (or missed) by then — the longest overdue first (then by case, entry and item), keyset paged; narrowed to
   * the cases a collector or team holds now, or to one stage. An item's deadline is its latest.
   */
  async overdueItems(asOf: string, options: OverdueOptions = {}): Promise<ItemPage<OverdueItemView>> {
    const parsed = parseInput(OverdueParamsSchema, { ...options, asOf });
    const after = parsed.after ?? null;
    const rows: (ItemRecord & { team_id: string | null; collector_id: string | null; missed: boolean })[] = await this.dataSource.manager.query(
      `select i.*, c.team_id, c.collector_id, coalesce(${MISSED_BY}, false) as missed
         from ${this.s}.checklist_items i
         join ${this.s}.stage_visits v on v.case_id = i.case_id and v.entry = i.entry
         join ${this.s}.cases c on c.case_id = i.case_id
        where v.entered_at <= $1::timestamptz and (v.left_at is null or v.left_at > $1::timestamptz)
          and (i.done_at is null or i.done_at > $1::timestamptz)
          and (i.due_at < $1::timestamptz or ${MISSED_BY})
          and ($2::text is null or c.collector_id = $2) and ($3::text is null or c.team_id = $3) and ($4::text is null or i.stage = $4)
          and ($5::uuid is null or (i.due_at, i.case_id, i.entry, i.item) >
               (select a.due_at, a.case_id, a.entry, a.item from ${this.s}.checklist_items a where a.case_id = $5 and a.entry = $6 and a.item = $7))
        order by i.due_at, i.case_id, i.entry, i.item
        limit $8`,
      [parsed.asOf, parsed.collectorId ?? null, parsed.teamId ?? null, parsed.stage ?? null, after?.caseId ?? null, after?.entry ?? null, after?.item ?? null, parsed.limit + 1],
    );
    const asOfMs = Date.parse(parsed.asOf);
    return keysetPage(
      rows,
      parsed.limit,
      (row) => {
        const dueAt = present(row.due_at, 'due_at');
        return { ...itemView(row), dueAt: dueAt.toISOString(), overdueMs: asOfMs - dueAt.getTime(), missed: row.missed, teamId: row.team_id, collectorId: row.collector_id };
      },
      itemKey,
    );
  }

  /**
   * Deadlines missed from `from` (included) to `to` (excluded), by when they were missed (then by case, entry and
   * item), keyset paged; narrowed to the collector alerted, or to one stage. An item missed twice shows its latest miss.
   */
  async missedDeadlines(from: string, to: string, options: MissedOptions = {}): Promise<ItemPage<MissedDeadlineView>> {
    const parsed = parseInput(MissedParamsSchema, { ...options, from, to });
    const after = parsed.after ?? null;
    const rows: (ItemRecord & { missed_collector_id: string | null })[] = await this.dataSource.manager.query(
      `select i.* from ${this.s}.checklist_items i
        where i.missed_at >= $1::timestamptz and i.missed_at < $2::timestamptz
          and ($3::text is null or i.missed_collector_id = $3) and ($4::text is null or i.stage = $4)
          and ($5::uuid is null or (i.missed_at, i.case_id, i.entry, i.item) >
               (select a.missed_at, a.case_id, a.entry, a.item from ${this.s}.checklist_items a where a.case_id = $5 and a.entry = $6 and a.item = $7))
        order by i.missed_at, i.case_id, i.entry, i.item
        limit $8`,
      [parsed.from, parsed.to, parsed.collectorId ?? null, parsed.stage ?? null, after?.caseId ?? null, after?.entry ?? null, after?.item ?? null, parsed.limit + 1],
    );
    return keysetPage(
      rows,
      parsed.limit,
      (row) => ({ ...itemView(row), dueAt: present(row.due_at, 'due_at').toISOString(), missedAt: present(row.missed_at, 'missed_at').toISOString(), missedCollectorId: row.missed_collector_id }),
      itemKey,
    );
  }

  /**
   * Per stage (and per the risk tier or aging bucket the case had when it entered it): the count, average, median and
   * 90th percentile of the visits that ended in the period, and the ages at `asOf` of the visits open then.
   */
  async stageDurations(params: StageDurationParams): Promise<StageDurations> {
    const parsed = parseInput(StageDurationParamsSchema, params);
    const asOf = parsed.asOf ?? parsed.to;
    const groupBy = parsed.groupBy ?? null;
    const rows: DurationRecord[] = await this.dataSource.manager.query(
      `select stage, key,
              count(*) filter (where completed)::int as completed,
              avg(duration_ms) filter (where completed)::float8 as average_ms,
              percentile_cont(0.5) within group (order by duration_ms) filter (where completed) as median_ms,
              percentile_cont(0.9) within group (order by duration_ms) filter (where completed) as p90_ms,
              count(*) filter (where open)::int as open,
              avg(age_ms) filter (where open)::float8 as average_age_ms,
              max(age_ms) filter (where open)::float8 as oldest_age_ms
         from (select stage, ${groupBy === null ? 'null::text' : GROUP_COLUMN[groupBy]} as key, duration_ms,
                      left_at >= $1::timestamptz and left_at < $2::timestamptz as completed,
                      stage <> 'close' and entered_at <= $3::timestamptz and (left_at is null or left_at > $3::timestamptz) as open,
                      extract(epoch from ($3::timestamptz - entered_at)) * 1000 as age_ms
                 from ${this.s}.stage_visits
                where ($4::text is null or risk_tier = $4) and ($5::text is null or aging_bucket = $5)
                  and (($8::text is null and $9::text is null)
                       or case_id in (select case_id from ${this.s}.cases
                                       where ($8::text is null or product = $8) and ($9::text is null or jurisdiction = $9 or jurisdiction like $9 || '-%')))) v
        where completed or open
        group by stage, key
        order by array_position($6::text[], stage), array_position($7::text[], key) nulls last, key nulls last`,
      [parsed.from, parsed.to, asOf, parsed.tier ?? null, parsed.bucket ?? null, STAGES, groupBy === null ? [] : GROUP_ORDER[groupBy], parsed.product ?? null, parsed.jurisdiction ?? null],
    );
    const ms = (value: number | null) => (value === null ? null : Math.round(value));
    return {
      from: new Date(parsed.from).toISOString(),
      to: new Date(parsed.to).toISOString(),
      asOf: new Date(asOf).toISOString(),
      groupBy,
      groups: rows.map((row) => ({
        stage: row.stage,
        key: row.key,
        completed: { count: row.completed, averageMs: ms(row.average_ms), medianMs: ms(row.median_ms), p90Ms: ms(row.p90_ms) },
        open: { count: row.open, averageAgeMs: ms(row.average_age_ms), oldestAgeMs: ms(row.oldest_age_ms) },
      })),
    };
  }

  private async caseRow(caseId: string): Promise<CaseRow> {
    const id = parseInput(CaseIdSchema, caseId, 'caseId');
    const row = await this.dataSource.manager.findOne(CaseRow, { where: { caseId: id } });
    if (row === null) throw new ArrearsError(ErrorCode.NOT_FOUND, `No case ${id} in the workflow read model`, { field: 'caseId' });
    return row;
  }

  private async cases(options: CasesInStageOptions & CasesOfCollectorOptions): Promise<CasePage> {
    const parsed = parseInput(CaseListParamsSchema, options);
    const query = this.dataSource.manager
      .createQueryBuilder(CaseRow, 'c')
      .where('1 = 1')
      .orderBy(ENTERED, 'ASC')
      .addOrderBy('c.caseId', 'ASC')
      .limit(parsed.limit + 1);
    if (parsed.stage !== undefined) query.andWhere('c.stage = :stage', { stage: parsed.stage });
    if (parsed.collectorId !== undefined) query.andWhere('c.collectorId = :collectorId', { collectorId: parsed.collectorId });
    if (parsed.teamId !== undefined) query.andWhere('c.teamId = :teamId', { teamId: parsed.teamId });
    if (parsed.bucket !== undefined) query.andWhere('c.agingBucket = :bucket', { bucket: parsed.bucket });
    if (parsed.tier !== undefined) query.andWhere('c.riskTier = :tier', { tier: parsed.tier });
    if (parsed.product !== undefined) query.andWhere('c.product = :product', { product: parsed.product });
    // A country takes in its jurisdictions: `US` is `US-IL` and `US-CA` too.
    if (parsed.jurisdiction !== undefined) query.andWhere(`(c.jurisdiction = :jurisdiction or c.jurisdiction like :jurisdiction || '-%')`, { jurisdiction: parsed.jurisdiction });
    if (parsed.after !== undefined) {
      // Compared with the row itself, not with values carried in a cursor; it may have moved on since.
      const last = `(select coalesce(a.stage_entered_at, CAST('infinity' AS timestamptz)), a.case_id from ${this.s}.cases a where a.case_id = :after)`;
      query.andWhere(`(${ENTERED}, c.caseId) > ${last}`, { after: parsed.after });
    }
    const rows = await query.getMany();
    return keysetPage(rows, parsed.limit, caseView, (row) => row.caseId);
  }
}

function itemKey(row: ChecklistItemView): ItemKey {
  return { caseId: row.caseId, entry: row.entry, item: row.item };
}

/** A column the query's filter and the table's constraints make sure of: a missed item has its deadline, for one. */
function present(value: Date | null, column: string): Date {
  if (value === null) throw new Error(`checklist_items.${column} is null where the query and the table's constraints rule it out`);
  return value;
}

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

function itemView(row: ItemRecord): ChecklistItemView {
  return {
    caseId: row.case_id,
    entry: row.entry,
    stage: row.stage,
    item: row.item,
    status: row.status,
    dueAt: iso(row.due_at),
    doneAt: iso(row.done_at),
    missedAt: iso(row.missed_at),
  };
}

function checklistItemView(row: ChecklistItemRow): ChecklistItemView {
  return { caseId: row.caseId, entry: row.entry, stage: row.stage, item: row.item, status: row.status, dueAt: iso(row.dueAt), doneAt: iso(row.doneAt), missedAt: iso(row.missedAt) };
}

function caseView(row: CaseRow): CaseView {
  return {
    caseId: row.caseId,
    stage: row.stage,
    stageEntry: row.stageEntry,
    stageEnteredAt: iso(row.stageEnteredAt),
    openedAt: iso(row.openedAt),
    product: row.product,
    balance: row.balanceMinor === null || row.currency === null ? null : { minor: row.balanceMinor, currency: row.currency },
    agingBucket: row.agingBucket,
    riskTier: row.riskTier,
    assignment: row.assignment,
    teamId: row.teamId,
    collectorId: row.collectorId,
    assignedAt: iso(row.assignedAt),
    legalEscalationRequestedAt: iso(row.legalRequestedAt),
    legalEscalationHeldAt: iso(row.legalHeldAt),
    closedReason: row.closedReason,
    closedAt: iso(row.closedAt),
  };
}
