import { profileBody } from '../factories/profile.factory';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

// 503s are the subject of these tests; the committed documents do not list them.
const NO_CONTRACT = { contract: false } as const;

function expectUnavailable(res: ApiResponse, detail: RegExp): void {
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.body).toMatchObject({
    status: 503,
    errorCode: 503,
    detail: expect.stringMatching(detail),
  });
}

describe('the request timeout', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Longer database waits than the request may take: the request timeout ends it first.
    t = await createTestApp({
      REQUEST_TIMEOUT_MS: '2000',
      DATABASE_ACQUIRE_TIMEOUT_MS: '20000',
      DATABASE_LOCK_TIMEOUT_MS: '20000',
      DATABASE_STATEMENT_TIMEOUT_MS: '20000',
    });
  });
  afterAll(() => t.close());

  it('should end a request that waits too long with 503 problem+json', async () => {
    const token = t.issuer.partner(1);
    const created = await t.http.post('/customers/v2/profiles', {
      token,
      body: profileBody({ password: undefined }),
    });
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('LOCK TABLE profiles IN ACCESS EXCLUSIVE MODE');
    try {
      const res = await t.http.get(`/customers/v2/profiles/${created.body.customerNumber}`, {
        token,
        ...NO_CONTRACT,
      });
      expectUnavailable(res, /longer than the 2000 ms/);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  });
});

describe('load shedding', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A heap limit every process exceeds: the service is "under pressure" from the first sample.
    t = await createTestApp({ LOAD_SHEDDING_MAX_HEAP_USED_MB: '1' });
  });
  afterAll(() => t.close());

  it('should answer 503 problem+json under pressure and keep answering health checks', async () => {
    const token = t.issuer.partner(1);
    let res = await t.http.get('/customers/v2/profiles/1', { token, ...NO_CONTRACT });
    // The first sample of the heap is taken a moment after start-up.
    for (let tries = 0; res.status !== 503 && tries < 100; tries++) {
      await new Promise((done) => setTimeout(done, 100));
      res = await t.http.get('/customers/v2/profiles/1', { token, ...NO_CONTRACT });
    }
    expectUnavailable(res, /overloaded/);
    expect((await t.http.get('/health/live')).status).toBe(200);
    expect((await t.http.get('/health/ready')).status).toBe(200);
  });
});
