import 'reflect-metadata';
import type { accounts } from '@arrears/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@arrears/read-models';

/*
 * The read-model tables. No schema is named here: TypeORM takes it from the DataSource (`schema` option), so one
 * set of entities serves the configured schema in production and a schema per test. The tables, constraints and
 * indexes themselves are made by the migration (`migrations/`), never by `synchronize`.
 */

export type AccountStatus = 'open' | 'closed';

/** What each active flag says beyond its name. */
export interface FlagDetail {
  /** When the flag was set (the event's `occurredAt`). */
  readonly since: string;
  /** Breathing space: the last day it applies. */
  readonly endsOn?: string;
}
export type FlagDetails = Partial<Record<accounts.Flag, FlagDetail>>;

const money = { type: 'bigint', transformer: bigintAsNumber } as const;

/** One row per account: what the work queue, the filters and the dashboard read. */
@Entity({ name: 'account_summaries' })
export class AccountSummary {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'creditor_id', type: 'text' })
  creditorId!: string;

  @Column({ name: 'creditor_name', type: 'text' })
  creditorName!: string;

  @Column({ name: 'creditor_reference', type: 'text' })
  creditorReference!: string;

  @Column({ name: 'product', type: 'text' })
  product!: accounts.Product;

  @Column({ name: 'currency', type: 'text' })
  currency!: string;

  /** Minor units of `currency`, like every amount here. */
  @Column({ name: 'principal', ...money })
  principal!: number;

  @Column({ name: 'fees', ...money })
  fees!: number;

  @Column({ name: 'interest', ...money })
  interest!: number;

  /** principal + fees + interest (a check constraint holds it to that). */
  @Column({ name: 'total', ...money })
  total!: number;

  /** Paid beyond the balance, held for the debtor. */
  @Column({ name: 'credit', ...money })
  credit!: number;

  @Column({ name: 'interest_frozen', type: 'boolean' })
  interestFrozen!: boolean;

  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;

  /** As of the last review that moved the bucket (`daysPastDueAsOf`); reviews that change nothing publish nothing. */
  @Column({ name: 'days_past_due', type: 'integer', nullable: true })
  daysPastDue!: number | null;

  @Column({ name: 'days_past_due_as_of', type: 'date', nullable: true })
  daysPastDueAsOf!: string | null;

  /** Null until the first review after placement. */
  @Column({ name: 'aging_bucket', type: 'text', nullable: true })
  agingBucket!: accounts.AgingBucket | null;

  @Column({ name: 'risk_tier', type: 'text', nullable: true })
  riskTier!: accounts.RiskTier | null;

  @Column({ name: 'risk_score', type: 'integer', nullable: true })
  riskScore!: number | null;

  /** In the order of `accounts.FLAGS`, so that the same flags always read the same. */
  @Column({ name: 'active_flags', type: 'text', array: true })
  activeFlags!: accounts.Flag[];

  @Column({ name: 'flag_details', type: 'jsonb' })
  flagDetails!: FlagDetails;

  @Column({ name: 'status', type: 'text' })
  status!: AccountStatus;

  @Column({ name: 'close_reason', type: 'text', nullable: true })
  closeReason!: accounts.CloseReason | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'debtor_id', type: 'uuid' })
  debtorId!: string;

  // Personal data, masked when projected (the masks of @arrears/security) and ERASED once the debtor is erased. Never plaintext,
  // never the encrypted value: the event store keeps that.
  @Column({ name: 'masked_name', type: 'text' })
  maskedName!: string;

  @Column({ name: 'masked_phone', type: 'text', nullable: true })
  maskedPhone!: string | null;

  @Column({ name: 'masked_email', type: 'text', nullable: true })
  maskedEmail!: string | null;

  @Column({ name: 'masked_national_id', type: 'text', nullable: true })
  maskedNationalId!: string | null;

  @Column({ name: 'masked_address', type: 'text', nullable: true })
  maskedAddress!: string | null;

  @Column({ name: 'erased', type: 'boolean' })
  erased!: boolean;

  @Column({ name: 'jurisdiction', type: 'text' })
  jurisdiction!: string;

  /** Null while the debtor's time zone is unknown. */
  @Column({ name: 'time_zone', type: 'text', nullable: true })
  timeZone!: string | null;

  @Column({ name: 'language', type: 'text' })
  language!: string;

  @Column({ name: 'placed_at', type: 'timestamptz' })
  placedAt!: Date;

  @Column({ name: 'last_payment_on', type: 'date', nullable: true })
  lastPaymentOn!: string | null;

  @Column({ name: 'last_payment_amount', ...money, nullable: true })
  lastPaymentAmount!: number | null;

  @Column({ name: 'broken_promises', type: 'integer' })
  brokenPromises!: number;

  /** The `occurredAt` of the last event applied: business time, so a replay writes the same value. */
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** The stream position of the last event applied: the guard that makes every update idempotent. */
  @Column({ name: 'last_applied_position', ...money })
  lastAppliedPosition!: number;
}

export type ActivityKind = 'payment' | 'adjustment';

/** The payments and adjustments of an account, one row per event, for the account's detail view. */
@Entity({ name: 'account_activity' })
export class AccountActivity {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'stream_position', ...money })
  streamPosition!: number;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'kind', type: 'text' })
  kind!: ActivityKind;

  @Column({ name: 'currency', type: 'text' })
  currency!: string;

  /** Paid, or waived (zero for an interest freeze or unfreeze). */
  @Column({ name: 'amount', ...money })
  amount!: number;

  @Column({ name: 'payment_reference', type: 'text', nullable: true })
  paymentReference!: string | null;

  @Column({ name: 'received_on', type: 'date', nullable: true })
  receivedOn!: string | null;

  @Column({ name: 'channel', type: 'text', nullable: true })
  channel!: string | null;

  /** A payment's split across fees, interest, principal and credit. */
  @Column({ name: 'allocation', type: 'jsonb', nullable: true })
  allocation!: { fees: number; interest: number; principal: number; credit: number } | null;

  @Column({ name: 'adjustment_kind', type: 'text', nullable: true })
  adjustmentKind!: accounts.AdjustmentKind | null;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  /** The operator who approved an adjustment (a user id, not the debtor). */
  @Column({ name: 'approved_by', type: 'text', nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'principal_after', ...money })
  principalAfter!: number;

  @Column({ name: 'fees_after', ...money })
  feesAfter!: number;

  @Column({ name: 'interest_after', ...money })
  interestAfter!: number;

  @Column({ name: 'total_after', ...money })
  totalAfter!: number;

  @Column({ name: 'credit_after', ...money })
  creditAfter!: number;
}

export const READ_MODEL_ENTITIES = [AccountSummary, AccountActivity] as const;
