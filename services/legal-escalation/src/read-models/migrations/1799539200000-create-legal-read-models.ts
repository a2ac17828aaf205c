import { quoteIdentifier } from '@arrears/event-store';
import { ensureProcessedEventsTable } from '@arrears/messaging';
import { createStreamPositionsTable, inMigration } from '@arrears/read-models';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * The legal-escalation read models as first released. A migration is history: once it has run anywhere it is never
 * edited — a change is a new migration. Enumerations from contracts (litigation statuses, flags) are left unchecked
 * here so that a value added to the contract needs no migration; the events are validated on decode. The escalation
 * statuses are this read model's own, and checked, as is what each status implies.
 */
export class CreateLegalReadModels1799539200000 implements MigrationInterface {
  readonly name = 'CreateLegalReadModels1799539200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await createStreamPositionsTable(queryRunner, schemaOf(queryRunner.connection));

    await queryRunner.query(`
      create table ${s}.escalations (
        case_id uuid not null,
        handoff integer not null check (handoff >= 1),
        status text not null check (status in ('requested', 'evidence-fixed', 'delivered', 'acknowledged', 'litigating', 'closed', 'refused')),
        reasons text[] not null,
        requested_by text,
        requested_at timestamptz not null,
        deadline_at timestamptz,
        package_id text check (package_id ~ '^[0-9a-f]{64}$'),
        evidence_fixed_at timestamptz,
        delivered_at timestamptz,
        delivery_hours double precision check (delivery_hours >= 0),
        acknowledged_at timestamptz,
        acknowledged_by text,
        acknowledgement_hours double precision check (acknowledgement_hours >= 0),
        reminders_sent integer not null check (reminders_sent >= 0),
        last_reminder_at timestamptz,
        overdue boolean not null,
        overdue_at timestamptz,
        refused_at timestamptz,
        refusal_holds text[],
        litigation_status text,
        litigation_on date,
        hearing_date date,
        closed_at timestamptz,
        primary key (case_id, handoff),
        constraint escalations_started check (
          (requested_by is null) = (deadline_at is null) and (requested_by is null) = (cardinality(reasons) = 0) and (requested_by is not null or status = 'refused')
        ),
        constraint escalations_evidence check ((package_id is null) = (evidence_fixed_at is null) and (package_id is not null or status in ('requested', 'refused'))),
        constraint escalations_delivered check (
          (delivered_at is null) = (delivery_hours is null) and (delivered_at is null or package_id is not null)
          and (delivered_at is not null or status in ('requested', 'evidence-fixed', 'refused'))
        ),
        constraint escalations_acknowledged check (
          (acknowledged_at is null) = (acknowledged_by is null) and (acknowledged_at is null) = (acknowledgement_hours is null) and (acknowledged_at is null or delivered_at is not null)
          and ((acknowledged_at is not null) = (status in ('acknowledged', 'litigating', 'closed')))
        ),
        constraint escalations_reminded check ((reminders_sent = 0) = (last_reminder_at is null)),
        constraint escalations_overdue check (overdue = (overdue_at is not null)),
        constraint escalations_refused check ((refused_at is not null) = (status = 'refused') and (refused_at is null) = (refusal_holds is null)),
        constraint escalations_litigation check (
          (litigation_status is null) = (litigation_on is null) and (litigation_status is not null or hearing_date is null)
          and ((litigation_status is not null) = (status in ('litigating', 'closed'))) and ((closed_at is not null) = (status = 'closed'))
        )
      )`);
    // The lists, the oldest request first (then case and handoff, the keyset): all, by status, by requester, overdue.
    await queryRunner.query(`create index escalations_requested on ${s}.escalations (requested_at, case_id, handoff)`);
    await queryRunner.query(`create index escalations_status on ${s}.escalations (status, requested_at, case_id, handoff)`);
    await queryRunner.query(`create index escalations_requested_by on ${s}.escalations (requested_by, requested_at, case_id, handoff) where requested_by is not null`);
    await queryRunner.query(`create index escalations_overdue on ${s}.escalations (requested_at, case_id, handoff) where overdue`);

    // processOnce's record of applied events lives beside the rows it guards, so rebuilding the read model (a fresh
    // schema) starts that record afresh too. Its table is @arrears/messaging's to define.
    await ensureProcessedEventsTable(inMigration(queryRunner), { schema: schemaOf(queryRunner.connection) });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    for (const table of ['processed_events', 'escalations', 'stream_positions']) {
      await queryRunner.query(`drop table ${s}.${table}`);
    }
  }
}
