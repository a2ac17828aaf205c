import { quoteIdentifier } from '@arrears/event-store';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * `broken_on`: the PromiseBroken's `brokenOn`, the day a promise broke, for the "broken on a day" list. Rows broken
 * before this migration get the UTC day of `broken_at` — the day the break timer's `now` fell on, which is how the
 * decision sets `brokenOn` — so the column matches what a rebuild from the events writes.
 */
export class AddPromiseBrokenOn1799971200000 implements MigrationInterface {
  readonly name = 'AddPromiseBrokenOn1799971200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`alter table ${s}.promises add column broken_on date`);
    await queryRunner.query(`update ${s}.promises set broken_on = (broken_at at time zone 'UTC')::date where broken_at is not null`);
    await queryRunner.query(`alter table ${s}.promises add constraint promises_broken_on check ((broken_on is not null) = (status = 'broken'))`);
    // The "broken on a day" list, for everyone and per collector, keyset by promise id.
    await queryRunner.query(`create index promises_broken_on on ${s}.promises (broken_on, promise_id) where status = 'broken'`);
    await queryRunner.query(`create index promises_operator_broken_on on ${s}.promises (operator_id, broken_on, promise_id) where status = 'broken'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`drop index ${s}.promises_operator_broken_on`);
    await queryRunner.query(`drop index ${s}.promises_broken_on`);
    await queryRunner.query(`alter table ${s}.promises drop column broken_on`);
  }
}
