import 'reflect-metadata';
import type { accounts, caseWorkflow } from '@arrears/contracts';
import { bigintAsNumber, StreamPositionRow } from '@arrears/read-models';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * The case-workflow read-model tables. No schema is named here: TypeORM takes it from the DataSource (`schema`
 * option), so one set of entities serves the configured schema in production and a schema per test. The tables,
 * constraints and indexes are made by the migration (`migrations/`), never by `synchronize`.
 */

/**
 * Who holds a case, as the roster last said: `none` before any roster event about it, `assigned` to `collectorId`,
 * `unassigned` (waiting in the supervisor's queue), `released` (closed and off its collector's load).
 */
export const ASSIGNMENT_STATUSES = ['none', 'assigned', 'unassigned', 'released'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/** An item is open until met (`done`) or until its deadline passes unmet (`missed`); a later deadline reopens a miss. */
export const CHECKLIST_STATUSES = ['open', 'done', 'missed'] as const;
export type ChecklistStatus = (typeof CHECKLIST_STATUSES)[number];

const bigint = { type: 'bigint', transformer: bigintAsNumber } as const;

/**
 * One row per case (caseId = accountId). Two streams write it, each its own columns: the case saga's stream the
 * profile, stage, legal escalation and closing; the roster's the team and collector holding it. So the row is the same
 * whichever stream is delivered first, and a roster event about a case not yet opened here makes the row early.
 */
@Entity({ name: 'cases' })
export class CaseRow {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  // ── from the case stream; null until its CaseOpened is applied ──

  /** The CaseOpened's `occurredAt`. */
  @Column({ name: 'opened_at', type: 'timestamptz', nullable: true })
  openedAt!: Date | null;

  @Column({ name: 'product', type: 'text', nullable: true })
  product!: accounts.Product | null;

  @Column({ name: 'currency', type: 'text', nullable: true })
  currency!: string | null;

  /** The whole balance owed, minor units of `currency`: the profile's, then each `payment` signal's. */
  @Column({ name: 'balance_minor', ...bigint, nullable: true })
  balanceMinor!: number | null;

  /** The profile's, then each `bucket-changed` signal's. */
  @Column({ name: 'aging_bucket', type: 'text', nullable: true })
  agingBucket!: accounts.AgingBucket | null;

  /** The profile's, then each `tier-changed` signal's. */
  @Column({ name: 'risk_tier', type: 'text', nullable: true })
  riskTier!: accounts.RiskTier | null;

  /** The debtor's jurisdiction (`US-IL`), from the account's AccountPlaced; null until that is applied here. */
  @Column({ name: 'jurisdiction', type: 'text', nullable: true })
  jurisdiction!: string | null;

  /** Null until the first StageEntered. */
  @Column({ name: 'stage', type: 'text', nullable: true })
  stage!: caseWorkflow.Stage | null;

  /** The stage entries of the case so far, the current one included. */
  @Column({ name: 'stage_entry', type: 'integer', nullable: true })
  stageEntry!: number | null;

  @Column({ name: 'stage_entered_at', type: 'timestamptz', nullable: true })
  stageEnteredAt!: Date | null;

  @Column({ name: 'legal_requested_at', type: 'timestamptz', nullable: true })
  legalRequestedAt!: Date | null;

  /** The latest LegalEscalationHeld: triggers held, but a hold applied. */
  @Column({ name: 'legal_held_at', type: 'timestamptz', nullable: true })
  legalHeldAt!: Date | null;

  /** Set when the case entered the close stage. */
  @Column({ name: 'closed_reason', type: 'text', nullable: true })
  closedReason!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  // ── from the roster stream ──

  @Column({ name: 'assignment', type: 'text' })
  assignment!: AssignmentStatus;

  /** The team whose roster last spoke of the case; null before any roster event about it. */
  @Column({ name: 'team_id', type: 'text', nullable: true })
  teamId!: string | null;

  /** The collector holding the case; null unless `assignment` is `assigned`. */
  @Column({ name: 'collector_id', type: 'text', nullable: true })
  collectorId!: string | null;

  /** The `occurredAt` of the latest CaseAssigned. */
  @Column({ name: 'assigned_at', type: 'timestamptz', nullable: true })
  assignedAt!: Date | null;
}

/** One row per collector of a team's roster. */
@Entity({ name: 'collectors' })
export class CollectorRow {
  @PrimaryColumn({ name: 'team_id', type: 'text' })
  teamId!: string;

  @PrimaryColumn({ name: 'collector_id', type: 'text' })
  collectorId!: string;

  @Column({ name: 'name', type: 'text' })
  name!: string;

  /** The products they specialise in. */
  @Column({ name: 'specialties', type: 'text', array: true })
  specialties!: accounts.Product[];

  /** How many open cases they can carry. */
  @Column({ name: 'capacity', type: 'integer' })
  capacity!: number;

  @Column({ name: 'available', type: 'boolean' })
  available!: boolean;

  /** The day an absence is to end, when one was given. */
  @Column({ name: 'absent_until', type: 'date', nullable: true })
  absentUntil!: string | null;

  /** The cases the roster has them holding: counted again from `cases` whenever a roster event moves one. */
  @Column({ name: 'open_cases', type: 'integer' })
  openCases!: number;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt!: Date;
}

/** One row per checklist item of each stage entry of a case. */
@Entity({ name: 'checklist_items' })
export class ChecklistItemRow {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @PrimaryColumn({ name: 'entry', type: 'integer' })
  entry!: number;

  @PrimaryColumn({ name: 'item', type: 'text' })
  item!: caseWorkflow.ChecklistItem;

  @Column({ name: 'stage', type: 'text' })
  stage!: caseWorkflow.Stage;

  /** The deadline: the StageEntered's, a later ChecklistDeadlineSet's, or the missed DeadlineMissed's; null when none was set. */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'status', type: 'text' })
  status!: ChecklistStatus;

  /** When the signal that met it happened (the ChecklistItemDone's `at`). */
  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt!: Date | null;

  /** The latest DeadlineMissed's `occurredAt`: kept when a later deadline reopens the item. */
  @Column({ name: 'missed_at', type: 'timestamptz', nullable: true })
  missedAt!: Date | null;

  /** The collector the latest DeadlineMissed alerted, if the case was assigned then. */
  @Column({ name: 'missed_collector_id', type: 'text', nullable: true })
  missedCollectorId!: string | null;
}

