import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notes on a profile (Entur's NoteResponse): free text kept by the organisation's staff. Each note
 * hangs on its profile with ON DELETE CASCADE, so the purge of a deactivated profile (and the
 * deletion of a temporary one) erases its notes with it.
 */
export class CreateProfileNotes1796400000000 implements MigrationInterface {
  name = 'CreateProfileNotes1796400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notes (
        organisation_id        integer       NOT NULL,
        id                     bigint        GENERATED ALWAYS AS IDENTITY,
        customer_number        bigint        NOT NULL,
        text                   varchar(4000) NOT NULL,
        created_at             timestamptz   NOT NULL DEFAULT now(),
        created_by             varchar(100)  NOT NULL,
        changed_at             timestamptz   NOT NULL DEFAULT now(),
        changed_by             varchar(100)  NOT NULL,
        CONSTRAINT pk_notes PRIMARY KEY (organisation_id, id),
        CONSTRAINT fk_notes_profile FOREIGN KEY (organisation_id, customer_number)
          REFERENCES profiles (organisation_id, customer_number) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX ix_notes_profile ON notes (organisation_id, customer_number)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE notes`);
  }
}
