import { quoteIdentifier } from '@arrears/event-store';
import { ensureProcessedEventsTable } from '@arrears/messaging';
import { inMigration } from '@arrears/read-models';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * The account read models as first released. A migration is history: once it has run anywhere it is never
 * edited — a change is a new migration. Enumerations from contracts (buckets, tiers, flags, products) are left
 * unchecked here so that a value added to the contract needs no migration; the events are validated on decode.
 */
export class CreateAccountReadModels1767225600000 implements MigrationInterface {
  readonly name = 'CreateAccountReadModels1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`
      create table ${s}.account_summaries (
        account_id uuid primary key,
        creditor_id text not null,
        creditor_name text not null,
        creditor_reference text not null,
        product text not null,
        currency text not null check (currency ~ '^[A-Z]{3}$'),
        principal bigint not null check (principal >= 0),
        fees bigint not null check (fees >= 0),
        interest bigint not null check (interest >= 0),
        total bigint not null,
        credit bigint not null check (credit >= 0),
        interest_frozen boolean not null,
        due_date date not null,
        days_past_due integer,
        days_past_due_as_of date,
        aging_bucket text,
        risk_tier text,
        risk_score integer,
        active_flags text[] not null,
        flag_details jsonb not null,
        status text not null check (status in ('open', 'closed')),
        close_reason text,
        closed_at timestamptz,
        debtor_id uuid not null,
        masked_name text not null,
        masked_phone text,
        masked_email text,
        masked_national_id text,
        masked_address text,
        erased boolean not null,
        jurisdiction text not null,
        time_zone text,
        language text not null,
        placed_at timestamptz not null,
        last_payment_on date,
        last_payment_amount bigint,
        broken_promises integer not null check (broken_promises >= 0),
        updated_at timestamptz not null,
        last_applied_position bigint not null check (last_applied_position >= 0),
        constraint account_summaries_total check (total = principal + fees + interest),
        constraint account_summaries_closed check ((status = 'closed') = (close_reason is not null))
      )`);
    // The list's order (newest placement first) and its keyset; the filters, each usable alone.
    await queryRunner.query(`create index account_summaries_placed on ${s}.account_summaries (placed_at desc, account_id desc)`);
    await queryRunner.query(`create index account_summaries_aging_risk on ${s}.account_summaries (aging_bucket, risk_tier)`);
    await queryRunner.query(`create index account_summaries_risk on ${s}.account_summaries (risk_tier)`);
    await queryRunner.query(`create index account_summaries_creditor on ${s}.account_summaries (creditor_id)`);
    await queryRunner.query(`create index account_summaries_status on ${s}.account_summaries (status)`);
    await queryRunner.query(`create index account_summaries_total on ${s}.account_summaries (currency, total)`);
    await queryRunner.query(`create index account_summaries_flags on ${s}.account_summaries using gin (active_flags)`);
    // Erasure reaches every account of the debtor.
    await queryRunner.query(`create index account_summaries_debtor on ${s}.account_summaries (debtor_id)`);
    // The portfolio summary: open accounts grouped by currency, bucket and tier.
    await queryRunner.query(`create index account_summaries_portfolio on ${s}.account_summaries (currency, aging_bucket, risk_tier) where status = 'open'`);

    await queryRunner.query(`
      create table ${s}.account_activity (
        event_id uuid primary key,
        account_id uuid not null references ${s}.account_summaries (account_id),
        stream_position bigint not null,
        occurred_at timestamptz not null,
        kind text not null check (kind in ('payment', 'adjustment')),
        currency text not null,
        amount bigint not null check (amount >= 0),
        payment_reference text,
        received_on date,
        channel text,
        allocation jsonb,
        adjustment_kind text,
        reason text,
        approved_by text,
        principal_after bigint not null,
        fees_after bigint not null,
        interest_after bigint not null,
        total_after bigint not null,
        credit_after bigint not null,
        constraint account_activity_position unique (account_id, stream_position)
      )`);

    // processOnce's record of applied events lives beside the rows it guards, so rebuilding the read model
    // (a fresh schema, or this one dropped) starts that record afresh too. Its table is @arrears/messaging's to
    // define (`create … if not exists`: a schema made later gets that package's table as it is then).
    await ensureProcessedEventsTable(inMigration(queryRunner), { schema: schemaOf(queryRunner.connection) });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`drop table ${s}.processed_events`);
    await queryRunner.query(`drop table ${s}.account_activity`);
    await queryRunner.query(`drop table ${s}.account_summaries`);
  }
}
