import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCoreSchema1764201600000 implements MigrationInterface {
  name = 'CreateCoreSchema1764201600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE organisations (
        id          integer      NOT NULL,
        name        varchar(200) NOT NULL,
        active      boolean      NOT NULL DEFAULT true,
        created_at  timestamptz  NOT NULL DEFAULT now(),
        changed_at  timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT pk_organisations PRIMARY KEY (id),
        CONSTRAINT ck_organisations_id_positive CHECK (id > 0)
      )`);

    // One global sequence, so a customer number identifies a customer across the whole platform.
    await db.query(`CREATE SEQUENCE customer_number_seq START WITH 10000001`);

    await db.query(`
      CREATE TABLE profiles (
        organisation_id                  integer      NOT NULL,
        customer_number                  bigint       NOT NULL DEFAULT nextval('customer_number_seq'),
        uuid                             char(32)     NOT NULL,
        customer_ref                     varchar(40)  NOT NULL,
        profile_type                     char(1)      NOT NULL DEFAULT 'S',
        status                           char(1)      NOT NULL DEFAULT 'A',
        first_name                       varchar(100),
        surname                          varchar(100),
        email                            varchar(80),
        email_old                        varchar(80),
        country_code                     varchar(4),
        telephone_number_no_country_code varchar(20),
        telephone_number                 varchar(25),
        landline_number                  varchar(25),
        date_of_birth                    date,
        language_preference              varchar(3),
        vipps_id                         varchar(100),
        invoice_organisation_id          varchar(9),
        password_hash                    text,
        last_sign_in_from                varchar(100),
        last_sign_in_at                  timestamptz,
        expiration_date                  date,
        expires_at                       timestamptz,
        purge_at                         timestamptz,
        version                          integer      NOT NULL DEFAULT 1,
        created_at                       timestamptz  NOT NULL DEFAULT now(),
        created_by                       varchar(100) NOT NULL,
        created_by_channel               varchar(100) NOT NULL,
        changed_at                       timestamptz  NOT NULL DEFAULT now(),
        changed_by                       varchar(100) NOT NULL,
        changed_by_channel               varchar(100) NOT NULL,
        CONSTRAINT pk_profiles PRIMARY KEY (organisation_id, customer_number),
        CONSTRAINT fk_profiles_organisation FOREIGN KEY (organisation_id) REFERENCES organisations (id),
        CONSTRAINT ck_profiles_profile_type CHECK (profile_type IN ('S', 'P', 'T')),
        CONSTRAINT ck_profiles_status CHECK (status IN ('A', 'P', 'D')),
        CONSTRAINT ck_profiles_temporary_expiry CHECK (profile_type <> 'T' OR expires_at IS NOT NULL)
      )`);
    await db.query(
      `CREATE UNIQUE INDEX uq_profiles_customer_ref ON profiles (organisation_id, customer_ref)`,
    );
    // E-mail identifies a permanent profile within its organisation, whatever its case.
    await db.query(`
      CREATE UNIQUE INDEX uq_profiles_email ON profiles (organisation_id, lower(email))
      WHERE email IS NOT NULL AND profile_type <> 'T'`);
    await db.query(
      `CREATE INDEX ix_profiles_email_any ON profiles (organisation_id, lower(email)) WHERE profile_type = 'T'`,
    );
    await db.query(
      `CREATE INDEX ix_profiles_surname ON profiles (organisation_id, lower(surname) text_pattern_ops)`,
    );
    await db.query(
      `CREATE INDEX ix_profiles_first_name ON profiles (organisation_id, lower(first_name) text_pattern_ops)`,
    );
    await db.query(`
      CREATE INDEX ix_profiles_phone ON profiles
        (organisation_id, telephone_number_no_country_code, country_code)`);
    await db.query(
      `CREATE INDEX ix_profiles_telephone_number ON profiles (organisation_id, telephone_number)`,
    );
    await db.query(
      `CREATE INDEX ix_profiles_date_of_birth ON profiles (organisation_id, date_of_birth)`,
    );
    await db.query(
      `CREATE INDEX ix_profiles_expires_at ON profiles (expires_at) WHERE profile_type = 'T'`,
    );
    await db.query(`CREATE INDEX ix_profiles_purge_at ON profiles (purge_at) WHERE status = 'D'`);

    await db.query(`
      CREATE TABLE postal_addresses (
        organisation_id  integer      NOT NULL,
        id               bigint       GENERATED ALWAYS AS IDENTITY,
        customer_number  bigint       NOT NULL,
        address_line1    varchar(100) NOT NULL,
        address_line2    varchar(100),
        post_code        varchar(10)  NOT NULL,
        city             varchar(100) NOT NULL,
        country_code     char(2)      NOT NULL DEFAULT 'NO',
        is_primary       boolean      NOT NULL DEFAULT false,
        created_at       timestamptz  NOT NULL DEFAULT now(),
        changed_at       timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT pk_postal_addresses PRIMARY KEY (organisation_id, id),
        CONSTRAINT fk_postal_addresses_profile FOREIGN KEY (organisation_id, customer_number)
          REFERENCES profiles (organisation_id, customer_number) ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE INDEX ix_postal_addresses_profile ON postal_addresses (organisation_id, customer_number)`,
    );
    await db.query(
      `CREATE INDEX ix_postal_addresses_post_code ON postal_addresses (organisation_id, post_code)`,
    );

    // Who did what to which record, and when; never the values of personal data.
    await db.query(`
      CREATE TABLE audit_events (
        organisation_id  integer      NOT NULL,
        id               bigint       GENERATED ALWAYS AS IDENTITY,
        customer_number  bigint,
        operation        varchar(60)  NOT NULL,
        fields           text[]       NOT NULL DEFAULT '{}',
        client_id        varchar(200),
        client_name      varchar(200),
        actor            varchar(100),
        channel          varchar(100),
        correlation_id   varchar(100),
        occurred_at      timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT pk_audit_events PRIMARY KEY (organisation_id, id)
      )`);
    await db.query(
      `CREATE INDEX ix_audit_events_customer ON audit_events (organisation_id, customer_number, id)`,
    );

    await db.query(`
      CREATE TABLE idempotency_keys (
        organisation_id  integer      NOT NULL,
        client_id        varchar(200) NOT NULL,
        key              varchar(200) NOT NULL,
        request_hash     char(64)     NOT NULL,
        customer_number  bigint,
        status_code      integer,
        response_body    jsonb,
        response_headers jsonb,
        created_at       timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (organisation_id, client_id, key)
      )`);
    await db.query(
      `CREATE INDEX ix_idempotency_keys_customer ON idempotency_keys (organisation_id, customer_number)`,
    );
    await db.query(`CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys`);
    await db.query(`DROP TABLE audit_events`);
    await db.query(`DROP TABLE postal_addresses`);
    await db.query(`DROP TABLE profiles`);
    await db.query(`DROP SEQUENCE customer_number_seq`);
    await db.query(`DROP TABLE organisations`);
  }
}
