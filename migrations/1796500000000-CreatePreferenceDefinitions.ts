import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The preference catalogue: the preference definitions administrators manage and partners read.
 * It is shared by every organisation, like the organisation registry, so it has no
 * organisation_id. A customer's preferences keep their code as text (codes the catalogue does not
 * hold stay allowed), and the index on preferences(preference_code) answers "is this definition in
 * use by any customer?" without scanning every organisation's rows.
 */
export class CreatePreferenceDefinitions1796500000000 implements MigrationInterface {
  name = 'CreatePreferenceDefinitions1796500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE preference_definitions (
        id                     bigint       GENERATED ALWAYS AS IDENTITY,
        preference_code        varchar(50)  NOT NULL,
        preference_type        varchar(50)  NOT NULL,
        preference_description varchar(200),
        is_active              boolean      NOT NULL DEFAULT true,
        version                integer      NOT NULL DEFAULT 1,
        created_at             timestamptz  NOT NULL DEFAULT now(),
        changed_at             timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT pk_preference_definitions PRIMARY KEY (id),
        CONSTRAINT uq_preference_definitions_code UNIQUE (preference_code)
      )`);
    await db.query(`CREATE INDEX ix_preferences_preference_code ON preferences (preference_code)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX ix_preferences_preference_code`);
    await db.query(`DROP TABLE preference_definitions`);
  }
}
