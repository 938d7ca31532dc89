import { Logger } from '@nestjs/common';
import { DatabaseAvailability } from '../../src/database/database-availability';
import { profileBody } from '../factories/profile.factory';
import { ApiResponse } from '../utils/http-client';
import { OwnPostgres } from '../utils/own-postgres';
import { createTestApp, TestApp } from '../utils/test-app';

// Short bounds so the test is quick; production defaults are in the README.
const TIMEOUTS = {
  DATABASE_ACQUIRE_TIMEOUT_MS: '1000',
  DATABASE_STATEMENT_TIMEOUT_MS: '2000',
  DATABASE_LOCK_TIMEOUT_MS: '1000',
  REQUEST_TIMEOUT_MS: '5000',
};
const WORKERS = 4;
// 503s are the subject of these tests; the committed documents do not list them.
const NO_CONTRACT = { contract: false } as const;

function expectUnavailable(res: ApiResponse): void {
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.body).toMatchObject({ status: 503, errorCode: 503 });
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    if (await condition()) {
      return;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

// Generous: a loaded CI machine starts a cluster and two apps slowly.
jest.setTimeout(180_000);

describe('a PostgreSQL server that goes down and comes back', () => {
  let pg: OwnPostgres;
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    pg = await OwnPostgres.create();
    t = await createTestApp({ ...TIMEOUTS, DATABASE_URL: pg.url, DATABASE_POOL_SIZE: '4' });
    token = t.issuer.partner(1);
  });
  afterAll(async () => {
    await t?.close();
    pg?.destroy();
  });

  it('should answer 503 problem+json with Retry-After, lose no acknowledged write and recover', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const answers: { status: number; ms: number }[] = [];
    const acknowledged: number[] = [];
    let stopLoad = false;

    const worker = async () => {
      // Bounded: the load ends when the test says so or after this many requests.
      for (let i = 0; i < 2_000 && !stopLoad; i++) {
        const started = Date.now();
        const created = await t.http.post('/customers/v2/profiles', {
          token,
          body: profileBody({ password: undefined }),
          ...NO_CONTRACT,
        });
        answers.push({ status: created.status, ms: Date.now() - started });
        if (created.status === 201) {
          acknowledged.push(created.body.customerNumber);
        } else {
          expectUnavailable(created);
        }
        const lookupStarted = Date.now();
        const lookup = await t.http.get(`/customers/v2/profiles/${acknowledged[0] ?? 1}`, {
          token,
          ...NO_CONTRACT,
        });
        answers.push({ status: lookup.status, ms: Date.now() - lookupStarted });
        if (lookup.status !== 200 && lookup.status !== 404) {
          expectUnavailable(lookup);
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));

    await until(async () => acknowledged.length >= 10, 'writes before the outage');
    pg.stop();
    await until(async () => answers.filter((a) => a.status === 503).length >= 20, '503s');
    expect((await t.http.get('/health/ready', NO_CONTRACT)).status).toBe(503);
    // The newer routes answer the same way while the server is down.
    const during = await Promise.all([
      t.http.get('/customers/v2/events', { token, ...NO_CONTRACT }),
      t.http.get('/customers/v2/webhooks', { token, ...NO_CONTRACT }),
      t.http.get(`/customers/v2/profiles/${acknowledged[0]}/export`, { token, ...NO_CONTRACT }),
      t.http.get('/customers/v2/exports/profiles', { token, ...NO_CONTRACT }),
    ]);
    during.forEach(expectUnavailable);
    await pg.start();
    await until(
      async () => (await t.http.get('/health/ready', NO_CONTRACT)).status === 200,
      'readiness after the outage',
    );
    const acknowledgedBefore = acknowledged.length;
    await until(async () => acknowledged.length >= acknowledgedBefore + 10, 'writes after');
    stopLoad = true;
    await load;

    // Every request was answered, with a known status.
    expect(answers.every((a) => [200, 201, 404, 503].includes(a.status))).toBe(true);
    // No acknowledged write is lost.
    for (const customerNumber of acknowledged) {
      const res = await t.http.get(`/customers/v2/profiles/${customerNumber}`, { token });
      expect(res.status).toBe(200);
    }
    // One warning for the outage, one line for the recovery, not one per request.
    await until(async () => t.app.get(DatabaseAvailability).available, 'the state flip back');
    const outageWarnings = warn.mock.calls.filter((c) => c[1] === 'database unavailable');
    expect(outageWarnings.length).toBeGreaterThanOrEqual(1);
    expect(outageWarnings.length).toBeLessThanOrEqual(3);
    warn.mockRestore();

    const failed = answers.filter((a) => a.status === 503).map((a) => a.ms);
    if (process.env.DB_OUTAGE_REPORT) {
      failed.sort((a, b) => a - b);
      process.stdout.write(
        `outage: ${failed.length} answers 503, median ${failed[failed.length >> 1]} ms, ` +
          `max ${failed[failed.length - 1]} ms; ${acknowledged.length} writes acknowledged\n`,
      );
    }
  });
});

