import { quoteIdentifier } from '@arrears/event-store';
import { ensureProcessedEventsTable } from '@arrears/messaging';
import { createCaseSegmentTables, inMigration } from '@arrears/read-models';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * The plan read models as first released. A migration is history: once it has run anywhere it is never edited — a
 * change is a new migration. Enumerations from contracts (buckets, tiers, outcomes, frequencies, options) are left
 * unchecked here so that a value added to the contract needs no migration; the events are validated on decode. The
 * statuses are this read model's own, and checked.
 */
export class CreatePlanReadModels1799020800000 implements MigrationInterface {
  readonly name = 'CreatePlanReadModels1799020800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    // case_segments (the position of this service's stream in plan_position) and case_segment_changes: their SQL as first
    // released is @arrears/read-models', shared with the other read model that snapshots case segments, pinned there.
    await createCaseSegmentTables(queryRunner, schemaOf(queryRunner.connection), 'plan_position');

    await queryRunner.query(`
      create table ${s}.plans (
        plan_id uuid primary key,
        account_id uuid not null,
        status text not null check (status in ('proposed', 'awaiting-approval', 'running', 'completed', 'defaulted', 'cancelled')),
        currency text not null check (currency ~ '^[A-Z]{3}$'),
        balance_minor bigint not null check (balance_minor > 0),
        total_minor bigint not null check (total_minor > 0),
        outcome text not null,
        frequency text not null,
        instalment_count integer not null check (instalment_count >= 1),
        fee_waiver_minor bigint check (fee_waiver_minor > 0),
        interest_freeze boolean not null,
        term_extension boolean not null,
        settlement_discount_minor bigint check (settlement_discount_minor > 0),
        settlement_basis_points integer check (settlement_basis_points between 1 and 10000),
        approvals_needed text[] not null,
        awaiting_approval text[] not null,
        grace_days integer not null check (grace_days >= 0),
        missed_to_default integer not null check (missed_to_default >= 1),
        proposed_by text not null,
        proposed_at timestamptz not null,
        proposed_on date not null,
        approved_by text,
        approved_at timestamptz,
        accepted_on date,
        accepted_at timestamptz,
        paid_minor bigint not null check (paid_minor >= 0 and paid_minor <= total_minor),
        missed_unpaid integer not null check (missed_unpaid >= 0),
        next_instalment integer check (next_instalment >= 1),
        next_due_date date,
        next_due_minor bigint check (next_due_minor > 0),
        aging_bucket text,
        risk_tier text,
        completed_on date,
        defaulted_on date,
        ended_at timestamptz,
        updated_at timestamptz not null,
        constraint plans_settlement check ((settlement_discount_minor is null) = (settlement_basis_points is null)),
        constraint plans_approved check ((approved_by is null) = (approved_at is null)),
        constraint plans_accepted check ((accepted_on is null) = (accepted_at is null) and (status <> 'running' or accepted_at is not null)),
        constraint plans_awaiting check (status in ('completed', 'defaulted', 'cancelled') or (status = 'awaiting-approval') = (cardinality(awaiting_approval) > 0)),
        constraint plans_next check ((next_instalment is null) = (next_due_date is null) and (next_instalment is null) = (next_due_minor is null)),
        constraint plans_ended check (
          (ended_at is not null) = (status in ('completed', 'defaulted', 'cancelled'))
          and (completed_on is not null) = (status = 'completed') and (defaulted_on is not null) = (status = 'defaulted')
          and (ended_at is null or next_instalment is null)
        )
      )`);
    // The active plans' list: by next due date (a plan with none last), then id, the keyset.
    await queryRunner.query(`create index plans_active_next_due on ${s}.plans (coalesce(next_due_date, 'infinity'::date), plan_id) where status in ('proposed', 'awaiting-approval', 'running')`);
    // Performance: plans proposed in a range of days.
    await queryRunner.query(`create index plans_proposed_on on ${s}.plans (proposed_on)`);
    // A segment change arriving after plans of its case: the snapshots it may move.
    await queryRunner.query(`create index plans_account_proposed on ${s}.plans (account_id, proposed_at)`);

    await queryRunner.query(`
      create table ${s}.instalments (
        plan_id uuid not null references ${s}.plans (plan_id),
        number integer not null check (number >= 1),
        account_id uuid not null,
        currency text not null check (currency ~ '^[A-Z]{3}$'),
        due_date date not null,
        amount_minor bigint not null check (amount_minor > 0),
        paid_minor bigint not null check (paid_minor >= 0 and paid_minor <= amount_minor),
        status text not null check (status in ('upcoming', 'partly-paid', 'paid', 'paid-late', 'missed')),
        misses_at timestamptz,
        was_missed boolean not null,
        paid_on date,
        primary key (plan_id, number),
        constraint instalments_paid check (
          (status in ('paid', 'paid-late')) = (paid_minor = amount_minor) and (status in ('paid', 'paid-late')) = (paid_on is not null)
          and (status <> 'upcoming' or paid_minor = 0) and (status <> 'partly-paid' or paid_minor > 0)
        ),
        constraint instalments_missed check ((status <> 'missed' or was_missed) and (not was_missed or misses_at is not null))
      )`);
    // The worklists: instalments still to pay by due date (then plan and number, the keyset).
    await queryRunner.query(`create index instalments_unpaid_due on ${s}.instalments (due_date, plan_id, number) where status in ('upcoming', 'partly-paid', 'missed')`);

    // processOnce's record of applied events lives beside the rows it guards, so rebuilding the read model (a fresh
    // schema) starts that record afresh too. Its table is @arrears/messaging's to define.
    await ensureProcessedEventsTable(inMigration(queryRunner), { schema: schemaOf(queryRunner.connection) });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    for (const table of ['processed_events', 'instalments', 'plans', 'case_segment_changes', 'case_segments']) {
      await queryRunner.query(`drop table ${s}.${table}`);
    }
  }
}
