import { quoteIdentifier } from '@arrears/event-store';
import { ensureProcessedEventsTable } from '@arrears/messaging';
import { createStreamPositionsTable, inMigration } from '@arrears/read-models';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * The case-workflow read models as first released. A migration is history: once it has run anywhere it is never
 * edited — a change is a new migration. Enumerations from contracts (stages, checklist items, products, buckets,
 * tiers, close reasons) are left unchecked here so that a value added to the contract needs no migration; the events
 * are validated on decode. The assignment and checklist statuses are this read model's own, and checked.
 */
export class CreateWorkflowReadModels1799280000000 implements MigrationInterface {
  readonly name = 'CreateWorkflowReadModels1799280000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await createStreamPositionsTable(queryRunner, schemaOf(queryRunner.connection));

    await queryRunner.query(`
      create table ${s}.cases (
        case_id uuid primary key,
        opened_at timestamptz,
        product text,
        currency text check (currency ~ '^[A-Z]{3}$'),
        balance_minor bigint check (balance_minor >= 0),
        aging_bucket text,
        risk_tier text,
        stage text,
        stage_entry integer check (stage_entry >= 1),
        stage_entered_at timestamptz,
        legal_requested_at timestamptz,
        legal_held_at timestamptz,
        closed_reason text,
        closed_at timestamptz,
        assignment text not null check (assignment in ('none', 'assigned', 'unassigned', 'released')),
        team_id text,
        collector_id text,
        assigned_at timestamptz,
        constraint cases_opened check (
          (opened_at is null) = (product is null) and (opened_at is null) = (currency is null) and (opened_at is null) = (balance_minor is null)
          and (opened_at is null) = (aging_bucket is null) and (opened_at is null) = (risk_tier is null) and (opened_at is not null or stage is null)
        ),
        constraint cases_stage check ((stage is null) = (stage_entry is null) and (stage is null) = (stage_entered_at is null)),
        constraint cases_closed check ((closed_at is not null) = (stage is not distinct from 'close') and (closed_at is not null or closed_reason is null)),
        constraint cases_assignment check ((collector_id is not null) = (assignment = 'assigned') and (team_id is null) = (assignment = 'none'))
      )`);
    // The lists: a stage's cases and a collector's, the longest in their stage first (then by id, the keyset).
    await queryRunner.query(`create index cases_stage_entered on ${s}.cases (stage, coalesce(stage_entered_at, 'infinity'::timestamptz), case_id)`);
    await queryRunner.query(`create index cases_collector_entered on ${s}.cases (collector_id, coalesce(stage_entered_at, 'infinity'::timestamptz), case_id) where collector_id is not null`);
    // A collector's open cases, counted again when the roster moves one.
    await queryRunner.query(`create index cases_held on ${s}.cases (team_id, collector_id) where assignment = 'assigned'`);

    await queryRunner.query(`
      create table ${s}.collectors (
        team_id text not null,
        collector_id text not null,
        name text not null,
        specialties text[] not null,
        capacity integer not null check (capacity >= 0),
        available boolean not null,
        absent_until date,
        open_cases integer not null check (open_cases >= 0),
        registered_at timestamptz not null,
        primary key (team_id, collector_id)
      )`);

    await queryRunner.query(`
      create table ${s}.checklist_items (
        case_id uuid not null,
        entry integer not null check (entry >= 1),
        item text not null,
        stage text not null,
        due_at timestamptz,
        status text not null check (status in ('open', 'done', 'missed')),
        done_at timestamptz,
        missed_at timestamptz,
        missed_collector_id text,
        primary key (case_id, entry, item),
        constraint checklist_items_done check ((status = 'done') = (done_at is not null)),
        constraint checklist_items_missed check ((status <> 'missed' or missed_at is not null) and (missed_at is null or due_at is not null) and (missed_at is not null or missed_collector_id is null))
      )`);
    // The overdue worklist, by deadline (then case, entry and item, the keyset); missed deadlines by when they were missed.
    await queryRunner.query(`create index checklist_items_due on ${s}.checklist_items (due_at, case_id, entry, item) where due_at is not null`);
    await queryRunner.query(`create index checklist_items_missed on ${s}.checklist_items (missed_at, case_id, entry, item) where missed_at is not null`);

    await queryRunner.query(`
      create table ${s}.stage_visits (
        case_id uuid not null,
        entry integer not null check (entry >= 1),
        stage text not null,
        from_stage text,
        aging_bucket text,
        risk_tier text,
        entered_at timestamptz not null,
        left_at timestamptz,
        duration_ms bigint check (duration_ms >= 0),
        primary key (case_id, entry),
        constraint stage_visits_left check ((left_at is null) = (duration_ms is null) and (left_at is null or left_at >= entered_at))
      )`);
    // Durations: visits that ended in a period, and the ones still open.
    await queryRunner.query(`create index stage_visits_left on ${s}.stage_visits (left_at) where left_at is not null`);
    await queryRunner.query(`create index stage_visits_open on ${s}.stage_visits (stage, entered_at) where left_at is null`);

    // processOnce's record of applied events lives beside the rows it guards, so rebuilding the read model (a fresh
    // schema) starts that record afresh too. Its table is @arrears/messaging's to define.
    await ensureProcessedEventsTable(inMigration(queryRunner), { schema: schemaOf(queryRunner.connection) });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    for (const table of ['processed_events', 'stage_visits', 'checklist_items', 'collectors', 'cases', 'stream_positions']) {
      await queryRunner.query(`drop table ${s}.${table}`);
    }
  }
}
