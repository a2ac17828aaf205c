import 'reflect-metadata';
import type { accounts, paymentPlans } from '@arrears/contracts';
import { bigintAsNumber, CaseSegmentColumns, SegmentChangeRow } from '@arrears/read-models';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * The plan read-model tables. No schema is named here: TypeORM takes it from the DataSource (`schema` option), so one
 * set of entities serves the configured schema in production and a schema per test. The tables, constraints and
 * indexes are made by the migration (`migrations/`), never by `synchronize`.
 */

/** `awaiting-approval`: proposed with options beyond its proposer's limits, not yet approved; `running`: accepted. */
export const PLAN_STATUSES = ['proposed', 'awaiting-approval', 'running', 'completed', 'defaulted', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
/** The plans still on the table or in force; the others have ended. */
export const ACTIVE_PLAN_STATUSES = ['proposed', 'awaiting-approval', 'running'] as const satisfies readonly PlanStatus[];
export type ActivePlanStatus = (typeof ACTIVE_PLAN_STATUSES)[number];

/** `paid-late`: paid in full after its due date (perhaps after it was missed); `missed`: missed and not since paid in full. */
export const INSTALMENT_STATUSES = ['upcoming', 'partly-paid', 'paid', 'paid-late', 'missed'] as const;
export type InstalmentStatus = (typeof INSTALMENT_STATUSES)[number];
/** An instalment still to pay. */
export const UNPAID_INSTALMENT_STATUSES = ['upcoming', 'partly-paid', 'missed'] as const satisfies readonly InstalmentStatus[];

export type { SegmentKind } from '@arrears/read-models';
export { SegmentChangeRow };

const bigint = { type: 'bigint', transformer: bigintAsNumber } as const;

/** A case's segments (see `CaseSegments` of @arrears/read-models), with the last position of `plan-<accountId>` applied. */
@Entity({ name: 'case_segments' })
export class CaseSegmentRow extends CaseSegmentColumns {
  /** The last position of `plan-<accountId>` applied (every event, in order); -1 before any. */
  @Column({ name: 'plan_position', ...bigint })
  override ownPosition!: number;
}

/**
 * One row per plan. Amounts are minor units of `currency`: a plan, its instalments and the payments to them are in
 * one currency. Every instant is business time (an event's `occurredAt`), never the clock, so a rebuild writes the
 * same rows.
 */
@Entity({ name: 'plans' })
export class PlanRow {
  @PrimaryColumn({ name: 'plan_id', type: 'uuid' })
  planId!: string;

  /** The case. */
  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'status', type: 'text' })
  status!: PlanStatus;

  @Column({ name: 'currency', type: 'text' })
  currency!: string;

  /** The account's whole balance when the plan was proposed. */
  @Column({ name: 'balance_minor', ...bigint })
  balanceMinor!: number;

  /** What the plan pays in all: its instalments sum to it. */
  @Column({ name: 'total_minor', ...bigint })
  totalMinor!: number;

  @Column({ name: 'outcome', type: 'text' })
  outcome!: paymentPlans.PlanOutcome;

  @Column({ name: 'frequency', type: 'text' })
  frequency!: paymentPlans.Frequency;

  @Column({ name: 'instalment_count', type: 'integer' })
  instalmentCount!: number;

  /** The fees waived if the plan completes; null without a fee waiver. */
  @Column({ name: 'fee_waiver_minor', ...bigint, nullable: true })
  feeWaiverMinor!: number | null;

  @Column({ name: 'interest_freeze', type: 'boolean' })
  interestFreeze!: boolean;

  @Column({ name: 'term_extension', type: 'boolean' })
  termExtension!: boolean;

  /** The settlement's discount off the balance; null without a settlement. */
  @Column({ name: 'settlement_discount_minor', ...bigint, nullable: true })
  settlementDiscountMinor!: number | null;

  @Column({ name: 'settlement_basis_points', type: 'integer', nullable: true })
  settlementBasisPoints!: number | null;

  /** The options beyond the proposer's limits when it was proposed. */
  @Column({ name: 'approvals_needed', type: 'text', array: true })
  approvalsNeeded!: paymentPlans.PlanOption[];

  /** Of those, the ones not approved yet. */
  @Column({ name: 'awaiting_approval', type: 'text', array: true })
  awaitingApproval!: paymentPlans.PlanOption[];

  @Column({ name: 'grace_days', type: 'integer' })
  graceDays!: number;

  @Column({ name: 'missed_to_default', type: 'integer' })
  missedToDefault!: number;

  /** The collector (or supervisor) who proposed it. */
  @Column({ name: 'proposed_by', type: 'text' })
  proposedBy!: string;

  /** The PlanProposed's `occurredAt`: the moment the bucket and tier below were taken at. */
  @Column({ name: 'proposed_at', type: 'timestamptz' })
  proposedAt!: Date;

  /** The UTC calendar day of `proposedAt`, as the plan rules count days. */
  @Column({ name: 'proposed_on', type: 'date' })
  proposedOn!: string;

  @Column({ name: 'approved_by', type: 'text', nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ name: 'accepted_on', type: 'date', nullable: true })
  acceptedOn!: string | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  /** Everything paid to its instalments so far. */
  @Column({ name: 'paid_minor', ...bigint })
  paidMinor!: number;

  /** Missed instalments not since paid in full: the plan defaults when they reach `missedToDefault`. */
  @Column({ name: 'missed_unpaid', type: 'integer' })
  missedUnpaid!: number;

  // The first instalment not paid in full while the plan is on the table or running; null once it has ended.
  @Column({ name: 'next_instalment', type: 'integer', nullable: true })
  nextInstalment!: number | null;

  @Column({ name: 'next_due_date', type: 'date', nullable: true })
  nextDueDate!: string | null;

  /** What is still to pay of the next instalment. */
  @Column({ name: 'next_due_minor', ...bigint, nullable: true })
  nextDueMinor!: number | null;

  /** The case's aging bucket when the plan was proposed; null when none was known yet. */
  @Column({ name: 'aging_bucket', type: 'text', nullable: true })
  agingBucket!: accounts.AgingBucket | null;

  /** The case's risk tier when the plan was proposed; null when none was known yet. */
  @Column({ name: 'risk_tier', type: 'text', nullable: true })
  riskTier!: accounts.RiskTier | null;

  @Column({ name: 'completed_on', type: 'date', nullable: true })
  completedOn!: string | null;

  @Column({ name: 'defaulted_on', type: 'date', nullable: true })
  defaultedOn!: string | null;

  /** The `occurredAt` of the PlanCompleted, PlanDefaulted or PlanCancelled; null while the plan is active. */
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  /** The `occurredAt` of the plan's latest event. */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One row per instalment of a plan, from its proposal on; it falls due only once the plan is accepted. */
@Entity({ name: 'instalments' })
export class InstalmentRow {
  @PrimaryColumn({ name: 'plan_id', type: 'uuid' })
  planId!: string;

  /** 1-based. */
  @PrimaryColumn({ name: 'number', type: 'integer' })
  number!: number;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'currency', type: 'text' })
  currency!: string;

  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;

  @Column({ name: 'amount_minor', ...bigint })
  amountMinor!: number;

  @Column({ name: 'paid_minor', ...bigint })
  paidMinor!: number;

  @Column({ name: 'status', type: 'text' })
  status!: InstalmentStatus;

  /** The moment it counts as missed unless paid (due date plus grace); null until the plan is accepted. */
  @Column({ name: 'misses_at', type: 'timestamptz', nullable: true })
  missesAt!: Date | null;

  /** It was missed, whether paid since or not. */
  @Column({ name: 'was_missed', type: 'boolean' })
  wasMissed!: boolean;

  /** The day the payment that completed it was received. */
  @Column({ name: 'paid_on', type: 'date', nullable: true })
  paidOn!: string | null;
}

export const PLAN_READ_MODEL_ENTITIES = [CaseSegmentRow, SegmentChangeRow, PlanRow, InstalmentRow] as const;
