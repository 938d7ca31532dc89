import { DataSource } from 'typeorm';
import { SEED_MARK } from './seed';

interface Probe {
  organisationId: number;
  customerRef: string;
  email: string;
  firstName: string;
  surname: string;
  countryCode: string;
  telephoneNumberNoCountryCode: string;
  telephoneNumber: string;
  dateOfBirth: string;
  postCode: string;
}

interface SearchShape {
  name: string;
  sql: string;
  params: (p: Probe) => unknown[];
}

// The WHERE clauses the service's search builds for each parameter (src/profiles), with the
// clauses every search carries: the caller's organisation, not expired, not deactivated, no
// temporary profiles, ordered and capped by maxResultSet.
const COMMON = `p.organisation_id = $1 AND p.profile_type <> 'T' AND p.status <> 'D'`;
const TAIL = `ORDER BY p.customer_number LIMIT 100`;
const SELECT = `SELECT p.* FROM profiles p WHERE ${COMMON}`;

export const SEARCH_SHAPES: SearchShape[] = [
  {
    name: 'email',
    sql: `${SELECT} AND lower(p.email) = lower($2) ${TAIL}`,
    params: (p) => [p.organisationId, p.email],
  },
  {
    name: 'surname prefix (Nord*)',
    sql: `${SELECT} AND lower(p.surname) LIKE $2 ${TAIL}`,
    params: (p) => [p.organisationId, `${p.surname.slice(0, 4).toLowerCase()}%`],
  },
  {
    name: 'surname exact',
    sql: `${SELECT} AND lower(p.surname) = lower($2) ${TAIL}`,
    params: (p) => [p.organisationId, p.surname],
  },
  {
    name: 'first name prefix',
    sql: `${SELECT} AND lower(p.first_name) LIKE $2 ${TAIL}`,
    params: (p) => [p.organisationId, `${p.firstName.slice(0, 3).toLowerCase()}%`],
  },
  {
    name: 'countryCode + telephoneNumberNoCountryCode',
    sql: `${SELECT} AND p.telephone_number_no_country_code = $2 AND p.country_code = $3 ${TAIL}`,
    params: (p) => [p.organisationId, p.telephoneNumberNoCountryCode, p.countryCode],
  },
  {
    name: 'telephoneNumber',
    sql: `${SELECT} AND p.telephone_number = $2 ${TAIL}`,
    params: (p) => [p.organisationId, p.telephoneNumber],
  },
  {
    name: 'dateOfBirth',
    sql: `${SELECT} AND p.date_of_birth = $2 ${TAIL}`,
    params: (p) => [p.organisationId, p.dateOfBirth],
  },
  {
    name: 'postCode',
    sql: `${SELECT} AND EXISTS (SELECT 1 FROM postal_addresses a
            WHERE a.organisation_id = p.organisation_id AND a.customer_number = p.customer_number
              AND a.post_code = $2) ${TAIL}`,
    params: (p) => [p.organisationId, p.postCode],
  },
  {
    name: 'customerRef',
    sql: `${SELECT} AND p.customer_ref = $2 ${TAIL}`,
    params: (p) => [p.organisationId, p.customerRef],
  },
];

export interface PlanReport {
  name: string;
  indexes: string[];
  executionMs?: number;
  plan: string;
}

/** EXPLAIN (ANALYZE, BUFFERS) of every search shape, on a real seeded profile's values. */
export async function explainSearches(db: DataSource): Promise<PlanReport[]> {
  const [probe]: Probe[] = await db.query(
    `SELECT p.organisation_id AS "organisationId", p.customer_ref AS "customerRef",
            p.email, p.first_name AS "firstName", p.surname, p.country_code AS "countryCode",
            p.telephone_number_no_country_code AS "telephoneNumberNoCountryCode",
            p.telephone_number AS "telephoneNumber", p.date_of_birth::text AS "dateOfBirth",
            a.post_code AS "postCode"
       FROM profiles p
       JOIN postal_addresses a
         ON a.organisation_id = p.organisation_id AND a.customer_number = p.customer_number
      WHERE p.created_by = $1 AND p.email IS NOT NULL AND p.telephone_number IS NOT NULL
        AND p.date_of_birth IS NOT NULL AND p.organisation_id = 1
      LIMIT 1`,
    [SEED_MARK],
  );
  if (!probe) {
    throw new Error('no seeded profile with every field set in organisation 1; seed first');
  }
  const reports: PlanReport[] = [];
  for (const shape of SEARCH_SHAPES) {
    const rows: { 'QUERY PLAN': string }[] = await db.query(
      `EXPLAIN (ANALYZE, BUFFERS) ${shape.sql}`,
      shape.params(probe),
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const indexes = [
      ...new Set(
        [
          ...plan.matchAll(
            /(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g,
          ),
        ].map((m) => m[1]),
      ),
    ];
    const time = /Execution Time: ([\d.]+) ms/.exec(plan);
    reports.push({
      name: shape.name,
      indexes,
      executionMs: time ? Number(time[1]) : undefined,
      plan,
    });
  }
  return reports;
}
