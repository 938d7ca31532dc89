import 'reflect-metadata';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AuditEventsRepository } from '../src/audit/audit-events.repository';
import { AuditService } from '../src/audit/audit.service';
import { DEFAULT_DATABASE_SETTINGS } from '../src/config/database-settings';
import { AdvisoryLockService } from '../src/database/advisory-lock.service';
import { databaseOptions } from '../src/database/database-options';
import { applyMigrations } from '../src/database/migrate';
import { PreparedStatements } from '../src/database/prepared-statements';
import { EventsRepository } from '../src/events/events.repository';
import { ExpiryRunResult, ExpiryService } from '../src/expiry/expiry.service';
import { Metrics } from '../src/observability/metrics';
import { ProfilesRepository } from '../src/profiles/profiles.repository';
import { BENCH_AUDIENCE, BenchIssuer } from './bench/issuer';
import { ServiceProcess } from './bench/service';

/**
 * `node dist/scripts/bench-expiry.js` (after `npm run build`): seeds EXPIRED temporary profiles
 * (each with a postal address, a preference and an audit row) into BENCH_DATABASE_URL, starts the
 * service, drives GET /customers/v2/profiles/{n} of one permanent profile with autocannon, and
 * while that load runs, purges everything with ExpiryService.expireDue, as the job does.
 * Prints the purge time and the lookup latency before and during the purge.
 *
 * Env: BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/customers_expiry_bench,
 * created if missing), EXPIRED (100000), BATCH_SIZE (500), RATE (200 req/s),
 * CONNECTIONS (10). The load runs from 5 s before the purge to 3 s after it.
 */
const env = process.env;
const DATABASE_URL =
  env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/customers_expiry_bench';
const EXPIRED = Number(env.EXPIRED ?? 100_000);
const BATCH_SIZE = Number(env.BATCH_SIZE ?? 500);
const MAX_DURATION_S = Number(env.MAX_DURATION_S ?? 300);
const RATE = Number(env.RATE ?? 200);
const CONNECTIONS = Number(env.CONNECTIONS ?? 10);
const PURGE_START_S = 5;
const ORGANISATION_CLAIM = 'https://entur.io/organisationID';

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

