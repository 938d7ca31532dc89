import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change events: the outbox and the feed in one table. An event row is written in the transaction
 * of its change, so it exists exactly when the change committed. `position` orders the feed;
 * `tx` (the writing transaction) lets the feed hold back rows whose transaction may still be
 * open behind a committed later one. `sequence` counts the events of one subject (a customer),
 * taken from event_sequences, whose row lock keeps a subject's events in commit order.
 * `published_at` is set once the broker acknowledged the event, `dispatched_at` once its webhook
 * deliveries exist.
 */
export class CreateEventOutbox1796900000000 implements MigrationInterface {
  name = 'CreateEventOutbox1796900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE events (
        position bigserial PRIMARY KEY,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        organisation_id integer NOT NULL,
        type varchar(100) NOT NULL,
        subject varchar(100) NOT NULL,
        sequence bigint NOT NULL,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        published_at timestamptz,
        dispatched_at timestamptz,
        CONSTRAINT uq_events_id UNIQUE (id)
      )`);
    await db.query(`CREATE INDEX ix_events_feed ON events (organisation_id, position)`);
    await db.query(`CREATE INDEX ix_events_subject ON events (organisation_id, subject, position)`);
    await db.query(`CREATE INDEX ix_events_occurred_at ON events (occurred_at)`);
    await db.query(
      `CREATE INDEX ix_events_unpublished ON events (position) WHERE published_at IS NULL`,
    );
    await db.query(
      `CREATE INDEX ix_events_undispatched ON events (position) WHERE dispatched_at IS NULL`,
    );
    await db.query(`
      CREATE TABLE event_sequences (
        organisation_id integer NOT NULL,
        subject varchar(100) NOT NULL,
        last bigint NOT NULL,
        CONSTRAINT pk_event_sequences PRIMARY KEY (organisation_id, subject)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE event_sequences`);
    await db.query(`DROP TABLE events`);
  }
}
