import 'reflect-metadata';
import type { accounts, promisesToPay } from '@arrears/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber, CasePlacementColumns, CaseSegmentColumns, SegmentChangeRow } from '@arrears/read-models';

/*
 * The promise read-model tables. No schema is named here: TypeORM takes it from the DataSource (`schema` option), so
 * one set of entities serves the configured schema in production and a schema per test. The tables, constraints and
 * indexes are made by the migration (`migrations/`), never by `synchronize`.
 */

export type PromiseStatus = 'open' | 'kept' | 'broken' | 'cancelled';
export type PromiseChannel = Extract<promisesToPay.PromiseEvent, { type: 'PromiseRecorded' }>['data']['channel'];
export type { SegmentKind } from '@arrears/read-models';
export { SegmentChangeRow };

const bigint = { type: 'bigint', transformer: bigintAsNumber } as const;

/** A case's segments (see `CaseSegments` of @arrears/read-models), with the last position of `promise-<accountId>` applied. */
@Entity({ name: 'case_segments' })
export class CaseSegmentRow extends CaseSegmentColumns {
  /** The last position of `promise-<accountId>` applied (every event, in order); -1 before any. */
  @Column({ name: 'promise_position', ...bigint })
  override ownPosition!: number;
}

/** One row per promise. Amounts are minor units of `currency`: a promise and its payments are in one currency. */
@Entity({ name: 'promises' })
export class PromiseRow {
  @PrimaryColumn({ name: 'promise_id', type: 'uuid' })
  promiseId!: string;

  /** The case. */
  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'amount_minor', ...bigint })
  amountMinor!: number;

  @Column({ name: 'currency', type: 'text' })
  currency!: string;

  /** Everything applied to the promise so far (`paidTotal`; `paid` of a PromiseBroken). */
  @Column({ name: 'paid_minor', ...bigint })
  paidMinor!: number;

  @Column({ name: 'made_on', type: 'date' })
  madeOn!: string;

  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;

  @Column({ name: 'grace_days', type: 'integer' })
  graceDays!: number;

  @Column({ name: 'breaks_at', type: 'timestamptz' })
  breaksAt!: Date;

  /** The PromiseRecorded's `occurredAt`: the moment the bucket and tier below were taken at. */
  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'channel', type: 'text' })
  channel!: PromiseChannel;

  /** The collector who took the promise. */
  @Column({ name: 'operator_id', type: 'text' })
  operatorId!: string;

  @Column({ name: 'status', type: 'text' })
  status!: PromiseStatus;

  /** The case's aging bucket when the promise was made; null when none was known yet. */
  @Column({ name: 'aging_bucket', type: 'text', nullable: true })
  agingBucket!: accounts.AgingBucket | null;

  /** The case's risk tier when the promise was made; null when none was known yet. */
  @Column({ name: 'risk_tier', type: 'text', nullable: true })
  riskTier!: accounts.RiskTier | null;

  // The settling event's `occurredAt`: exactly one is set once the promise is no longer open.
  @Column({ name: 'kept_at', type: 'timestamptz', nullable: true })
  keptAt!: Date | null;

  @Column({ name: 'broken_at', type: 'timestamptz', nullable: true })
  brokenAt!: Date | null;

  /** The PromiseBroken's `brokenOn`: the day the promise broke; null unless broken. */
  @Column({ name: 'broken_on', type: 'date', nullable: true })
  brokenOn!: string | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;
}

/** A case's creditor, product and the debtor's jurisdiction (`recordCasePlacement`); none of them ever changes. */
@Entity({ name: 'case_placements' })
export class CasePlacementRow extends CasePlacementColumns {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  caseId!: string;
}

export const PROMISE_READ_MODEL_ENTITIES = [CaseSegmentRow, SegmentChangeRow, PromiseRow, CasePlacementRow] as const;
