import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { ApiResponse } from '../utils/http-client';
import { AUTH_PROBE_PATH as PROBE, AuthProbeModule } from '../utils/auth-probe';
import { createTestApp, TestApp } from '../utils/test-app';
import { ORGANISATION_CLAIM, TEST_AUDIENCE } from '../utils/test-issuer';

const ADMIN_ROUTE = '/customers/v2/organisations';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A forged token: any header, claims and signature, no library refusing to make it. */
function forge(header: Record<string, unknown>, claims: Record<string, unknown>, secret?: string) {
  const unsigned = `${base64url(header)}.${base64url(claims)}`;
  const signature = secret ? createHmac('sha256', secret).update(unsigned).digest('base64url') : '';
  return `${unsigned}.${signature}`;
}

/** An organisation id no suite registers (the PostgreSQL database is shared between suites). */
function unusedOrganisationId(): number {
  return 1_000_000_000 + randomInt(1_000_000_000);
}

function expectUnauthenticated(res: ApiResponse): void {
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  // One answer for every way a token can be wrong: nothing for a prober to tell apart.
  expect(res.body).toMatchObject({
    status: 401,
    detail: 'The access token is missing or invalid',
    instance: expect.any(String),
  });
  expect(res.body.correlationId).toEqual(expect.any(String));
}

function expectForbidden(res: ApiResponse, detail?: RegExp): void {
  expect(res.status).toBe(403);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.status).toBe(403);
  if (detail) {
    expect(res.body.detail).toMatch(detail);
  }
}

