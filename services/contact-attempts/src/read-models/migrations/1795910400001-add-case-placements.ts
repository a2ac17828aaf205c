import { quoteIdentifier } from '@arrears/event-store';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * `case_placements`: each case's creditor and product (and the debtor's jurisdiction), from the account's
 * AccountPlaced — no contact event carries the first two — so the metrics and the compliance report narrow by them.
 * A case has no row until its placement is applied here.
 */
export class AddCasePlacements1795910400001 implements MigrationInterface {
  readonly name = 'AddCasePlacements1795910400001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`
      create table ${s}.case_placements (
        account_id uuid primary key,
        creditor_id text not null,
        product text not null,
        jurisdiction text not null
      )`);
    await queryRunner.query(`create index case_placements_creditor on ${s}.case_placements (creditor_id)`);
    await queryRunner.query(`create index case_placements_product on ${s}.case_placements (product)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`drop table ${s}.case_placements`);
  }
}
