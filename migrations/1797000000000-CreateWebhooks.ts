import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: an organisation's endpoints, one delivery per (endpoint, event), and each delivery's
 * attempts. The secret is the `whsec_…` signing key and is kept as is: deliveries must sign with
 * it. A delivery is worked while PENDING and `next_attempt_at` has come; `run_started_at` and
 * `run_attempts` count the current run of retries (a replay starts a new run, the attempts go on).
 * Deliveries follow their event: pruning the event deletes them and their attempts.
 */
export class CreateWebhooks1797000000000 implements MigrationInterface {
  name = 'CreateWebhooks1797000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        organisation_id integer NOT NULL,
        url varchar(2000) NOT NULL,
        event_types text[] NOT NULL DEFAULT '{}',
        secret varchar(100) NOT NULL,
        description varchar(500),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL,
        created_by varchar(200) NOT NULL,
        changed_at timestamptz NOT NULL,
        changed_by varchar(200) NOT NULL,
        CONSTRAINT fk_webhook_endpoints_organisation FOREIGN KEY (organisation_id)
          REFERENCES organisations (id)
      )`);
    await db.query(
      `CREATE INDEX ix_webhook_endpoints_organisation
         ON webhook_endpoints (organisation_id, created_at)`,
    );
    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        organisation_id integer NOT NULL,
        event_position bigint NOT NULL REFERENCES events (position) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        status varchar(14) NOT NULL DEFAULT 'PENDING',
        attempts integer NOT NULL DEFAULT 0,
        run_attempts integer NOT NULL DEFAULT 0,
        run_started_at timestamptz,
        next_attempt_at timestamptz,
        last_status_code integer,
        last_error varchar(500),
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        CONSTRAINT uq_webhook_deliveries_event UNIQUE (endpoint_id, event_position),
        CONSTRAINT ck_webhook_deliveries_status
          CHECK (status IN ('PENDING', 'SUCCEEDED', 'DEAD_LETTERED'))
      )`);
    await db.query(
      `CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
        WHERE status = 'PENDING'`,
    );
    await db.query(
      `CREATE INDEX ix_webhook_deliveries_event ON webhook_deliveries (event_position)`,
    );
    await db.query(`
      CREATE TABLE webhook_attempts (
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        status_code integer,
        error varchar(500),
        duration_ms integer NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_attempts`);
    await db.query(`DROP TABLE webhook_deliveries`);
    await db.query(`DROP TABLE webhook_endpoints`);
  }
}
