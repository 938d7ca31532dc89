import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes of the search parameters landlineNumber, vippsId, invoiceOrganisationId and
 * postalAddress (first address line, case-insensitive, prefix with text_pattern_ops), each led by
 * organisation_id like every search. Phone search now matches telephone_number in E.164 whatever
 * parameters were given, so the index of the (national number, country code) pair goes.
 */
export class AddContactSearchIndexes1796200000000 implements MigrationInterface {
  name = 'AddContactSearchIndexes1796200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX ix_profiles_landline_number ON profiles (organisation_id, landline_number)
        WHERE landline_number IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX ix_profiles_vipps_id ON profiles (organisation_id, vipps_id)
        WHERE vipps_id IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX ix_profiles_invoice_organisation_id
        ON profiles (organisation_id, invoice_organisation_id)
        WHERE invoice_organisation_id IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX ix_postal_addresses_address_line1
        ON postal_addresses (organisation_id, lower(address_line1) text_pattern_ops)`,
    );
    await db.query(`DROP INDEX ix_profiles_phone`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE INDEX ix_profiles_phone ON profiles
        (organisation_id, telephone_number_no_country_code, country_code)`);
    await db.query(`DROP INDEX ix_postal_addresses_address_line1`);
    await db.query(`DROP INDEX ix_profiles_invoice_organisation_id`);
    await db.query(`DROP INDEX ix_profiles_vipps_id`);
    await db.query(`DROP INDEX ix_profiles_landline_number`);
  }
}
