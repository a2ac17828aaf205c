import { quoteIdentifier } from '@arrears/event-store';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/**
 * The debtor's jurisdiction on each case, from the account's AccountPlaced (the case profile does not carry it): the
 * case lists and stage counts narrow by it. Null until the placement is applied here. A country filter (`US`) takes in
 * its jurisdictions (`US-IL`): the index serves both the equality and the prefix.
 */
export class AddCaseJurisdiction1799280000001 implements MigrationInterface {
  readonly name = 'AddCaseJurisdiction1799280000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`alter table ${s}.cases add column jurisdiction text`);
    await queryRunner.query(`create index cases_jurisdiction on ${s}.cases (jurisdiction text_pattern_ops)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = quoteIdentifier(schemaOf(queryRunner.connection));
    await queryRunner.query(`drop index ${s}.cases_jurisdiction`);
    await queryRunner.query(`alter table ${s}.cases drop column jurisdiction`);
  }
}
