import { profileBody } from '../factories/profile.factory';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const ALLOWED = 'https://app.example';
const PROFILES = '/customers/v2/profiles';
const REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'if-match',
  'if-none-match',
  'idempotency-key',
  'x-correlation-id',
  'et-client-name',
];
const EXPOSED = [
  'etag',
  'location',
  'retry-after',
  'x-correlation-id',
  'deprecation',
  'sunset',
  'link',
];

function corsHeaders(res: ApiResponse): string[] {
  return [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));
}

function listed(res: ApiResponse, header: string): string[] {
  return (res.headers.get(header) ?? '').split(',').map((v) => v.trim().toLowerCase());
}

describe('CORS with CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: `${ALLOWED}, https://admin.example` });
  });
  afterAll(() => t.close());

  const preflight = (origin: string, method: string, path = `${PROFILES}/10000001`) =>
    t.http.request('OPTIONS', path, {
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': REQUEST_HEADERS.join(','),
      },
    });

  it.each(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'])(
    'should let an allowed origin %s with every request header the API reads',
    async (method) => {
      const res = await preflight(ALLOWED, method);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(listed(res, 'access-control-allow-methods')).toContain(method.toLowerCase());
      expect(listed(res, 'access-control-allow-headers')).toEqual(
        expect.arrayContaining(REQUEST_HEADERS),
      );
    },
  );

  it('should expose the response headers a browser client needs', async () => {
    const token = t.issuer.partner(1);
    const res = await t.http.post(PROFILES, {
      token,
      body: profileBody({ password: undefined }),
      headers: { origin: ALLOWED },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(listed(res, 'access-control-expose-headers')).toEqual(expect.arrayContaining(EXPOSED));
    // What the browser may then read: the new profile's address and version.
    expect(res.headers.get('location')).toMatch(/^\/customers\/v2\/profiles\/\d+$/);
    expect(res.headers.get('etag')).toBeTruthy();
  });

  it.each(['PATCH', 'DELETE', 'GET'])(
    'should answer a %s preflight of another origin without any CORS header',
    async (method) => {
      const res = await preflight('https://evil.example', method);
      expect(corsHeaders(res)).toEqual([]);
    },
  );

  it('should send no CORS header on a request of another origin or of none', async () => {
    const token = t.issuer.partner(1);
    const requests: Record<string, string>[] = [{ origin: 'https://evil.example' }, {}];
    for (const headers of requests) {
      const res = await t.http.get(`${PROFILES}/10000001`, { token, headers });
      expect(corsHeaders(res)).toEqual([]);
    }
  });

  it('should not take an origin that only starts like an allowed one', async () => {
    const res = await preflight(`${ALLOWED}.evil.example`, 'DELETE');
    expect(corsHeaders(res)).toEqual([]);
  });
});