describe('authentication and authorisation', () => {
  let t: TestApp;
  let claims: () => Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp({}, { extraModules: [AuthProbeModule] });
    const now = Math.floor(Date.now() / 1000);
    claims = () => ({
      iss: t.issuer.issuer,
      aud: TEST_AUDIENCE,
      sub: 'forger@clients',
      azp: 'forger',
      permissions: ['customers:read', 'customers:admin'],
      [ORGANISATION_CLAIM]: 1,
      iat: now,
      exp: now + 3600,
    });
  });
  afterAll(() => t.close());

  describe('valid tokens', () => {
    it('should accept an RS256 partner token on a partner route and expose its context', async () => {
      const res = await t.http.get(PROBE, {
        token: t.issuer.partner(2, ['customers:read'], 'partner-two'),
        headers: { 'et-client-name': 'ticket-office' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        organisationId: 2,
        clientId: 'partner-two',
        clientName: 'ticket-office',
        permissions: ['customers:read'],
      });
    });

    it('should accept an RS256 admin token on the organisation registry', async () => {
      const res = await t.http.get(ADMIN_ROUTE, { token: t.issuer.admin() });
      expect(res.status).toBe(200);
    });

    it('should accept an ES256 token', async () => {
      const token = t.issuer.mint({ algorithm: 'ES256', permissions: ['customers:read'] });
      expect((await t.http.get(PROBE, { token })).status).toBe(200);
    });

    it('should read permissions from the space-separated scope claim', async () => {
      const token = t.issuer.mint({ permissions: [], scope: 'openid customers:read profile' });
      const res = await t.http.get(PROBE, { token });
      expect(res.status).toBe(200);
      expect(res.body.permissions).toEqual(['customers:read', 'openid', 'profile']);
      const admin = t.issuer.mint({ permissions: [], scope: 'customers:admin' });
      expect((await t.http.get(ADMIN_ROUTE, { token: admin })).status).toBe(200);
    });

    it('should accept a numeric string organisation claim', async () => {
      const token = t.issuer.mint({ claims: { [ORGANISATION_CLAIM]: '2' } });
      const res = await t.http.get(PROBE, { token });
      expect(res.status).toBe(200);
      expect(res.body.organisationId).toBe(2);
    });

    it('should pick up a rotated signing key without a restart', async () => {
      const before = await t.http.get(PROBE, { token: t.issuer.partner(1) });
      expect(before.status).toBe(200);
      const rotated = t.issuer.rotate();
      const token = t.issuer.mint({ permissions: ['customers:read'] }, rotated);
      const res = await t.http.get(PROBE, { token });
      expect(res.status).toBe(200);
      // The old key keeps working while the issuer still publishes it.
      expect((await t.http.get(PROBE, { token: t.issuer.partner(1) })).status).toBe(200);
    });
  });

  describe('401 for every way a token can be wrong', () => {
    const cases: [string, (t: TestApp, claims: () => Record<string, unknown>) => string | null][] =
      [
        ['no Authorization header', () => null],
        ['a token that is not a JWT', () => 'not-a-jwt'],
        ['a token with garbage segments', () => 'abc.def.ghi'],
        ['an expired token', (t) => t.issuer.mint({ claims: { exp: nowSeconds() - 600 } })],
        [
          'a token that is not yet valid (nbf)',
          (t) => t.issuer.mint({ claims: { nbf: nowSeconds() + 600 } }),
        ],
        ['a token of another issuer', (t) => t.issuer.mint({ claims: { iss: 'https://evil/' } })],
        [
          'a token for another audience',
          (t) => t.issuer.mint({ claims: { aud: 'https://other' } }),
        ],
        [
          'an unsigned token (alg: none)',
          (t, claims) => forge({ alg: 'none', typ: 'JWT', kid: t.issuer.rsa.kid }, claims()),
        ],
        [
          'an HS256 token signed with the RSA public key as secret',
          (t, claims) =>
            forge(
              { alg: 'HS256', typ: 'JWT', kid: t.issuer.rsa.kid },
              claims(),
              t.issuer.rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
            ),
        ],
        [
          'an HS256 token without kid signed with the RSA public key as secret',
          (t, claims) =>
            forge(
              { alg: 'HS256', typ: 'JWT' },
              claims(),
              t.issuer.rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
            ),
        ],
        ['a token with an unknown kid', (t) => t.issuer.mint({ kid: 'no-such-key' })],
        ['a token signed by an unpublished key', (t) => t.issuer.mint({ unpublishedKey: true })],
        [
          'a token signed by an unpublished key under a published kid',
          (t) => t.issuer.mint({ unpublishedKey: true, kid: t.issuer.rsa.kid }),
        ],
        [
          'a token whose payload was altered after signing',
          (t) => {
            const [header, , signature] = t.issuer.mint().split('.');
            return `${header}.${base64url({ ...claims(), [ORGANISATION_CLAIM]: 2 })}.${signature}`;
          },
        ],
      ];

    it.each(cases)('should refuse %s on a partner route', async (_, make) => {
      const token = make(t, claims);
      const res = await t.http.get(PROBE, token === null ? {} : { token });
      expectUnauthenticated(res);
    });

    it.each(cases)('should refuse %s on an admin route', async (_, make) => {
      const token = make(t, claims);
      const res = await t.http.get(ADMIN_ROUTE, token === null ? {} : { token });
      expectUnauthenticated(res);
    });

    it('should refuse another authorisation scheme', async () => {
      const res = await t.http.get(PROBE, {
        headers: {
          authorization: `Basic ${Buffer.from('demo-1:demo-1-secret').toString('base64')}`,
        },
      });
      expectUnauthenticated(res);
    });

    it('should refuse a bearer header without a token', async () => {
      expectUnauthenticated(await t.http.get(PROBE, { headers: { authorization: 'Bearer ' } }));
    });
  });

  describe('403 for a valid token that may not do this', () => {
    it('should refuse a partner token lacking the permission of the route', async () => {
      const token = t.issuer.partner(1, ['consents:read', 'customers:write']);
      expectForbidden(await t.http.get(PROBE, { token }), /customers:read/);
    });

    it('should refuse a partner token on the organisation registry', async () => {
      expectForbidden(await t.http.get(ADMIN_ROUTE, { token: t.issuer.partner(1) }));
    });

    it('should refuse an admin token on a partner route', async () => {
      expectForbidden(await t.http.get(PROBE, { token: t.issuer.admin() }));
    });

    it('should refuse a token without the organisation claim', async () => {
      const token = t.issuer.mint({ organisationId: null });
      expectForbidden(await t.http.get(PROBE, { token }), /organisation/);
      const admin = t.issuer.mint({ organisationId: null, permissions: ['customers:admin'] });
      expectForbidden(await t.http.get(ADMIN_ROUTE, { token: admin }), /organisation/);
    });

    it.each([
      ['abc'],
      [-1],
      [0],
      [1.5],
      [true],
      [[1]],
      [''],
      ['1e3'],
      [{ id: 1 }],
      [2 ** 31],
      [' 1'],
    ])('should refuse a token whose organisation claim is %j', async (value) => {
      const token = t.issuer.mint({ claims: { [ORGANISATION_CLAIM]: value } });
      expectForbidden(await t.http.get(PROBE, { token }), /organisation/);
    });

    it('should refuse a partner of an unregistered organisation, naming it', async () => {
      const id = unusedOrganisationId();
      expectForbidden(
        await t.http.get(PROBE, { token: t.issuer.partner(id) }),
        new RegExp(`Organisation ${id}`),
      );
    });

    it('should refuse a partner of a deactivated organisation, and admit it once reactivated', async () => {
      const admin = t.issuer.admin();
      const id = unusedOrganisationId();
      const created = await t.http.post(ADMIN_ROUTE, {
        token: admin,
        body: { id, name: 'Soon Inactive' },
      });
      expect(created.status).toBe(201);
      const partner = t.issuer.partner(id);
      expect((await t.http.get(PROBE, { token: partner })).status).toBe(200);

      const deactivated = await t.http.patch(`${ADMIN_ROUTE}/${id}`, {
        token: admin,
        body: { active: false },
      });
      expect(deactivated.status).toBe(200);
      expectForbidden(
        await t.http.get(PROBE, { token: partner }),
        new RegExp(`Organisation ${id}`),
      );

      await t.http.patch(`${ADMIN_ROUTE}/${id}`, { token: admin, body: { active: true } });
      expect((await t.http.get(PROBE, { token: partner })).status).toBe(200);
    });

    it('should let an admin manage the registry whatever its own organisation', async () => {
      const token = t.issuer.mint({
        organisationId: unusedOrganisationId(),
        permissions: ['customers:admin'],
      });
      expect((await t.http.get(ADMIN_ROUTE, { token })).status).toBe(200);
    });
  });
});

describe('JWKS fetching under a flood of unknown key ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { extraModules: [AuthProbeModule] });
  });
  afterAll(() => t.close());

  it('should refuse 50 random-kid tokens with only a handful of JWKS fetches', async () => {
    const valid = t.issuer.partner(1, ['customers:read']);
    expect((await t.http.get(PROBE, { token: valid })).status).toBe(200);
    const before = t.issuer.jwksFetches;

    const tokens = Array.from({ length: 50 }, () =>
      t.issuer.mint({ kid: randomBytes(8).toString('hex') }),
    );
    const responses = await Promise.all(tokens.map((token) => t.http.get(PROBE, { token })));
    for (const res of responses) {
      expectUnauthenticated(res);
    }
    const fetches = t.issuer.jwksFetches - before;
    expect(fetches).toBeLessThanOrEqual(10);

    // The known key is served from the cache, so real traffic goes on during the flood.
    expect((await t.http.get(PROBE, { token: valid })).status).toBe(200);
  });
});

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
