import { quoteIdentifier } from '@arrears/event-store';
import { ensureProcessedEventsTable } from '@arrears/messaging';
import { createCaseSegmentTables, inMigration } from '@arrears/read-models';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * The promise read models as first released. A migration is history: once it has run anywhere it is never edited —
 * a change is a new migration. Enumerations from contracts (buckets, tiers, channels) are left unchecked here so that
 * a value added to the contract needs no migration; the events are validated on decode. The statuses are this read
 * model's own, and checked.
 */
export class CreatePromiseReadModels1798761600000 implements MigrationInterface {
  readonly name = 'CreatePromiseReadModels1798761600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    // case_segments (the position of this service's stream in promise_position) and case_segment_changes: their SQL as first
    // released is @arrears/read-models', shared with the other read model that snapshots case segments, pinned there.
    await createCaseSegmentTables(queryRunner, schemaOf(queryRunner.connection), 'promise_position');

    await queryRunner.query(`
      create table ${s}.promises (
        promise_id uuid primary key,
        account_id uuid not null,
        amount_minor bigint not null check (amount_minor > 0),
        currency text not null check (currency ~ '^[A-Z]{3}$'),
        paid_minor bigint not null check (paid_minor >= 0),
        made_on date not null,
        due_date date not null,
        grace_days integer not null check (grace_days >= 0),
        breaks_at timestamptz not null,
        recorded_at timestamptz not null,
        channel text not null,
        operator_id text not null,
        status text not null check (status in ('open', 'kept', 'broken', 'cancelled')),
        aging_bucket text,
        risk_tier text,
        kept_at timestamptz,
        broken_at timestamptz,
        cancelled_at timestamptz,
        constraint promises_settled check (
          (kept_at is not null) = (status = 'kept') and (broken_at is not null) = (status = 'broken') and (cancelled_at is not null) = (status = 'cancelled')
        )
      )`);
    // The worklists: open promises by due date (then id, the keyset), for everyone and per collector.
    await queryRunner.query(`create index promises_open_due on ${s}.promises (due_date, promise_id) where status = 'open'`);
    await queryRunner.query(`create index promises_open_operator_due on ${s}.promises (operator_id, due_date, promise_id) where status = 'open'`);
    // The rates: promises made in a range of days.
    await queryRunner.query(`create index promises_made_on on ${s}.promises (made_on)`);
    // A segment change arriving after promises of its case: the snapshots it may move.
    await queryRunner.query(`create index promises_account_recorded on ${s}.promises (account_id, recorded_at)`);

    // processOnce's record of applied events lives beside the rows it guards, so rebuilding the read model (a fresh
    // schema) starts that record afresh too. Its table is @arrears/messaging's to define.
    await ensureProcessedEventsTable(inMigration(queryRunner), { schema: schemaOf(queryRunner.connection) });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    for (const table of ['processed_events', 'promises', 'case_segment_changes', 'case_segments']) {
      await queryRunner.query(`drop table ${s}.${table}`);
    }
  }
}
