import 'reflect-metadata';
import type { accounts, legalEscalation } from '@arrears/contracts';
import { CasePlacementColumns, StreamPositionRow } from '@arrears/read-models';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * The legal-escalation read-model tables. No schema is named here: TypeORM takes it from the DataSource (`schema`
 * option), so one set of entities serves the configured schema in production and a schema per test. The tables,
 * constraints and indexes are made by the migration (`migrations/`), never by `synchronize`.
 */

/**
 * Where a handoff stands. The handoff runs requested → evidence-fixed → delivered → acknowledged, then litigating
 * (while legal reports filed, hearing-set or judgment) → closed (settled or withdrawn); or it is refused. Being past
 * its 48-hour deadline unacknowledged is a flag (`overdue`), not a status: the handoff goes on.
 */
export const ESCALATION_STATUSES = ['requested', 'evidence-fixed', 'delivered', 'acknowledged', 'litigating', 'closed', 'refused'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** The statuses of a handoff not yet acknowledged nor refused: its 48-hour deadline still runs. */
export const OPEN_ESCALATION_STATUSES = ['requested', 'evidence-fixed', 'delivered'] as const satisfies readonly EscalationStatus[];

export type LitigationStatus = (typeof legalEscalation.LITIGATION_STATUSES)[number];

/** One row per handoff of a case to legal (caseId = accountId; a case may go again after a withdrawn action). */
@Entity({ name: 'escalations' })
export class EscalationRow {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId!: string;

  @PrimaryColumn({ name: 'handoff', type: 'integer' })
  handoff!: number;

  @Column({ name: 'status', type: 'text' })
  status!: EscalationStatus;

  /**
   * Why the case was sent, as the case saga or the supervisor's command wrote it: operational text, no personal data.
   * Empty for a handoff refused before it started.
   */
  @Column({ name: 'reasons', type: 'text', array: true })
  reasons!: string[];

  /** The case saga (`system:case-workflow`) or the supervisor; null for a handoff refused before it started. */
  @Column({ name: 'requested_by', type: 'text', nullable: true })
  requestedBy!: string | null;

  /** The HandoffStarted's `requestedAt`; for a handoff refused before it started, the refusal's `occurredAt`. */
  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  /** The 48-hour deadline (the HandoffStarted's `overdueAt`); null for a handoff refused before it started. */
  @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true })
  deadlineAt!: Date | null;

  /** The evidence package: the SHA-256 of its manifest. */
  @Column({ name: 'package_id', type: 'text', nullable: true })
  packageId!: string | null;

  @Column({ name: 'evidence_fixed_at', type: 'timestamptz', nullable: true })
  evidenceFixedAt!: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** Hours from the request to delivery, as the LegalPackageDelivered says. */
  @Column({ name: 'delivery_hours', type: 'double precision', nullable: true })
  deliveryHours!: number | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  /** Who in legal acknowledged it. */
  @Column({ name: 'acknowledged_by', type: 'text', nullable: true })
  acknowledgedBy!: string | null;

  /** Hours from the request to acknowledgement, as the HandoffAcknowledged says. */
  @Column({ name: 'acknowledgement_hours', type: 'double precision', nullable: true })
  acknowledgementHours!: number | null;

  @Column({ name: 'reminders_sent', type: 'integer' })
  remindersSent!: number;

  @Column({ name: 'last_reminder_at', type: 'timestamptz', nullable: true })
  lastReminderAt!: Date | null;

  /** The 48 hours passed without acknowledgement (a LegalHandoffOverdue); stays set once acknowledged late. */
  @Column({ name: 'overdue', type: 'boolean' })
  overdue!: boolean;

  @Column({ name: 'overdue_at', type: 'timestamptz', nullable: true })
  overdueAt!: Date | null;

  @Column({ name: 'refused_at', type: 'timestamptz', nullable: true })
  refusedAt!: Date | null;

  /** The holds that stopped it; empty when the case could not be handed over for another reason (not kept: free text). */
  @Column({ name: 'refusal_holds', type: 'text', array: true, nullable: true })
  refusalHolds!: accounts.Flag[] | null;

  /** Legal's latest report. */
  @Column({ name: 'litigation_status', type: 'text', nullable: true })
  litigationStatus!: LitigationStatus | null;

  /** The day of that report's status (the report's `on`). */
  @Column({ name: 'litigation_on', type: 'date', nullable: true })
  litigationOn!: string | null;

  /** The latest hearing date legal gave; kept through later reports that give none. */
  @Column({ name: 'hearing_date', type: 'date', nullable: true })
  hearingDate!: string | null;

  /** When legal reported it settled or withdrawn. */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}

/** `StreamPositionRow` (the kit's `stream_positions`) holds the last position applied of each `legal-<accountId>` stream. */
/** A case's creditor, product and the debtor's jurisdiction (`recordCasePlacement`); none of them ever changes. */
@Entity({ name: 'case_placements' })
export class CasePlacementRow extends CasePlacementColumns {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId!: string;
}

export const LEGAL_READ_MODEL_ENTITIES = [StreamPositionRow, EscalationRow, CasePlacementRow] as const;
