import { MigrationInterface, QueryRunner } from 'typeorm';
import { normaliseEmail } from '../src/common/email/normalise-email';

interface EmailRow {
  organisation_id: number;
  customer_number: string;
  profile_type: string;
  email: string;
}

/**
 * Profiles keep their e-mail in the application's normal form (NFKC, trimmed, Unicode lower case:
 * see normaliseEmail), the form the sign-in limiter counts and lookups search. Addresses stored
 * before are brought into it. uq_profiles_email stays on lower(email): lower() leaves a
 * normalised address unchanged in every locale, so the index compares exactly these forms. Only
 * addresses with a capital ASCII letter, a character beyond ASCII or white space at either end can
 * change. Two permanent profiles whose addresses become equal stop the migration with their
 * customer numbers: one of them needs another address first.
 */
export class NormaliseStoredEmails1796100000001 implements MigrationInterface {
  name = 'NormaliseStoredEmails1796100000001';

  async up(db: QueryRunner): Promise<void> {
    const rows: EmailRow[] = await db.query(
      `SELECT organisation_id, customer_number::text AS customer_number, profile_type, email
         FROM profiles
        WHERE email ~ '[A-Z]' OR email ~ '[^ -~]' OR email ~ '^\\s|\\s$'`,
    );
    for (const row of rows) {
      const normalised = normaliseEmail(row.email);
      if (normalised === row.email) {
        continue;
      }
      // Only permanent profiles' addresses are unique (uq_profiles_email).
      const [clash]: { customer_number: string }[] =
        row.profile_type === 'T'
          ? []
          : await db.query(
              `SELECT customer_number::text AS customer_number FROM profiles
          WHERE organisation_id = $1 AND customer_number <> $2 AND profile_type <> 'T'
            AND email IS NOT NULL AND lower(email) = lower($3)`,
              [row.organisation_id, row.customer_number, normalised],
            );
      if (clash) {
        throw new Error(
          `Profiles ${row.customer_number} and ${clash.customer_number} of organisation ` +
            `${row.organisation_id} have the same e-mail address in normal form; give one of ` +
            'them another address, then migrate again',
        );
      }
      await db.query(
        `UPDATE profiles SET email = $3 WHERE organisation_id = $1 AND customer_number = $2`,
        [row.organisation_id, row.customer_number, normalised || null],
      );
    }
  }

  down(): Promise<void> {
    // The original spellings are not kept; normalised addresses remain valid for the old code.
    return Promise.resolve();
  }
}