async function seedExpired(db: DataSource, count: number): Promise<number> {
  const run = randomBytes(4).toString('hex');
  await db.query(
    `INSERT INTO organisations (id, name) VALUES (1, 'Bench organisation 1') ON CONFLICT DO NOTHING`,
  );
  const started = performance.now();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO profiles (organisation_id, uuid, customer_ref, profile_type, first_name, surname,
                             email, telephone_number_no_country_code, country_code, expiration_date,
                             expires_at, created_by, created_by_channel, changed_by, changed_by_channel)
       SELECT 1, md5($1 || g), 'exp-' || $1 || '-' || g, 'T', 'First' || g, 'Surname' || g,
              'expired-' || $1 || '-' || g || '@example.com', lpad(g::text, 8, '4'), '+47',
              current_date - 2, now() - interval '1 day', 'bench', 'bench', 'bench', 'bench'
         FROM generate_series(1, $2::int) g`,
      [run, count],
    );
    const seeded = `SELECT customer_number FROM profiles
                     WHERE organisation_id = 1 AND customer_ref LIKE 'exp-' || $1 || '-%'`;
    await tx.query(
      `INSERT INTO postal_addresses (organisation_id, customer_number, address_line1, post_code, city)
       SELECT 1, customer_number, 'Storgata 1', '0155', 'Oslo' FROM (${seeded}) s`,
      [run],
    );
    await tx.query(
      `INSERT INTO preferences (organisation_id, customer_number, preference_code, preference_type)
       SELECT 1, customer_number, 'WHEELCHAIR', 'ASSISTANCE' FROM (${seeded}) s`,
      [run],
    );
    await tx.query(
      `INSERT INTO audit_events (organisation_id, customer_number, operation, fields, actor, channel)
       SELECT 1, customer_number, 'TEMPORARY_CREATED', '{firstName,surname,email}', 'bench', 'web'
         FROM (${seeded}) s`,
      [run],
    );
  });
  await db.query('ANALYZE profiles, postal_addresses, preferences, audit_events');
  console.log(
    `seeded ${count} expired temporary profiles (+1 address, +1 preference, +1 audit row each) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return count;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `n=${sorted.length} p50=${percentile(sorted, 50).toFixed(1)} ms p99=${percentile(sorted, 99).toFixed(1)} ms max=${(sorted.at(-1) ?? NaN).toFixed(1)} ms`;
}

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  const db = await new DataSource(databaseOptions(DATABASE_URL, 4)).initialize();
  const issuer = await new BenchIssuer(ORGANISATION_CLAIM).start();
  const service = new ServiceProcess();
  try {
    await applyMigrations(db, true);
    await seedExpired(db, EXPIRED);
    const [{ n: due }] = await db.query(
      `SELECT count(*)::int AS n FROM profiles WHERE profile_type = 'T' AND expires_at <= now()`,
    );

    await service.start({
      databaseUrl: DATABASE_URL,
      issuer: issuer.issuer,
      audience: BENCH_AUDIENCE,
      organisations: 1,
      logLevel: 'warn',
    });
    const token = issuer.partnerToken(1);
    const created = await fetch(`${service.url}/customers/v2/profiles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        firstName: 'Looked',
        surname: 'Up',
        email: `lookup-${randomBytes(4).toString('hex')}@example.com`,
        createdBy: 'bench',
        createdByChannel: 'bench',
      }),
    });
    if (created.status !== 201) {
      throw new Error(`creating the looked-up profile answered ${created.status}`);
    }
    const { customerNumber } = (await created.json()) as { customerNumber: number };
    const path = `/customers/v2/profiles/${customerNumber}`;

    // Latency of every response, with the time it completed, to split the run into windows.
    const samples: { at: number; ms: number }[] = [];
    let finish!: (result: autocannon.Result) => void;
    const loadDone = new Promise<autocannon.Result>((resolve) => (finish = resolve));
    const load = autocannon(
      {
        url: `${service.url}${path}`,
        headers: { authorization: `Bearer ${token}` },
        connections: CONNECTIONS,
        overallRate: RATE,
        duration: MAX_DURATION_S,
      },
      (error, result) => {
        if (error) {
          throw error;
        }
        finish(result);
      },
    );
    load.on('response', (_client, _status, _bytes, ms) =>
      samples.push({ at: performance.now(), ms }),
    );
    const loadStart = performance.now();

    await new Promise((resolve) => setTimeout(resolve, PURGE_START_S * 1000));
    const expiry = new ExpiryService(
      new AdvisoryLockService(db),
      new ProfilesRepository(
        db,
        new PreparedStatements(db, DEFAULT_DATABASE_SETTINGS),
        undefined as never,
      ),
      new Metrics(),
      new AuditService(new AuditEventsRepository(db), new EventsRepository(db)),
    );
    const purgeStart = performance.now();
    const result: ExpiryRunResult = await expiry.expireDue(new Date(), { batchSize: BATCH_SIZE });
    const purgeEnd = performance.now();
    // Keep the load a few seconds past the purge, for the "after" window, then stop it.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    load.stop();
    const loadResult = await loadDone;

    const [{ n: left }] = await db.query(
      `SELECT count(*)::int AS n FROM profiles WHERE profile_type = 'T' AND expires_at <= now()`,
    );
    const between = (from: number, to: number) =>
      samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.ms);
    console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown cpu'}`);
    console.log(
      `load: GET ${path.replace(String(customerNumber), '{n}')} at ${RATE} req/s, ${CONNECTIONS} connections, ${((performance.now() - loadStart) / 1000).toFixed(0)} s (purge from ${PURGE_START_S} s); ${loadResult.non2xx} non-2xx, ${loadResult.errors} errors`,
    );
    console.log(
      `purge: ${result.temporary} temporary + ${result.deactivated} deactivated profiles deleted (${due} were due) in ${((purgeEnd - purgeStart) / 1000).toFixed(1)} s, ${result.batches} batches of ≤${BATCH_SIZE}; ${left} left`,
    );
    console.log(`lookup before purge:  ${summary(between(loadStart + 1000, purgeStart))}`);
    console.log(`lookup during purge:  ${summary(between(purgeStart, purgeEnd))}`);
    console.log(`lookup after purge:   ${summary(between(purgeEnd, Number.POSITIVE_INFINITY))}`);
    console.log(
      `lookup whole run (autocannon): p50=${loadResult.latency.p50} ms p99=${loadResult.latency.p99} ms`,
    );
  } finally {
    await service.stop();
    await issuer.stop();
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
