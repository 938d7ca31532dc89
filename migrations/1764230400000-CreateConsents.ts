import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consents v2: consent bases (versioned terms), an organisation's consents (its use of a base
 * version), the choices customers give, and the append-only history of every choice.
 */
export class CreateConsents1764230400000 implements MigrationInterface {
  name = 'CreateConsents1764230400000';

  async up(db: QueryRunner): Promise<void> {
    // organisation_id is the owning organisation (the operator that wrote the terms). The code is
    // unique system-wide: version 1 of every code exists, and (code, version) is unique.
    await db.query(`
      CREATE TABLE consent_bases (
        organisation_id      integer      NOT NULL,
        consent_code         varchar(20)  NOT NULL,
        version              integer      NOT NULL,
        terms                jsonb        NOT NULL,
        internal_description varchar(2000),
        activated_at         timestamptz,
        created_at           timestamptz  NOT NULL DEFAULT now(),
        created_by_client    varchar(200) NOT NULL,
        changed_at           timestamptz  NOT NULL DEFAULT now(),
        changed_by_client    varchar(200) NOT NULL,
        CONSTRAINT pk_consent_bases PRIMARY KEY (organisation_id, consent_code, version),
        CONSTRAINT fk_consent_bases_organisation FOREIGN KEY (organisation_id)
          REFERENCES organisations (id),
        CONSTRAINT ck_consent_bases_version_positive CHECK (version > 0)
      )`);
    await db.query(
      `CREATE UNIQUE INDEX uq_consent_bases_code_version ON consent_bases (consent_code, version)`,
    );

    await db.query(`CREATE SEQUENCE consent_id_seq START WITH 1001`);
    await db.query(`
      CREATE TABLE consents (
        organisation_id      integer      NOT NULL,
        id                   bigint       NOT NULL DEFAULT nextval('consent_id_seq'),
        consent_code         varchar(20)  NOT NULL,
        consent_base_version integer      NOT NULL,
        is_sms_supported     boolean      NOT NULL DEFAULT false,
        is_email_supported   boolean      NOT NULL DEFAULT false,
        valid_from           timestamptz  NOT NULL,
        valid_to             timestamptz,
        created_at           timestamptz  NOT NULL DEFAULT now(),
        created_by_client    varchar(200) NOT NULL,
        changed_at           timestamptz  NOT NULL DEFAULT now(),
        changed_by_client    varchar(200) NOT NULL,
        CONSTRAINT pk_consents PRIMARY KEY (organisation_id, id),
        CONSTRAINT fk_consents_organisation FOREIGN KEY (organisation_id)
          REFERENCES organisations (id),
        CONSTRAINT fk_consents_base FOREIGN KEY (consent_code, consent_base_version)
          REFERENCES consent_bases (consent_code, version),
        CONSTRAINT ck_consents_validity CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    await db.query(`
      CREATE UNIQUE INDEX uq_consents_base_version
        ON consents (organisation_id, consent_code, consent_base_version)`);

    await db.query(`CREATE SEQUENCE given_consent_id_seq START WITH 1000001`);
    await db.query(`
      CREATE TABLE given_consents (
        organisation_id      integer      NOT NULL,
        id                   bigint       NOT NULL DEFAULT nextval('given_consent_id_seq'),
        customer_number      bigint       NOT NULL,
        consent_id           bigint       NOT NULL,
        consent_choice       boolean      NOT NULL,
        distribution_channel varchar(100) NOT NULL,
        expiration_date      date,
        email                varchar(80),
        country_code         varchar(4),
        telephone_number     varchar(25),
        revision             integer      NOT NULL DEFAULT 1,
        created_at           timestamptz  NOT NULL,
        created_by           varchar(100),
        changed_at           timestamptz  NOT NULL,
        changed_by           varchar(100),
        changed_by_channel   varchar(100),
        changed_by_client    varchar(200) NOT NULL,
        CONSTRAINT pk_given_consents PRIMARY KEY (organisation_id, id),
        CONSTRAINT fk_given_consents_profile FOREIGN KEY (organisation_id, customer_number)
          REFERENCES profiles (organisation_id, customer_number) ON DELETE CASCADE,
        CONSTRAINT fk_given_consents_consent FOREIGN KEY (organisation_id, consent_id)
          REFERENCES consents (organisation_id, id)
      )`);
    // One choice per customer and consent; a change is an update plus a history entry.
    await db.query(`
      CREATE UNIQUE INDEX uq_given_consents_customer_consent
        ON given_consents (organisation_id, customer_number, consent_id)`);
    await db.query(
      `CREATE INDEX ix_given_consents_consent ON given_consents (organisation_id, consent_id)`,
    );

    // Append-only: who changed which choice to what, and when. Contact data is not copied here.
    await db.query(`
      CREATE TABLE given_consent_history (
        organisation_id      integer      NOT NULL,
        given_consent_id     bigint       NOT NULL,
        revision             integer      NOT NULL,
        event                varchar(10)  NOT NULL,
        consent_choice       boolean      NOT NULL,
        distribution_channel varchar(100) NOT NULL,
        expiration_date      date,
        changed_by           varchar(100),
        changed_by_channel   varchar(100),
        client_id            varchar(200) NOT NULL,
        recorded_at          timestamptz  NOT NULL,
        CONSTRAINT pk_given_consent_history PRIMARY KEY (organisation_id, given_consent_id, revision),
        CONSTRAINT fk_given_consent_history_given_consent
          FOREIGN KEY (organisation_id, given_consent_id)
          REFERENCES given_consents (organisation_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_given_consent_history_event
          CHECK (event IN ('GIVEN', 'DECLINED', 'WITHDRAWN', 'CHANGED'))
      )`);
    // History is evidence: no UPDATE ever, and no DELETE except the cascade from its customer.
    await db.query(`
      CREATE FUNCTION given_consent_history_immutable() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' OR pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION 'given_consent_history is append-only' USING ERRCODE = '55000';
        END IF;
        RETURN OLD;
      END $$`);
    await db.query(`
      CREATE TRIGGER tr_given_consent_history_immutable
        BEFORE UPDATE OR DELETE ON given_consent_history
        FOR EACH ROW EXECUTE FUNCTION given_consent_history_immutable()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE given_consent_history`);
    await db.query(`DROP FUNCTION given_consent_history_immutable()`);
    await db.query(`DROP TABLE given_consents`);
    await db.query(`DROP SEQUENCE given_consent_id_seq`);
    await db.query(`DROP TABLE consents`);
    await db.query(`DROP SEQUENCE consent_id_seq`);
    await db.query(`DROP TABLE consent_bases`);
  }
}
