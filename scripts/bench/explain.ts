import { DataSource } from 'typeorm';
import { SearchProfilesQueryDto } from '../../src/profiles/dto/search-profiles-query.dto';
import { resolveProfileSearch } from '../../src/profiles/profile-search';
import { profileSearchStatement } from '../../src/profiles/profiles.repository';
import { SEED_MARK } from './seed';
import { SURNAMES } from './seed-data';

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

/**
 * One search per parameter of SPEC §4.1, with the values of a real seeded profile that has a
 * surname of the long tail; names also with a common value, where matches are dense.
 */
const SEARCHES: { name: string; criteria: (p: Probe) => SearchProfilesQueryDto }[] = [
  { name: 'email', criteria: (p) => ({ email: p.email.toUpperCase() }) },
  { name: 'surname prefix, common (Nord*)', criteria: () => ({ surname: 'Nord*' }) },
  {
    name: 'surname prefix, rare',
    criteria: (p) => ({ surname: `${p.surname.slice(0, p.surname.length - 1)}*` }),
  },
  { name: 'surname exact, rare', criteria: (p) => ({ surname: p.surname }) },
  { name: 'surname exact, common (Hansen)', criteria: () => ({ surname: 'hansen' }) },
  { name: 'firstName prefix', criteria: (p) => ({ firstName: `${p.firstName.slice(0, 3)}*` }) },
  {
    name: 'countryCode + telephoneNumberNoCountryCode',
    criteria: (p) => ({
      countryCode: p.countryCode,
      telephoneNumberNoCountryCode: p.telephoneNumberNoCountryCode,
    }),
  },
  { name: 'telephoneNumber', criteria: (p) => ({ telephoneNumber: p.telephoneNumber }) },
  { name: 'dateOfBirth', criteria: (p) => ({ dateOfBirth: p.dateOfBirth }) },
  { name: 'postCode', criteria: (p) => ({ postCode: p.postCode }) },
  { name: 'customerRef', criteria: (p) => ({ customerRef: p.customerRef }) },
  {
    name: 'email, includeTemporary=true',
    criteria: (p) => ({ email: p.email, includeTemporary: true }),
  },
];

export interface PlanReport {
  name: string;
  indexes: string[];
  executionMs?: number;
  plan: string;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every search parameter, with the statement the service itself
 * builds (resolveProfileSearch, profileSearchStatement), so the plans shown are those of production queries.
 */
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
      WHERE p.created_by = $1 AND p.organisation_id = 1 AND p.email IS NOT NULL
        AND p.surname <> ALL($2::text[])
        AND p.telephone_number IS NOT NULL AND p.date_of_birth IS NOT NULL
      LIMIT 1`,
    [SEED_MARK, SURNAMES],
  );
  if (!probe) {
    throw new Error(
      'no seeded profile with every field set in organisation 1; seed (or --reseed) first',
    );
  }
  const reports: PlanReport[] = [];
  for (const search of SEARCHES) {
    const resolved = resolveProfileSearch(probe.organisationId, search.criteria(probe), new Date());
    if (!resolved) {
      continue;
    }
    const query = profileSearchStatement(resolved);
    const rows: { 'QUERY PLAN': string }[] = await db.query(
      `EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`,
      query.params,
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const scans = plan.matchAll(
      /(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g,
    );
    const time = /Execution Time: ([\d.]+) ms/.exec(plan);
    reports.push({
      name: search.name,
      indexes: [...new Set([...scans].map((m) => m[1]))],
      executionMs: time ? Number(time[1]) : undefined,
      plan,
    });
  }
  return reports;
}
