import { randomUUID } from 'node:crypto';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Client } from 'pg';
import { Clock } from '../../src/common/clock/clock';
import { EXPIRY_JOB_NAME, EXPIRY_LOCK_KEY } from '../../src/expiry/expiry.constants';
import { ExpiryJob } from '../../src/expiry/expiry.job';
import { ExpiryService } from '../../src/expiry/expiry.service';
import { dateInZone, endOfDateInZone } from '../../src/temporary-profiles/expiry-instant';
import { createTestApp, onPostgres, TestApp } from '../utils/test-app';
import { activeConsent } from './consents.fixtures';

const BASE = '/customers/v2/profiles/temporary';
const ZONE = 'Europe/Oslo';
const HOUR = 3600_000;

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Tables holding rows of a customer; audit_events is checked for content instead. */
async function perCustomerTables(t: TestApp): Promise<string[]> {
  const rows: { table_name: string }[] = await t.dataSource.query(
    `SELECT DISTINCT table_name FROM information_schema.columns
      WHERE column_name = 'customer_number' AND table_schema = current_schema()
        AND table_name <> 'audit_events'`,
  );
  return rows.map((r) => r.table_name).sort();
}

async function rowsLeft(t: TestApp, customerNumber: number): Promise<Record<string, number>> {
  const left: Record<string, number> = {};
  for (const table of await perCustomerTables(t)) {
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM "${table}" WHERE customer_number = $1`,
      [customerNumber],
    );
    left[table] = n;
  }
  return left;
}

describe('expiry job', () => {
  let t: TestApp;
  let clock: Clock;
  let expiry: ExpiryService;
  let token: string;
  /** A day a little ahead of the real one, so the suite controls "today" and "tomorrow". */
  let day: string;
  let endOfDay: Date;

  beforeAll(async () => {
    t = await createTestApp();
    clock = t.app.get(Clock);
    expiry = t.app.get(ExpiryService);
    token = t.issuer.partner(1);
    day = addDays(dateInZone(new Date(), ZONE), 3);
    endOfDay = endOfDateInZone(day, ZONE);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  const at = (instant: Date) => jest.spyOn(clock, 'now').mockReturnValue(instant);

  it('should keep a profile readable through its expirationDate and answer 404 from the first instant after, before the job runs', async () => {
    at(new Date(endOfDay.getTime() - 12 * HOUR));
    const created = await t.http.post(BASE, {
      token,
      body: { expirationDate: day, createdBy: 'office', createdByChannel: 'web' },
    });
    expect(created.status).toBe(201);
    const n = created.body.customerNumber;

    at(new Date(endOfDay.getTime() - 1000));
    expect((await t.http.get(`${BASE}/${n}`, { token })).status).toBe(200);
    expect(
      (await t.http.get(`/customers/v2/profiles/${n}/postal-addresses`, { token })).status,
    ).toBe(200);

    at(endOfDay);
    expect((await t.http.get(`${BASE}/${n}`, { token })).status).toBe(404);
    expect(
      (await t.http.get(`/customers/v2/profiles/${n}/postal-addresses`, { token })).status,
    ).toBe(404);
    const search = await t.http.get('/customers/v2/profiles-search', {
      token,
      query: { customerRef: String(n), includeTemporary: true },
    });
    expect(search.status).toBe(200);
    expect(search.body).toEqual([]);
    // The job has not run: the row is still there, merely invisible.
    const rows = await t.dataSource.query(
      `SELECT 1 FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
      [n],
    );
    expect(rows).toHaveLength(1);
  });

  it('should delete an expired profile with everything attached and keep no personal data', async () => {
    at(new Date(endOfDay.getTime() - 12 * HOUR));
    const marker = randomUUID().slice(0, 8);
    const personal = {
      firstName: `Expiring${marker}`,
      surname: `Person${marker}`,
      email: `expiring-${marker}@example.com`,
      telephoneNumberNoCountryCode: '41234567',
      countryCode: '+47',
    };
    const created = await t.http.post(BASE, {
      token,
      headers: { 'idempotency-key': `key-${marker}` },
      body: {
        ...personal,
        expirationDate: day,
        createdBy: `clerk-${marker}`,
        createdByChannel: 'web',
      },
    });
    expect(created.status).toBe(201);
    const n: number = created.body.customerNumber;
    const sub = `/customers/v2/profiles/${n}`;
    expect(
      (
        await t.http.post(`${sub}/postal-addresses`, {
          token,
          body: { addressLine1: `Gate ${marker}`, postCode: '0155', city: 'Oslo' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await t.http.post(`${sub}/preferences`, {
          token,
          body: {
            preferenceCode: `WHEELCHAIR-${randomUUID().slice(0, 8)}`,
            preferenceType: 'ASSISTANCE',
          },
        })
      ).status,
    ).toBe(201);
    const { id: consentId } = await activeConsent(t, token);
    const given = await t.http.post('/customers/v2/consents/given-consents', {
      token,
      body: {
        customerNumber: n,
        consentId,
        consentChoice: true,
        distributionChannel: 'app',
        email: personal.email,
        changedBy: `clerk-${marker}`,
        changedByChannel: 'app',
      },
    });
    expect(given.status).toBe(201);
    const givenId: number = given.body.id;
    const before = await rowsLeft(t, n);
    expect(before.profiles).toBe(1);
    expect(before.postal_addresses).toBe(1);
    expect(before.preferences).toBe(1);
    expect(before.idempotency_keys).toBeGreaterThanOrEqual(1);
    expect(before.given_consents).toBe(1);

    at(new Date(endOfDay.getTime() + HOUR));
    const result = await expiry.expireDue(clock.now(), { batchSize: 2 });
    expect(result.ran).toBe(true);
    expect(result.temporary).toBeGreaterThanOrEqual(1);

    const after = await rowsLeft(t, n);
    expect(Object.values(after).every((count) => count === 0)).toBe(true);
    expect(Object.keys(after)).toEqual(
      expect.arrayContaining(['profiles', 'postal_addresses', 'preferences', 'given_consents']),
    );
    const history = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM given_consent_history WHERE given_consent_id = $1`,
      [givenId],
    );
    expect(history[0].n).toBe(0);

    const audit: Record<string, unknown>[] = await t.dataSource.query(
      `SELECT * FROM audit_events WHERE customer_number = $1 ORDER BY id`,
      [n],
    );
    expect(audit.map((a) => a.operation)).toEqual(
      expect.arrayContaining(['TEMPORARY_CREATED', 'TEMPORARY_EXPIRED']),
    );
    expect(audit.filter((a) => a.operation === 'TEMPORARY_EXPIRED')).toHaveLength(1);
    const text = JSON.stringify(audit);
    for (const value of [...Object.values(personal), marker]) {
      expect(text).not.toContain(value);
    }
    for (const row of audit) {
      expect(row).toMatchObject({ actor: null, channel: null, client_name: null, fields: [] });
    }

    // A second run finds nothing more of it.
    const again = await expiry.expireDue(clock.now());
    expect(again.ran).toBe(true);
    expect(await rowsLeft(t, n)).toEqual(after);
  });

  it('should purge a deactivated profile once its purge time has come, and not before', async () => {
    const start = new Date(endOfDay.getTime() - 12 * HOUR);
    at(start);
    const created = await t.http.post('/customers/v2/profiles', {
      token,
      body: {
        firstName: 'Leaving',
        surname: 'Customer',
        email: `leaving-${randomUUID().slice(0, 8)}@example.com`,
        createdBy: 'web',
        createdByChannel: 'web',
      },
    });
    expect(created.status).toBe(201);
    const n: number = created.body.customerNumber;
    const deactivated = await t.http.delete(`/customers/v2/profiles/${n}`, {
      token,
      headers: { 'if-match': created.headers.get('etag') ?? '*' },
    });
    expect([200, 204]).toContain(deactivated.status);
    const [{ purge_at: purgeAt }] = await t.dataSource.query(
      `SELECT purge_at FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
      [n],
    );

    await expiry.expireDue(new Date(purgeAt.getTime() - 1000));
    expect((await rowsLeft(t, n)).profiles).toBe(1);

    const result = await expiry.expireDue(new Date(purgeAt.getTime()));
    expect(result.deactivated).toBeGreaterThanOrEqual(1);
    expect(Object.values(await rowsLeft(t, n)).every((count) => count === 0)).toBe(true);
  });

  it('should expose how many it deleted and how long it took in /metrics', async () => {
    const metrics = await t.http.get('/metrics');
    expect(metrics.text).toMatch(/customers_expiry_deleted_total\{kind="temporary"\} [1-9]/);
    expect(metrics.text).toMatch(/customers_expiry_deleted_total\{kind="deactivated"\} [1-9]/);
    expect(metrics.text).toMatch(/customers_expiry_run_duration_seconds_count [1-9]/);
  });

  if (onPostgres) {
    it('should do nothing while another instance holds the expiry lock', async () => {
      // Held inside an open transaction, as the job itself holds it behind a transaction pooler:
      // there a session lock would stay on whichever pooled server session took it, and a run
      // that lands on that session would take the lock again rather than be kept out.
      const other = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query('SELECT pg_advisory_xact_lock($1)', [EXPIRY_LOCK_KEY]);
        const result = await expiry.expireDue(new Date(endOfDay.getTime() + 24 * HOUR));
        expect(result).toMatchObject({ ran: false, temporary: 0, deactivated: 0 });
      } finally {
        await other.query('ROLLBACK').catch(() => undefined);
        await other.end();
      }
    });

    it('should delete each expired profile exactly once when two instances run at the same time', async () => {
      // A day of its own, far from the other tests, cleared of whatever was due before it.
      const ownDay = addDays(day, 20);
      const ownEnd = endOfDateInZone(ownDay, ZONE);
      at(new Date(ownEnd.getTime() - 12 * HOUR));
      await expiry.expireDue(clock.now());
      const created: number[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await t.http.post(BASE, {
          token: t.issuer.partner(1 + (i % 2)),
          body: { expirationDate: ownDay, createdBy: 'load', createdByChannel: 'test' },
        });
        expect(res.status).toBe(201);
        created.push(res.body.customerNumber);
      }
      // Passport keeps one strategy per process, so the second instance starts after the HTTP calls.
      const second = await createTestApp();
      try {
        const runAt = new Date(ownEnd.getTime() + HOUR);
        const results = await Promise.all([
          expiry.expireDue(runAt, { batchSize: 4 }),
          second.app.get(ExpiryService).expireDue(runAt, { batchSize: 4 }),
          expiry.expireDue(runAt, { batchSize: 4 }),
        ]);
        expect(results.reduce((sum, r) => sum + r.temporary, 0)).toBe(created.length);
        const left = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM profiles WHERE customer_number = ANY($1::bigint[])`,
          [created],
        );
        expect(left[0].n).toBe(0);
        const purged = await t.dataSource.query(
          `SELECT customer_number, count(*)::int AS n FROM audit_events
            WHERE customer_number = ANY($1::bigint[]) AND operation = 'TEMPORARY_EXPIRED'
            GROUP BY customer_number`,
          [created],
        );
        expect(purged).toHaveLength(created.length);
        expect(purged.every((r: { n: number }) => r.n === 1)).toBe(true);
      } finally {
        await second.close();
      }
    });
  }
});

describe('expiry schedule', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Far from any real tick: the test checks the wiring, not the timer.
    t = await createTestApp({ EXPIRY_ENABLED: 'true', EXPIRY_CRON: '0 3 1 1 *' });
  });
  afterAll(() => t.close());

  it('should register the job with the configured EXPIRY_CRON when expiry is enabled', () => {
    const job = t.app.get(SchedulerRegistry).getCronJob(EXPIRY_JOB_NAME);
    expect(job.cronTime.source).toBe('0 3 1 1 *');
    expect(job.isActive).toBe(true);
  });

  it('should run the job on demand through the same service, at the clock of the app', async () => {
    const result = await t.app.get(ExpiryJob).run();
    expect(result).toMatchObject({ ran: true });
  });
});
