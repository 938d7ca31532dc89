import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL keeps no statistics for the expression of a partial index, so it guessed that an
 * e-mail matches 0.5 % of an organisation's profiles and scanned the primary key instead of
 * uq_profiles_email (9 req/s at 1,000,000 profiles). Expression statistics give it the real
 * selectivity.
 */
export class AddEmailStatistics1795800000000 implements MigrationInterface {
  name = 'AddEmailStatistics1795800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE STATISTICS st_profiles_lower_email ON (lower(email)) FROM profiles`);
    await db.query(`ANALYZE profiles`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP STATISTICS st_profiles_lower_email`);
  }
}