describe('waits on a busy database end with 503', () => {
  let t: TestApp;
  let token: string;
  let customerNumber: number;

  beforeAll(async () => {
    t = await createTestApp({ ...TIMEOUTS, DATABASE_POOL_SIZE: '2' });
    token = t.issuer.partner(1);
    const created = await t.http.post('/customers/v2/profiles', {
      token,
      body: profileBody({ password: undefined }),
    });
    customerNumber = created.body.customerNumber;
  });
  afterAll(() => t.close());

  const lookup = () =>
    t.http.get(`/customers/v2/profiles/${customerNumber}`, { token, ...NO_CONTRACT });

  it('should end requests at the lock timeout while a transaction locks the table', async () => {
    // On PostgreSQL the lookup waits for the lock (lock_timeout); on the embedded database the
    // locking transaction holds its only connection (acquire timeout).
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('LOCK TABLE profiles IN ACCESS EXCLUSIVE MODE');
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, lookup));
      answers.forEach(expectUnavailable);
      const write = await t.http.post('/customers/v2/profiles', {
        token,
        body: profileBody({ password: undefined }),
        ...NO_CONTRACT,
      });
      expectUnavailable(write);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect((await lookup()).status).toBe(200);
  });

  it('should end the feed, webhook, export and import requests at the lock timeout too', async () => {
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(
      'LOCK TABLE profiles, events, webhook_endpoints, import_jobs IN ACCESS EXCLUSIVE MODE',
    );
    try {
      const requests = [
        t.http.get('/customers/v2/events', { token, ...NO_CONTRACT }),
        t.http.get('/customers/v2/webhooks', { token, ...NO_CONTRACT }),
        t.http.post('/customers/v2/webhooks', {
          token,
          body: { url: 'https://hooks.example.com/busy' },
          ...NO_CONTRACT,
        }),
        t.http.get(`/customers/v2/profiles/${customerNumber}/export`, { token, ...NO_CONTRACT }),
        t.http.get('/customers/v2/exports/profiles', { token, ...NO_CONTRACT }),
        t.http.post('/customers/v2/imports', {
          token,
          headers: { 'content-type': 'application/x-ndjson' },
          rawBody: `${JSON.stringify({ firstName: 'Busy', surname: 'Import' })}\n`,
          ...NO_CONTRACT,
        }),
      ];
      for (const answer of await Promise.all(requests)) {
        expectUnavailable(answer);
      }
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect((await t.http.get('/customers/v2/events', { token })).status).toBe(200);
  });

  it('should end requests at the acquire timeout while every pooled connection is taken', async () => {
    const poolSize = t.dataSource.driver.options.poolSize as number;
    const holders = Array.from({ length: poolSize }, () => t.dataSource.createQueryRunner());
    await Promise.all(holders.map((h) => h.connect()));
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, lookup));
      answers.forEach(expectUnavailable);
      expect((await t.http.get('/health/ready', NO_CONTRACT)).status).toBe(503);
    } finally {
      await Promise.all(holders.map((h) => h.release()));
    }
    expect((await lookup()).status).toBe(200);
    await until(async () => (await t.http.get('/health/ready')).status === 200, 'readiness');
  });
});
