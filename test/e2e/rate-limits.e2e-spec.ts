import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const SEARCH = '/customers/v2/profiles-search';
const CONSENTS = '/customers/v2/consents/consents';

function expectTooManyRequests(res: ApiResponse) {
  expect(res.status).toBe(429);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status: 429, title: 'Too Many Requests', errorCode: 429 });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  // Nothing of the implementation: no class names, no throttler names in headers.
  expect(res.text).not.toMatch(/throttl/i);
  expect([...res.headers.keys()].filter((h) => /throttl|-client$|-default$/i.test(h))).toEqual([]);
}

describe('rate limits', () => {
  describe('per client, across routes', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '6' });
    });
    afterAll(() => t.close());

    it('should give a client one budget for all routes it calls', async () => {
      const token = t.issuer.partner(1, undefined, 'two-routes-client');
      const search = () => t.http.get(SEARCH, { token, query: { surname: 'Nobody' } });
      const consents = () => t.http.get(CONSENTS, { token });
      const statuses = [];
      for (const call of [search, consents, search, consents, search, consents]) {
        statuses.push((await call()).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      expectTooManyRequests(await search());
      expectTooManyRequests(await consents());
      // Another client has a budget of its own.
      const other = t.issuer.partner(1, undefined, 'another-client');
      expect((await t.http.get(CONSENTS, { token: other })).status).toBe(200);
    });
  });

  describe('health and metrics, never limited', () => {
    const LIMIT = 3;
    /** A public route: limited per remote address, like health and metrics would be. */
    const PUBLIC_ROUTE = '/docs/events/asyncapi.json';
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    });
    afterAll(() => t.close());

    const probes = async () => {
      const statuses = [];
      for (let i = 0; i < LIMIT * 3; i++) {
        for (const path of ['/metrics', '/health/ready', '/health/live']) {
          statuses.push(`${path} ${(await t.http.get(path)).status}`);
        }
      }
      return statuses;
    };
    const allOk = (statuses: string[]) => statuses.map((s) => s.replace(/ \d+$/, ' 200'));

    it('should answer every scrape and probe, and not count them against the address', async () => {
      const before = await probes();
      expect(before).toEqual(allOk(before));
      // The address still has its whole budget for a limited route ...
      for (let i = 0; i < LIMIT; i++) {
        expect([i, (await t.http.get(PUBLIC_ROUTE)).status]).toEqual([i, 200]);
      }
      expectTooManyRequests(await t.http.get(PUBLIC_ROUTE));
      // ... and once it is spent, scrapes and probes from it still answer.
      const during = await probes();
      expect(during).toEqual(allOk(during));
    });
  });

  describe('requests failing authentication, per remote address', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ FAILED_AUTH_PER_MINUTE: '5' });
    });
    afterAll(() => t.close());

    it('should answer 429 to a flood without a valid token, whatever X-Forwarded-For claims', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await t.http.get(SEARCH, {
          query: { surname: 'x' },
          headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
        });
        expect([i, res.status]).toEqual([i, 401]);
      }
      expectTooManyRequests(await t.http.get(SEARCH, { query: { surname: 'x' } }));
      expectTooManyRequests(
        await t.http.get(SEARCH, {
          token: 'not.a.token',
          query: { surname: 'x' },
          headers: { 'x-forwarded-for': '198.51.100.7' },
        }),
      );
    });

    it('should still serve a client with a valid token from that address', async () => {
      const res = await t.http.get(SEARCH, {
        token: t.issuer.partner(1),
        query: { surname: 'x' },
      });
      expect(res.status).toBe(200);
    });
  });

  describe('X-Forwarded-For from a proxy in TRUST_PROXY', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        TRUST_PROXY: '127.0.0.1',
        FAILED_AUTH_PER_MINUTE: '3',
      });
    });
    afterAll(() => t.close());

    const probe = (forwardedFor: string) =>
      t.http.get(SEARCH, { query: { surname: 'x' }, headers: { 'x-forwarded-for': forwardedFor } });

    it('should count each forwarded client address on its own', async () => {
      for (let i = 0; i < 3; i++) {
        expect((await probe('203.0.113.10')).status).toBe(401);
      }
      expectTooManyRequests(await probe('203.0.113.10'));
      expect((await probe('203.0.113.11')).status).toBe(401);
    });
  });

  describe('X-Forwarded-For from a peer TRUST_PROXY does not cover', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        TRUST_PROXY: '10.0.0.0/8',
        FAILED_AUTH_PER_MINUTE: '3',
      });
    });
    afterAll(() => t.close());

    it('should ignore the header and count the peer', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await t.http.get(SEARCH, {
          query: { surname: 'x' },
          headers: { 'x-forwarded-for': `203.0.113.${20 + i}` },
        });
        expect(res.status).toBe(401);
      }
      expectTooManyRequests(
        await t.http.get(SEARCH, {
          query: { surname: 'x' },
          headers: { 'x-forwarded-for': '203.0.113.99' },
        }),
      );
    });
  });
});
