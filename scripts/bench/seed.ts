import { SingleBar, Presets } from 'cli-progress';
import { DataSource } from 'typeorm';
import {
  CITIES,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  LANGUAGES,
  STREETS,
  SURNAME_ENDINGS,
  SURNAME_STEMS,
  SURNAMES,
} from './seed-data';

/** `created_by` of the seeded rows, so re-runs find (and `--reseed` removes) only the bench's. */
export const SEED_MARK = 'bench-seed';
/** `createdBy` of the profiles the create scenarios write through the API. */
export const LOAD_MARK = 'bench-load';

const CHUNK = 10_000;

export interface SeedResult {
  existing: number;
  inserted: number;
  seconds: number;
}

/** Registers organisations 1..count that are missing (an existing one keeps its name and state). */
export async function registerOrganisations(db: DataSource, count: number): Promise<void> {
  await db.query(
    `INSERT INTO organisations (id, name)
     SELECT g, 'Bench organisation ' || g FROM generate_series(1, $1::int) AS g
     ON CONFLICT (id) DO NOTHING`,
    [count],
  );
  const inactive: { id: number }[] = await db.query(
    `SELECT id FROM organisations WHERE id <= $1 AND NOT active`,
    [count],
  );
  if (inactive.length) {
    throw new Error(
      `organisation(s) ${inactive.map((o) => o.id).join(', ')} are inactive; the bench needs them active`,
    );
  }
}

export async function countSeeded(db: DataSource): Promise<number> {
  const [row]: { n: string }[] = await db.query(
    `SELECT count(*) AS n FROM profiles WHERE created_by = $1`,
    [SEED_MARK],
  );
  return Number(row.n);
}

/** Deletes what earlier bench runs wrote (seeded rows and API-created ones), in batches. */
export async function deleteBenchRows(db: DataSource): Promise<number> {
  const [total]: { n: string }[] = await db.query(
    `SELECT count(*) AS n FROM profiles WHERE created_by IN ($1, $2)`,
    [SEED_MARK, LOAD_MARK],
  );
  const bar = progressBar('deleting ');
  bar.start(Number(total.n), 0);
  let deleted = 0;
  for (;;) {
    // Attached rows (addresses, …) go with their profile through ON DELETE CASCADE.
    const result: [unknown[], number] = await db.query(
      `DELETE FROM profiles WHERE (organisation_id, customer_number) IN (
         SELECT organisation_id, customer_number FROM profiles
          WHERE created_by IN ($1, $2) LIMIT 20000)`,
      [SEED_MARK, LOAD_MARK],
    );
    const affected = result[1];
    if (!affected) {
      break;
    }
    deleted += affected;
    bar.update(deleted);
  }
  bar.stop();
  return deleted;
}

/**
 * Inserts `count` profiles with INSERT … SELECT generate_series in chunks: organisations skewed
 * (the first is the largest), varied names, unique e-mails, mostly Norwegian phones, dates of
 * birth, and a postal address for about 30 %.
 */
export async function seedProfiles(
  db: DataSource,
  count: number,
  organisations: number,
): Promise<number> {
  const bar = progressBar('seeding  ');
  bar.start(count, 0);
  let inserted = 0;
  while (inserted < count) {
    const size = Math.min(CHUNK, count - inserted);
    await db.query(INSERT_CHUNK, [
      size,
      organisations,
      SEED_MARK,
      FIRST_NAMES,
      SURNAMES,
      EMAIL_DOMAINS,
      LANGUAGES,
      STREETS,
      CITIES,
      SURNAME_STEMS,
      SURNAME_ENDINGS,
    ]);
    inserted += size;
    bar.update(inserted);
  }
  bar.stop();
  return inserted;
}

export async function analyze(db: DataSource): Promise<void> {
  await db.query('ANALYZE profiles');
  await db.query('ANALYZE postal_addresses');
}

function progressBar(label: string): SingleBar {
  return new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {duration_formatted} | eta {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 20,
      // Redirected output (CI, logs) still gets a line every few seconds.
      noTTYOutput: true,
      notTTYSchedule: 5_000,
    },
    Presets.shades_classic,
  );
}

// $1 rows, $2 organisations, $3 mark, $4 first names, $5 surnames, $6 domains, $7 languages,
// $8 streets, $9 cities, $10/$11 stems and endings of the surnames' long tail (40 % of rows).
// Random picks happen once per row in `pick`; e-mails embed the customer number, so they are
// unique per organisation without a lookup.
const INSERT_CHUNK = `
WITH pick AS (
  SELECT nextval('customer_number_seq') AS n,
         1 + floor(power(random(), 2) * $2::int)::int AS org,
         ($4::text[])[1 + floor(random() * cardinality($4::text[]))::int] AS fn,
         CASE WHEN random() < 0.6
           THEN ($5::text[])[1 + floor(random() * cardinality($5::text[]))::int]
           ELSE ($10::text[])[1 + floor(random() * cardinality($10::text[]))::int]
             || ($11::text[])[1 + floor(random() * cardinality($11::text[]))::int]
         END AS sn,
         ($6::text[])[1 + floor(random() * cardinality($6::text[]))::int] AS domain,
         ($7::text[])[1 + floor(random() * cardinality($7::text[]))::int] AS lang,
         random() AS r_phone, random() AS r_dob, random() AS r_mail, random() AS r_addr,
         (ARRAY['4', '9'])[1 + floor(random() * 2)::int]
           || lpad(floor(random() * 10000000)::int::text, 7, '0') AS mobile,
         '7' || lpad(floor(random() * 100000000)::int::text, 8, '0') AS mobile_se,
         date '1935-01-01' + floor(random() * 27000)::int AS dob,
         now() - random() * interval '2000 days' AS created
    FROM generate_series(1, $1::int)
),
inserted AS (
  INSERT INTO profiles (
    organisation_id, customer_number, uuid, customer_ref, profile_type, status,
    first_name, surname, email, country_code, telephone_number_no_country_code,
    telephone_number, date_of_birth, language_preference, version,
    created_at, created_by, created_by_channel, changed_at, changed_by, changed_by_channel)
  SELECT org, n, replace(gen_random_uuid()::text, '-', ''), n::text, 'S', 'A',
         fn, sn,
         CASE WHEN r_mail < 0.97 THEN
           translate(lower(fn || '.' || sn), 'æøåéäöśń', 'aoaeaosn') || '.' || n || '@' || domain
         END,
         CASE WHEN r_phone < 0.78 THEN '+47' WHEN r_phone < 0.85 THEN '+46' END,
         CASE WHEN r_phone < 0.78 THEN mobile WHEN r_phone < 0.85 THEN mobile_se END,
         CASE WHEN r_phone < 0.78 THEN '+47' || mobile WHEN r_phone < 0.85 THEN '+46' || mobile_se END,
         CASE WHEN r_dob < 0.9 THEN dob END,
         lang, 1,
         created, $3, 'bench', created, $3, 'bench'
    FROM pick
  RETURNING organisation_id, customer_number
)
INSERT INTO postal_addresses (
  organisation_id, customer_number, address_line1, post_code, city, country_code, is_primary)
SELECT organisation_id, customer_number,
       ($8::text[])[1 + floor(random() * cardinality($8::text[]))::int] || ' ' || (1 + floor(random() * 120)::int),
       lpad((1 + floor(random() * 9990))::int::text, 4, '0'),
       ($9::text[])[1 + floor(random() * cardinality($9::text[]))::int],
       'NO', true
  FROM inserted
 WHERE random() < 0.3`;
