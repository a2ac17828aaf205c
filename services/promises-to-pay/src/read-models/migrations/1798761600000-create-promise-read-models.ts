import { quoteIdentifier } from '@arrears/event-store';
import { ensureProcessedEventsTable, type TransactionRunner } from '@arrears/messaging';
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
    await queryRunner.query(`
      create table ${s}.case_segments (
        account_id uuid primary key,
        aging_bucket text,
        days_past_due integer check (days_past_due >= 0),
        bucket_as_of date,
        risk_tier text,
        risk_score integer check (risk_score between 0 and 100),
        tier_as_of date,
        account_position bigint not null check (account_position >= -1),
        promise_position bigint not null check (promise_position >= -1),
        constraint case_segments_bucket check ((aging_bucket is null) = (days_past_due is null) and (aging_bucket is null) = (bucket_as_of is null)),
        constraint case_segments_tier check ((risk_tier is null) = (risk_score is null) and (risk_tier is null) = (tier_as_of is null))
      )`);

    await queryRunner.query(`
      create table ${s}.case_segment_changes (
        account_id uuid not null,
        stream_position bigint not null check (stream_position >= 0),
        kind text not null check (kind in ('bucket', 'tier')),
        segment text not null,
        occurred_at timestamptz not null,
        primary key (account_id, stream_position)
      )`);
    // The segment in effect at an instant: the case's changes of one kind up to it.
    await queryRunner.query(`create index case_segment_changes_at on ${s}.case_segment_changes (account_id, kind, occurred_at)`);

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

/** The migration's own transaction, as the TransactionRunner that `ensureProcessedEventsTable` expects. */
function inMigration(queryRunner: QueryRunner): TransactionRunner {
  return {
    transaction: (work) => work({ query: async (sql, params) => ({ rows: (await queryRunner.query(sql, params as unknown[] | undefined, true)).records }) }),
  };
}
