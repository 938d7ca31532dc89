import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ScenarioName } from './options';
import { FIRST_NAMES, LANGUAGES, SURNAMES } from './seed-data';
import { LOAD_MARK, SEED_MARK } from './seed';

const BASE = '/customers/v2';
const SAMPLE_SIZE = 50_000;
/** The surname-prefix search asks for a page of this size (the API's default is 100). */
export const SURNAME_SEARCH_PAGE = 20;
export const BENCH_PASSWORD = 'abcD1234';

export interface SampleProfile {
  organisationId: number;
  customerNumber: number;
  customerRef: string;
  email: string;
  surname: string;
}

export interface RunResult {
  scenario: ScenarioName;
  /** With --floor: which server answered (the service, or the bare node:http + pg floor). */
  target?: 'service' | 'floor';
  /** The round this run belongs to (1-based). */
  round?: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  mean: number;
  total: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  peakRssMb?: number;
  /** CPU ms per response: the service, its PostgreSQL backends, autocannon (this process). */
  cpuMsPerRequest?: { service?: number; database: number; loadGenerator: number };
  /** 1-minute load average of the machine when the run ended. */
  loadAverage?: number;
}

/** Random seeded profiles (of one organisation with --url) that the scenarios address. */
export async function sampleProfiles(
  db: DataSource,
  organisationId?: number,
): Promise<SampleProfile[]> {
  const rows: { o: number; n: string; r: string; e: string; s: string }[] = await db.query(
    `SELECT organisation_id AS o, customer_number AS n, customer_ref AS r, email AS e, surname AS s
       FROM profiles
      WHERE created_by = $1 AND status = 'A' AND email IS NOT NULL
        AND ($2::int IS NULL OR organisation_id = $2::int)
      ORDER BY random() LIMIT $3`,
    [SEED_MARK, organisationId ?? null, SAMPLE_SIZE],
  );
  return rows.map((r) => ({
    organisationId: r.o,
    customerNumber: Number(r.n),
    customerRef: r.r,
    email: r.e,
    surname: r.s,
  }));
}

type Request = autocannon.Request;

/** A small seeded generator (mulberry32): the same seed gives two targets the same keys. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How each scenario builds its next request; every request picks a fresh random target, from
 * `random` (seeded by --floor so the service and the floor get the same sequence of keys).
 */
export function scenarioRequest(
  scenario: ScenarioName,
  sample: SampleProfile[],
  tokenOf: (organisationId: number) => string,
  random: () => number = Math.random,
): (request: Request) => Request {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const any = () => pick(sample);
  const headers = (organisationId: number, contentType?: string) => ({
    authorization: `Bearer ${tokenOf(organisationId)}`,
    accept: 'application/json',
    'et-client-name': 'bench',
    ...(contentType ? { 'content-type': contentType } : {}),
  });
  const runTag = randomBytes(4).toString('hex');
  let created = 0;
  const createBody = (withPassword: boolean) => {
    const firstName = pick(FIRST_NAMES);
    const surname = pick(SURNAMES);
    return JSON.stringify({
      firstName,
      surname,
      email: `load.${runTag}.${++created}@bench.example.com`,
      countryCode: '+47',
      telephoneNumberNoCountryCode: `9${String(Math.floor(random() * 1e7)).padStart(7, '0')}`,
      dateOfBirth: `19${50 + Math.floor(random() * 50)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      languagePreference: pick(LANGUAGES),
      createdBy: LOAD_MARK,
      createdByChannel: 'bench',
      ...(withPassword ? { password: BENCH_PASSWORD } : {}),
    });
  };

  switch (scenario) {
    case 'lookup':
      return (request) => {
        const p = any();
        return {
          ...request,
          method: 'GET',
          path: `${BASE}/profiles/${p.customerNumber}`,
          headers: headers(p.organisationId),
        };
      };
    case 'lookup-ref':
      return (request) => {
        const p = any();
        return {
          ...request,
          method: 'GET',
          path: `${BASE}/profiles/customer-ref/${encodeURIComponent(p.customerRef)}`,
          headers: headers(p.organisationId),
        };
      };
    case 'search-email':
      return (request) => {
        const p = any();
        return {
          ...request,
          method: 'GET',
          path: `${BASE}/profiles-search?email=${encodeURIComponent(p.email)}`,
          headers: headers(p.organisationId),
        };
      };
    case 'search-surname':
      return (request) => {
        const p = any();
        const prefix = encodeURIComponent(p.surname.slice(0, 4));
        return {
          ...request,
          method: 'GET',
          path: `${BASE}/profiles-search?surname=${prefix}*&maxResultSet=${SURNAME_SEARCH_PAGE}`,
          headers: headers(p.organisationId),
        };
      };
    case 'create':
    case 'events':
    case 'create-password':
      return (request) => {
        const p = any();
        return {
          ...request,
          method: 'POST',
          path: `${BASE}/profiles`,
          headers: headers(p.organisationId, 'application/json'),
          body: createBody(scenario === 'create-password'),
        };
      };
    case 'patch':
      return (request) => {
        const p = any();
        return {
          ...request,
          method: 'PATCH',
          path: `${BASE}/profiles/${p.customerNumber}`,
          headers: headers(p.organisationId, 'application/merge-patch+json'),
          body: JSON.stringify({
            firstName: pick(FIRST_NAMES),
            languagePreference: pick(LANGUAGES),
            changedBy: LOAD_MARK,
            changedByChannel: 'bench',
          }),
        };
      };
  }
}

export async function drive(
  url: string,
  scenario: ScenarioName,
  setupRequest: (request: Request) => Request,
  connections: number,
  duration: number,
): Promise<RunResult> {
  const result = await autocannon({
    url,
    connections,
    duration,
    timeout: 30,
    requests: [{ setupRequest }],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = stats.count ?? 0;
  }
  return {
    scenario,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.average,
    total: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}

function pick<T>(values: readonly T[]): T {
  return values[Math.floor(Math.random() * values.length)];
}

/**
 * For --embedded (no database to seed directly): creates `count` profiles through the API, a few
 * at a time, and returns them as the sample the scenarios address.
 */
export async function createThroughApi(
  url: string,
  count: number,
  organisations: number,
  tokenOf: (organisationId: number) => string,
  onProgress: (done: number) => void,
): Promise<SampleProfile[]> {
  const tag = randomBytes(4).toString('hex');
  const created: SampleProfile[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const organisationId = 1 + (i % organisations);
      const surname = pick(SURNAMES);
      const response = await fetch(`${url}${BASE}/profiles`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokenOf(organisationId)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          firstName: pick(FIRST_NAMES),
          surname,
          email: `seed.${tag}.${i}@bench.example.com`,
          createdBy: SEED_MARK,
          createdByChannel: 'bench',
        }),
      });
      if (response.status !== 201) {
        throw new Error(`creating a profile answered ${response.status}: ${await response.text()}`);
      }
      const body = (await response.json()) as { customerNumber: number; email: string };
      created.push({
        organisationId,
        customerNumber: body.customerNumber,
        customerRef: String(body.customerNumber),
        email: body.email,
        surname,
      });
      onProgress(created.length);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return created;
}
