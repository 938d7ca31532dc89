import { MigrationInterface, QueryRunner } from 'typeorm';
import { ValidationDomainException } from '../src/common/errors/domain.exception';
import { normalisePhone, normaliseSingleNumber, PhoneColumns } from '../src/profiles/phone-number';

const BATCH_SIZE = 1000;

interface StoredPhone extends PhoneColumns {
  organisation_id: number;
  customer_number: string;
  landline_number: string | null;
}

/** The stored form the service writes now; null when a stored value cannot be normalised. */
function normalised(row: StoredPhone): (PhoneColumns & { landline_number: string | null }) | null {
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (error) {
      if (error instanceof ValidationDomainException) {
        return undefined;
      }
      throw error;
    }
  };
  const input = {
    countryCode: row.country_code,
    telephoneNumberNoCountryCode: row.telephone_number_no_country_code,
    telephoneNumber: row.telephone_number,
  };
  // Where the old pair and combined number disagree, the pair wins, as it does on a write.
  const phone =
    attempt(() => normalisePhone(input)) ??
    attempt(() => normalisePhone({ ...input, telephoneNumber: null }));
  const landline = attempt(() =>
    normaliseSingleNumber('landlineNumber', row.landline_number, row.country_code),
  );
  if (!phone && landline === undefined) {
    return null;
  }
  return {
    country_code: phone ? phone.country_code : row.country_code,
    telephone_number_no_country_code: phone
      ? phone.telephone_number_no_country_code
      : row.telephone_number_no_country_code,
    telephone_number: phone ? phone.telephone_number : row.telephone_number,
    landline_number: landline === undefined ? row.landline_number : landline,
  };
}

/**
 * Phone numbers are stored in E.164 (telephone_number) with the country code and national
 * number derived from it, and landlines in E.164, so that every written form of a number finds
 * the same profile. Existing rows are normalised here with the service's own normaliser
 * (libphonenumber-js), in batches walked by primary key; a stored value that is not a possible
 * number is left as it was.
 */
export class NormalisePhoneNumbers1796200000001 implements MigrationInterface {
  name = 'NormalisePhoneNumbers1796200000001';

  async up(db: QueryRunner): Promise<void> {
    let after: [number, string] = [0, '0'];
    for (;;) {
      const rows: StoredPhone[] = await db.query(
        `SELECT organisation_id, customer_number::text AS customer_number, country_code,
                telephone_number_no_country_code, telephone_number, landline_number
           FROM profiles
          WHERE (organisation_id, customer_number) > ($1, $2::bigint)
            AND (country_code IS NOT NULL OR telephone_number_no_country_code IS NOT NULL
                 OR telephone_number IS NOT NULL OR landline_number IS NOT NULL)
          ORDER BY organisation_id, customer_number
          LIMIT ${BATCH_SIZE}`,
        after,
      );
      if (!rows.length) {
        return;
      }
      const last = rows[rows.length - 1];
      after = [last.organisation_id, last.customer_number];
      const changed = rows.flatMap((row) => {
        const next = normalised(row);
        const same =
          !next ||
          (next.country_code === row.country_code &&
            next.telephone_number_no_country_code === row.telephone_number_no_country_code &&
            next.telephone_number === row.telephone_number &&
            next.landline_number === row.landline_number);
        return same ? [] : [{ ...next, key: row }];
      });
      if (changed.length) {
        await db.query(
          `UPDATE profiles p
              SET country_code = n.country_code,
                  telephone_number_no_country_code = n.national,
                  telephone_number = n.telephone_number,
                  landline_number = n.landline_number
             FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
                  AS n(organisation_id, customer_number, country_code, national, telephone_number,
                       landline_number)
            WHERE p.organisation_id = n.organisation_id AND p.customer_number = n.customer_number`,
          [
            changed.map((c) => c.key.organisation_id),
            changed.map((c) => c.key.customer_number),
            changed.map((c) => c.country_code),
            changed.map((c) => c.telephone_number_no_country_code),
            changed.map((c) => c.telephone_number),
            changed.map((c) => c.landline_number),
          ],
        );
      }
    }
  }

  async down(): Promise<void> {
    // The written forms before normalisation are not kept; E.164 remains valid input.
  }
}
