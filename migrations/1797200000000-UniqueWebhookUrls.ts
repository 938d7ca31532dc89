import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A URL is registered once per organisation: two endpoints with one URL would get every event
 * twice. Enforced by the database so parallel registrations cannot both succeed. (Should a
 * database hold such twins already, this fails naming them: delete one through the API first.)
 */
export class UniqueWebhookUrls1797200000000 implements MigrationInterface {
  name = 'UniqueWebhookUrls1797200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE webhook_endpoints
         ADD CONSTRAINT uq_webhook_endpoints_url UNIQUE (organisation_id, url)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE webhook_endpoints DROP CONSTRAINT uq_webhook_endpoints_url`);
  }
}
