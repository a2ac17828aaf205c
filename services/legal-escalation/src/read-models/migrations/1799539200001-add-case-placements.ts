import { quoteIdentifier } from '@arrears/event-store';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * `case_placements`: each case's creditor, product and the debtor's jurisdiction, from the account's AccountPlaced
 * (no handoff event carries them), so the list of handoffs narrows by them. A case has no row until its placement is
 * applied here. A country filter (`US`) takes in its jurisdictions (`US-IL`): the index serves both the equality and
 * the prefix.
 */
export class AddCasePlacements1799539200001 implements MigrationInterface {
  readonly name = 'AddCasePlacements1799539200001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`
      create table ${s}.case_placements (
        case_id uuid primary key,
        creditor_id text not null,
        product text not null,
        jurisdiction text not null
      )`);
    await queryRunner.query(`create index case_placements_creditor on ${s}.case_placements (creditor_id)`);
    await queryRunner.query(`create index case_placements_jurisdiction on ${s}.case_placements (jurisdiction text_pattern_ops)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`drop table ${s}.case_placements`);
  }
}
