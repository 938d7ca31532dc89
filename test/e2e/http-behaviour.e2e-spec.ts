import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ORGANISATIONS = '/customers/v2/organisations';

/** Every error body of this file, checked at the end for leaks. */
const errorBodies: string[] = [];
function remember(res: ApiResponse): ApiResponse {
  if (res.status >= 400) {
    errorBodies.push(res.text);
  }
  return res;
}

function expectProblem(res: ApiResponse, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    correlationId: res.headers.get('x-correlation-id'),
  });
}

describe('HTTP behaviour common to all endpoints', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = t.issuer.admin();
  });
  afterAll(() => t.close());

  describe('correlation id', () => {
    it('should echo a well-formed X-Correlation-Id', async () => {
      const res = await t.http.get(`${ORGANISATIONS}/1`, {
        token: admin,
        headers: { 'x-correlation-id': 'partner-req-42' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-correlation-id')).toBe('partner-req-42');
    });

    it('should generate one when the request has none', async () => {
      const res = await t.http.get(`${ORGANISATIONS}/1`, { token: admin });
      expect(res.headers.get('x-correlation-id')).toMatch(UUID);
    });

    it('should replace a malformed one', async () => {
      const res = remember(
        await t.http.get(`${ORGANISATIONS}/1`, {
          headers: { 'x-correlation-id': 'bad id <script>alert(1)</script>' },
        }),
      );
      expect(res.headers.get('x-correlation-id')).toMatch(UUID);
      expect(res.text).not.toContain('<script>');
    });

    it('should put the correlation id into problem bodies', async () => {
      const res = remember(
        await t.http.get(`${ORGANISATIONS}/999999`, {
          token: admin,
          headers: { 'x-correlation-id': 'trace-me-1' },
        }),
      );
      expectProblem(res, 404);
      expect(res.body.correlationId).toBe('trace-me-1');
      expect(res.body.instance).toBe(`${ORGANISATIONS}/999999`);
    });
  });

  describe('security headers', () => {
    it.each([`${ORGANISATIONS}/1`, '/health/live', '/customers/v2/does-not-exist'])(
      'should send helmet headers on %s',
      async (path) => {
        const res = remember(await t.http.get(path, { token: admin }));
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('strict-transport-security')).toContain('max-age=');
        expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(res.headers.get('x-powered-by')).toBeNull();
      },
    );
  });

  describe('CORS by default', () => {
    it('should allow no browser origin', async () => {
      const res = await t.http.get(`${ORGANISATIONS}/1`, {
        token: admin,
        headers: { origin: 'https://app.example' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('should not answer a preflight with CORS headers', async () => {
      const res = await t.http.request('OPTIONS', ORGANISATIONS, {
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('bad requests', () => {
    it('should answer malformed JSON with 400 problem+json and write nothing', async () => {
      const res = remember(
        await t.http.post(ORGANISATIONS, {
          token: admin,
          rawBody: '{"id": 41, "name": "Broken',
          headers: { 'content-type': 'application/json' },
        }),
      );
      expectProblem(res, 400);
      expect(res.body.detail).toBe('The request body is not valid JSON');
      expect((await t.http.get(`${ORGANISATIONS}/41`, { token: admin })).status).toBe(404);
    });

    it('should answer an empty JSON body with 400', async () => {
      const res = remember(
        await t.http.post(ORGANISATIONS, {
          token: admin,
          rawBody: '',
          headers: { 'content-type': 'application/json' },
        }),
      );
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it('should answer a text/plain body on a /customers POST with 415', async () => {
      const res = remember(
        await t.http.post(ORGANISATIONS, {
          token: admin,
          rawBody: 'id=42&name=Plain',
          headers: { 'content-type': 'text/plain' },
        }),
      );
      expectProblem(res, 415);
      expect((await t.http.get(`${ORGANISATIONS}/42`, { token: admin })).status).toBe(404);
    });

    it('should answer a form body on a /customers POST with 415', async () => {
      const res = remember(
        await t.http.post(ORGANISATIONS, {
          token: admin,
          rawBody: 'id=43&name=Form',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      );
      expectProblem(res, 415);
    });

    it('should answer a body over 100 kB with 413', async () => {
      const res = remember(
        await t.http.post(ORGANISATIONS, {
          token: admin,
          body: { id: 44, name: 'x'.repeat(101 * 1024) },
        }),
      );
      expectProblem(res, 413);
      expect((await t.http.get(`${ORGANISATIONS}/44`, { token: admin })).status).toBe(404);
    });

    it('should accept a body just under the limit up to validation', async () => {
      const res = remember(
        await t.http.post(ORGANISATIONS, {
          token: admin,
          body: { id: 45, name: 'x'.repeat(99 * 1024) },
        }),
      );
      // Too long a name, but parsed: the validator answers, not the body limit.
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'name' })]);
    });

    it('should answer an unknown field with 400 naming it', async () => {
      const res = remember(
        await t.http.post(ORGANISATIONS, {
          token: admin,
          body: { id: 46, name: 'Extra', organisationSecret: 'x' },
        }),
      );
      expectProblem(res, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'organisationSecret' })]);
    });

    it('should answer an out-of-range id with 400, not a database error', async () => {
      const res = remember(await t.http.get(`${ORGANISATIONS}/99999999999999`, { token: admin }));
      expectProblem(res, 400);
    });

    it('should answer an unknown route with 404 problem+json', async () => {
      const res = remember(await t.http.get('/customers/v2/no-such-thing', { token: admin }));
      expectProblem(res, 404);
      const root = remember(await t.http.get('/no-such-thing'));
      expectProblem(root, 404);
    });

    it('should answer an unsupported method with a 4xx problem', async () => {
      const res = remember(await t.http.delete(ORGANISATIONS, { token: admin }));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('with CORS_ORIGINS and RATE_LIMIT_PER_MINUTE set', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await createTestApp({
        CORS_ORIGINS: 'https://app.example, https://admin.example',
        RATE_LIMIT_PER_MINUTE: '5',
      });
    });
    afterAll(() => limited.close());

    const tokenFor = (clientId: string) =>
      limited.issuer.mint({ organisationId: 1, permissions: ['customers:admin'], clientId });

    it('should allow a listed origin and expose the service headers', async () => {
      const res = await limited.http.get(`${ORGANISATIONS}/1`, {
        token: tokenFor('cors-client'),
        headers: { origin: 'https://admin.example' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://admin.example');
      expect(res.headers.get('access-control-expose-headers')).toContain('X-Correlation-Id');
    });

    it('should answer a preflight of a listed origin', async () => {
      const res = await limited.http.request('OPTIONS', ORGANISATIONS, {
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    });

    it('should not allow an origin that is not listed', async () => {
      const res = await limited.http.get(`${ORGANISATIONS}/1`, {
        token: tokenFor('cors-client-2'),
        headers: { origin: 'https://evil.example' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('should answer the 6th request of a client in a minute with 429 and Retry-After', async () => {
      const token = tokenFor('busy-client');
      for (let i = 1; i <= 5; i++) {
        expect([i, (await limited.http.get(`${ORGANISATIONS}/1`, { token })).status]).toEqual([
          i,
          200,
        ]);
      }
      const res = remember(await limited.http.get(`${ORGANISATIONS}/1`, { token }));
      expectProblem(res, 429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    });

    it('should not limit another client', async () => {
      const res = await limited.http.get(`${ORGANISATIONS}/1`, { token: tokenFor('quiet-client') });
      expect(res.status).toBe(200);
    });

    it('should limit a client whatever organisation its tokens name', async () => {
      const token = limited.issuer.mint({
        organisationId: 2,
        permissions: ['customers:admin'],
        clientId: 'busy-client',
      });
      expect((await limited.http.get(`${ORGANISATIONS}/1`, { token })).status).toBe(429);
    });
  });

  it('should never leak a stack trace, SQL or internals in an error body', () => {
    expect(errorBodies.length).toBeGreaterThan(10);
    for (const body of errorBodies) {
      expect(body).not.toMatch(
        /\n\s+at |node_modules|\.ts:\d+|QueryFailedError|SELECT |INSERT |UPDATE |syntax error|relation "|stack/i,
      );
    }
  });
});
