import { quoteIdentifier } from '@arrears/event-store';
import { ensureProcessedEventsTable } from '@arrears/messaging';
import { inMigration } from '@arrears/read-models';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * The contact read models as first released. A migration is history: once it has run anywhere it is never edited —
 * a change is a new migration. Enumerations from contracts (channels, outcomes, categories) are left unchecked here
 * so that a value added to the contract needs no migration; the events are validated on decode.
 */
export class CreateContactReadModels1795910400000 implements MigrationInterface {
  readonly name = 'CreateContactReadModels1795910400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`
      create table ${s}.contact_history (
        contact_id uuid primary key,
        account_id uuid not null,
        debtor_id uuid not null,
        operator_id text not null,
        channel text not null,
        target_kind text not null,
        target_key text not null check (target_key ~ '^[0-9a-f]{64}$'),
        purpose text not null,
        decision text not null check (decision in ('allowed', 'blocked')),
        rule_pack text not null,
        jurisdiction text not null,
        time_zones text[] not null,
        unrecognised_time_zones text[] not null,
        reasons jsonb not null,
        next_allowed_at timestamptz,
        intended_at timestamptz not null,
        local_time_zone text,
        local_date date,
        local_time time,
        decided_at timestamptz not null,
        outcome text,
        conversation boolean,
        connected boolean,
        right_party boolean,
        duration_seconds integer check (duration_seconds >= 0),
        recording_reference text,
        ended_at timestamptz,
        constraint contact_history_local check ((local_time_zone is null) = (local_date is null) and (local_date is null) = (local_time is null)),
        constraint contact_history_outcome check ((outcome is null) = (right_party is null))
      )`);
    // A case's history, newest first, and its keyset.
    await queryRunner.query(`create index contact_history_account on ${s}.contact_history (account_id, intended_at desc, contact_id desc)`);
    // Report and metric ranges; the rolling windows of allowed calls per account and per debtor.
    await queryRunner.query(`create index contact_history_intended on ${s}.contact_history (intended_at)`);
    await queryRunner.query(`create index contact_history_allowed_calls on ${s}.contact_history (account_id, intended_at) where decision = 'allowed' and channel = 'call'`);
    await queryRunner.query(`create index contact_history_operator on ${s}.contact_history (operator_id, intended_at)`);
    // Best time to call: a debtor's right-party contacts.
    await queryRunner.query(`create index contact_history_right_party on ${s}.contact_history (debtor_id) where right_party`);

    await queryRunner.query(`
      create table ${s}.collector_days (
        operator_id text not null,
        day date not null,
        attempts integer not null check (attempts >= 0),
        blocked integer not null check (blocked >= 0),
        right_party_contacts integer not null check (right_party_contacts >= 0),
        conversations integer not null check (conversations >= 0),
        promises_offered integer not null check (promises_offered >= 0),
        primary key (operator_id, day)
      )`);
    await queryRunner.query(`create index collector_days_day on ${s}.collector_days (day)`);

    await queryRunner.query(`
      create table ${s}.complaints (
        complaint_id uuid primary key,
        account_id uuid not null,
        debtor_id uuid not null,
        category text not null,
        channel text,
        received_at timestamptz not null,
        resolved_at timestamptz,
        upheld boolean,
        constraint complaints_resolved check ((resolved_at is null) = (upheld is null))
      )`);
    await queryRunner.query(`create index complaints_received on ${s}.complaints (received_at)`);

    await queryRunner.query(`
      create table ${s}.language_hits (
        event_id uuid not null,
        hit_index integer not null check (hit_index >= 0),
        account_id uuid not null,
        debtor_id uuid not null,
        contact_id uuid,
        source text not null,
        operator_id text not null,
        rule_id text not null,
        category text not null,
        term text not null,
        detected_at timestamptz not null,
        primary key (event_id, hit_index)
      )`);
    await queryRunner.query(`create index language_hits_detected on ${s}.language_hits (detected_at)`);

    await queryRunner.query(`
      create table ${s}.contact_streams (
        stream_id text primary key,
        last_applied_position bigint not null check (last_applied_position >= -1)
      )`);

    // processOnce's record of applied events lives beside the rows it guards, so rebuilding the read model (a fresh
    // schema) starts that record afresh too. Its table is @arrears/messaging's to define.
    await ensureProcessedEventsTable(inMigration(queryRunner), { schema: schemaOf(queryRunner.connection) });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    for (const table of ['processed_events', 'contact_streams', 'language_hits', 'complaints', 'collector_days', 'contact_history']) {
      await queryRunner.query(`drop table ${s}.${table}`);
    }
  }
}
