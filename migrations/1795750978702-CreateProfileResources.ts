import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A profile's sub-resources (preferences, ecards, loyalty programs, customer accounts) and the
 * sign-in attempt counters. Every per-customer row hangs on its profile with ON DELETE CASCADE, so
 * purging a customer removes everything attached.
 */
export class CreateProfileResources1795750978702 implements MigrationInterface {
  name = 'CreateProfileResources1795750978702';

  async up(db: QueryRunner): Promise<void> {
    // At most one primary postal address per customer, even under concurrent writes.
    await db.query(`
      CREATE UNIQUE INDEX uq_postal_addresses_primary ON postal_addresses (organisation_id, customer_number)
      WHERE is_primary`);

    await db.query(`
      CREATE TABLE preferences (
        organisation_id        integer      NOT NULL,
        id                     bigint       GENERATED ALWAYS AS IDENTITY,
        customer_number        bigint       NOT NULL,
        preference_code        varchar(50)  NOT NULL,
        preference_type        varchar(50)  NOT NULL,
        preference_description varchar(200),
        is_active              boolean      NOT NULL DEFAULT true,
        created_at             timestamptz  NOT NULL DEFAULT now(),
        changed_at             timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT pk_preferences PRIMARY KEY (organisation_id, id),
        CONSTRAINT fk_preferences_profile FOREIGN KEY (organisation_id, customer_number)
          REFERENCES profiles (organisation_id, customer_number) ON DELETE CASCADE
      )`);
    await db.query(`
      CREATE UNIQUE INDEX uq_preferences_code ON preferences
        (organisation_id, customer_number, preference_code)`);

    await db.query(`
      CREATE TABLE ecards (
        organisation_id        integer      NOT NULL,
        id                     bigint       GENERATED ALWAYS AS IDENTITY,
        customer_number        bigint       NOT NULL,
        ecard_number_16digits  char(16)     NOT NULL,
        ecard_operator         varchar(50)  NOT NULL,
        ecard_name             varchar(100),
        start_of_ownership     timestamptz  NOT NULL,
        booking_date           timestamptz,
        created_at             timestamptz  NOT NULL DEFAULT now(),
        changed_at             timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT pk_ecards PRIMARY KEY (organisation_id, id),
        CONSTRAINT fk_ecards_profile FOREIGN KEY (organisation_id, customer_number)
          REFERENCES profiles (organisation_id, customer_number) ON DELETE CASCADE,
        CONSTRAINT ck_ecards_number CHECK (ecard_number_16digits ~ '^[0-9]{16}$')
      )`);
    await db.query(`CREATE INDEX ix_ecards_profile ON ecards (organisation_id, customer_number)`);
    // A card has one owner within an organisation at a time.
    await db.query(
      `CREATE UNIQUE INDEX uq_ecards_number ON ecards (organisation_id, ecard_number_16digits)`,
    );

    await db.query(`
      CREATE TABLE loyalty_programs (
        organisation_id        integer      NOT NULL,
        id                     bigint       GENERATED ALWAYS AS IDENTITY,
        customer_number        bigint       NOT NULL,
        loyalty_program_type   varchar(10)  NOT NULL,
        program_id             varchar(60)  NOT NULL,
        program_name           varchar(100),
        valid_from             timestamptz  NOT NULL,
        valid_to               timestamptz,
        created_at             timestamptz  NOT NULL DEFAULT now(),
        changed_at             timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT pk_loyalty_programs PRIMARY KEY (organisation_id, id),
        CONSTRAINT fk_loyalty_programs_profile FOREIGN KEY (organisation_id, customer_number)
          REFERENCES profiles (organisation_id, customer_number) ON DELETE CASCADE,
        CONSTRAINT ck_loyalty_programs_type CHECK (loyalty_program_type IN ('TIMED', 'COUPONS', 'POINTS')),
        CONSTRAINT ck_loyalty_programs_validity CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    await db.query(`
      CREATE UNIQUE INDEX uq_loyalty_programs_program ON loyalty_programs
        (organisation_id, customer_number, program_id)`);

    await db.query(`
      CREATE TABLE customer_accounts (
        organisation_id        integer      NOT NULL,
        id                     bigint       GENERATED ALWAYS AS IDENTITY,
        customer_number        bigint       NOT NULL,
        account_id             varchar(60)  NOT NULL,
        alias                  varchar(100),
        created_at             timestamptz  NOT NULL DEFAULT now(),
        changed_at             timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT pk_customer_accounts PRIMARY KEY (organisation_id, id),
        CONSTRAINT fk_customer_accounts_profile FOREIGN KEY (organisation_id, customer_number)
          REFERENCES profiles (organisation_id, customer_number) ON DELETE CASCADE
      )`);
    await db.query(
      `CREATE INDEX ix_customer_accounts_profile ON customer_accounts (organisation_id, customer_number)`,
    );
    // An account id points at one customer (reverse lookup); an alias names one account.
    await db.query(`
      CREATE UNIQUE INDEX uq_customer_accounts_account_id ON customer_accounts (organisation_id, account_id)`);
    await db.query(`
      CREATE UNIQUE INDEX uq_customer_accounts_alias ON customer_accounts (organisation_id, lower(alias))
      WHERE alias IS NOT NULL`);

    // Failed sign-in counters, shared by every instance. Keys are hashed: no e-mail is stored.
    await db.query(`
      CREATE TABLE sign_in_attempts (
        organisation_id    integer      NOT NULL,
        attempt_key        varchar(100) NOT NULL,
        failures           integer      NOT NULL,
        window_started_at  timestamptz  NOT NULL,
        CONSTRAINT pk_sign_in_attempts PRIMARY KEY (organisation_id, attempt_key)
      )`);
    await db.query(
      `CREATE INDEX ix_sign_in_attempts_window ON sign_in_attempts (window_started_at)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE sign_in_attempts`);
    await db.query(`DROP TABLE customer_accounts`);
    await db.query(`DROP TABLE loyalty_programs`);
    await db.query(`DROP TABLE ecards`);
    await db.query(`DROP TABLE preferences`);
    await db.query(`DROP INDEX uq_postal_addresses_primary`);
  }
}