/** One row per stage entry of a case: how long the case stayed. */
@Entity({ name: 'stage_visits' })
export class StageVisitRow {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @PrimaryColumn({ name: 'entry', type: 'integer' })
  entry!: number;

  @Column({ name: 'stage', type: 'text' })
  stage!: caseWorkflow.Stage;

  @Column({ name: 'from_stage', type: 'text', nullable: true })
  fromStage!: caseWorkflow.Stage | null;

  /** The case's aging bucket and risk tier when it entered the stage. */
  @Column({ name: 'aging_bucket', type: 'text', nullable: true })
  agingBucket!: accounts.AgingBucket | null;

  @Column({ name: 'risk_tier', type: 'text', nullable: true })
  riskTier!: accounts.RiskTier | null;

  @Column({ name: 'entered_at', type: 'timestamptz' })
  enteredAt!: Date;

  /** The next StageEntered's `occurredAt`; null while the case is in the stage (always, for close: it is the end). */
  @Column({ name: 'left_at', type: 'timestamptz', nullable: true })
  leftAt!: Date | null;

  /** `left_at − entered_at` in milliseconds; null while open. */
  @Column({ name: 'duration_ms', ...bigint, nullable: true })
  durationMs!: number | null;
}

/**
 * `StreamPositionRow` (the kit's `stream_positions`) holds the last position applied of each stream the projection
 * reads: `case-<accountId>` and `roster-<teamId>`, every event of each in order (the saga's effect events too).
 */
export const WORKFLOW_READ_MODEL_ENTITIES = [StreamPositionRow, CaseRow, CollectorRow, ChecklistItemRow, StageVisitRow] as const;
