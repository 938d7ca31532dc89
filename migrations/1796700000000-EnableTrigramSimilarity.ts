import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * pg_trgm for duplicate detection: similarity of full names among profiles born the same day
 * (found through ix_profiles_date_of_birth, so no trigram index is needed). A trusted extension:
 * the database owner may create it without superuser rights.
 */
export class EnableTrigramSimilarity1796700000000 implements MigrationInterface {
  name = 'EnableTrigramSimilarity1796700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
