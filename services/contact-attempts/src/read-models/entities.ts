import 'reflect-metadata';
import type { contactAttempts } from '@arrears/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber, CasePlacementColumns } from '@arrears/read-models';

/*
 * The contact read-model tables. No schema is named here: TypeORM takes it from the DataSource (`schema` option), so
 * one set of entities serves the configured schema in production and a schema per test. The tables, constraints and
 * indexes are made by the migration (`migrations/`), never by `synchronize`. No column holds an encrypted value of
 * the events (the target's value, notes, a complaint's description): those stay in the event store.
 */

export type Decision = 'allowed' | 'blocked';

/** One row per contact: its compliance decision and, once recorded, what came of it. */
@Entity({ name: 'contact_history' })
export class ContactHistoryRow {
  @PrimaryColumn({ name: 'contact_id', type: 'uuid' })
  contactId!: string;

  /** The case. */
  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'debtor_id', type: 'uuid' })
  debtorId!: string;

  /** The collector the decision was made for (`operatorId`): the outcome is credited to them too. */
  @Column({ name: 'operator_id', type: 'text' })
  operatorId!: string;

  @Column({ name: 'channel', type: 'text' })
  channel!: contactAttempts.Channel;

  @Column({ name: 'target_kind', type: 'text' })
  targetKind!: contactAttempts.SealedTarget['kind'];

  /** The keyed hash of the target (never the target): attempts to one number can be counted without the number. */
  @Column({ name: 'target_key', type: 'text' })
  targetKey!: string;

  @Column({ name: 'purpose', type: 'text' })
  purpose!: string;

  @Column({ name: 'decision', type: 'text' })
  decision!: Decision;

  @Column({ name: 'rule_pack', type: 'text' })
  rulePack!: string;

  @Column({ name: 'jurisdiction', type: 'text' })
  jurisdiction!: string;

  /** The time zones the decision was judged in that PostgreSQL knows, in the recorded order. */
  @Column({ name: 'time_zones', type: 'text', array: true })
  timeZones!: string[];

  /** Recorded zones PostgreSQL does not know: the report counts such contacts as unverifiable. */
  @Column({ name: 'unrecognised_time_zones', type: 'text', array: true })
  unrecognisedTimeZones!: string[];

  @Column({ name: 'reasons', type: 'jsonb' })
  reasons!: contactAttempts.ComplianceReason[];

  @Column({ name: 'next_allowed_at', type: 'timestamptz', nullable: true })
  nextAllowedAt!: Date | null;

  @Column({ name: 'intended_at', type: 'timestamptz' })
  intendedAt!: Date;

  /** The zone of the local date and time below: the first recorded one, when PostgreSQL knows it. */
  @Column({ name: 'local_time_zone', type: 'text', nullable: true })
  localTimeZone!: string | null;

  @Column({ name: 'local_date', type: 'date', nullable: true })
  localDate!: string | null;

  @Column({ name: 'local_time', type: 'time', nullable: true })
  localTime!: string | null;

  /** The decision event's `occurredAt`. */
  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;

  // The outcome: null until recorded.
  @Column({ name: 'outcome', type: 'text', nullable: true })
  outcome!: contactAttempts.Outcome | null;

  @Column({ name: 'conversation', type: 'boolean', nullable: true })
  conversation!: boolean | null;

  @Column({ name: 'connected', type: 'boolean', nullable: true })
  connected!: boolean | null;

  /** The debtor was reached (`RIGHT_PARTY_OUTCOMES`): what the right-party-contact rate counts. */
  @Column({ name: 'right_party', type: 'boolean', nullable: true })
  rightParty!: boolean | null;

  @Column({ name: 'duration_seconds', type: 'integer', nullable: true })
  durationSeconds!: number | null;

  @Column({ name: 'recording_reference', type: 'text', nullable: true })
  recordingReference!: string | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;
}

/** One row per collector per UTC day (of the contacts' `intendedAt`). */
@Entity({ name: 'collector_days' })
export class CollectorDayRow {
  @PrimaryColumn({ name: 'operator_id', type: 'text' })
  operatorId!: string;

  @PrimaryColumn({ name: 'day', type: 'date' })
  day!: string;

  /** Contacts allowed. */
  @Column({ name: 'attempts', type: 'integer' })
  attempts!: number;

  /** Contacts asked for and blocked. */
  @Column({ name: 'blocked', type: 'integer' })
  blocked!: number;

  @Column({ name: 'right_party_contacts', type: 'integer' })
  rightPartyContacts!: number;

  @Column({ name: 'conversations', type: 'integer' })
  conversations!: number;

  @Column({ name: 'promises_offered', type: 'integer' })
  promisesOffered!: number;
}

/** One row per complaint. Its description (encrypted) and the resolution's free text are not kept. */
@Entity({ name: 'complaints' })
export class ComplaintRow {
  @PrimaryColumn({ name: 'complaint_id', type: 'uuid' })
  complaintId!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'debtor_id', type: 'uuid' })
  debtorId!: string;

  @Column({ name: 'category', type: 'text' })
  category!: string;

  @Column({ name: 'channel', type: 'text', nullable: true })
  channel!: contactAttempts.Channel | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'upheld', type: 'boolean', nullable: true })
  upheld!: boolean | null;
}

/** One row per hit of a ProhibitedLanguageDetected event. */
@Entity({ name: 'language_hits' })
export class LanguageHitRow {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  /** The hit's place in the event's `hits`. */
  @PrimaryColumn({ name: 'hit_index', type: 'integer' })
  hitIndex!: number;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'debtor_id', type: 'uuid' })
  debtorId!: string;

  @Column({ name: 'contact_id', type: 'uuid', nullable: true })
  contactId!: string | null;

  @Column({ name: 'source', type: 'text' })
  source!: string;

  @Column({ name: 'operator_id', type: 'text' })
  operatorId!: string;

  @Column({ name: 'rule_id', type: 'text' })
  ruleId!: string;

  @Column({ name: 'category', type: 'text' })
  category!: string;

  /** The prohibited term the rule matched (from the rule's list, not the debtor's words around it). */
  @Column({ name: 'term', type: 'text' })
  term!: string;

  /** The event's `occurredAt`. */
  @Column({ name: 'detected_at', type: 'timestamptz' })
  detectedAt!: Date;
}

/** The last stream position applied per debtor stream (`contact-<debtorId>`): the guard that makes every event apply once. */
@Entity({ name: 'contact_streams' })
export class ContactStreamRow {
  @PrimaryColumn({ name: 'stream_id', type: 'text' })
  streamId!: string;

  @Column({ name: 'last_applied_position', type: 'bigint', transformer: bigintAsNumber })
  lastAppliedPosition!: number;
}

/** A case's creditor, product and the debtor's jurisdiction (`recordCasePlacement`); none of them ever changes. */
@Entity({ name: 'case_placements' })
export class CasePlacementRow extends CasePlacementColumns {
  @PrimaryColumn({ name: 'account_id', type: 'uuid' })
  caseId!: string;
}

export const CONTACT_READ_MODEL_ENTITIES = [ContactHistoryRow, CollectorDayRow, ComplaintRow, LanguageHitRow, ContactStreamRow, CasePlacementRow] as const;
