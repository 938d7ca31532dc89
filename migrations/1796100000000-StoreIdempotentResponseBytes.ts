import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A replay must repeat the first response byte for byte; jsonb reorders an object's keys, so the
 * body is kept as the text that was sent. Key rows are now written only together with their
 * response (in the create's transaction): rows of requests still unanswered are leftovers.
 */
export class StoreIdempotentResponseBytes1796100000000 implements MigrationInterface {
  name = 'StoreIdempotentResponseBytes1796100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM idempotency_keys WHERE status_code IS NULL`);
    await db.query(
      `ALTER TABLE idempotency_keys ALTER COLUMN response_body TYPE text USING response_body::text`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE idempotency_keys ALTER COLUMN response_body TYPE jsonb USING response_body::jsonb`,
    );
  }
}
