import { logDestination } from '../../src/observability/logging.module';
import { ApiResponse } from '../utils/http-client';
import { LogCapture } from '../utils/log-capture';
import { createTestApp, TestApp } from '../utils/test-app';
import { TEST_AUDIENCE } from '../utils/test-issuer';

const SEARCH = '/customers/v2/profiles-search';
const NOT_VERIFIED = 'Access token not verified';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** This instance cannot verify now: the client keeps its token and retries. */
function expectKeysUnavailable(res: ApiResponse): void {
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(30);
  // Nothing that tells the client its credentials are wrong.
  expect(res.headers.get('www-authenticate')).toBeNull();
}

function expectUnauthenticated(res: ApiResponse): void {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
}

/**
 * An issuer whose JWKS cannot be fetched makes a token with a key not yet cached unverifiable,
 * not wrong: 503 with Retry-After. Tokens that are wrong whatever the keys stay 401, and what
 * the caches hold goes on being served.
 */
describe('an issuer whose JWKS cannot be fetched', () => {
  let t: TestApp;
  const logs = new LogCapture();
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, { extraModules: [logDestination(logs)] });
  });
  afterAll(() => t.close());

  const search = (token: string) => t.http.get(SEARCH, { token, query: { surname: 'Nobody' } });

  it('should answer 503 to a valid token of a key it has not cached while the JWKS answers 500', async () => {
    const cached = t.issuer.partner(1);
    expect((await search(cached)).status).toBe(200);
    const rotated = t.issuer.rotate();
    const token = t.issuer.mint({ clientId: 'rotated-client' }, rotated);

    t.issuer.jwksStatus = 500;
    expectKeysUnavailable(await search(token));
    expectKeysUnavailable(await search(token));

    const warning = await logs.find((r) => r.msg === NOT_VERIFIED && r.kid === rotated.kid);
    expect(warning).toMatchObject({
      level: 40,
      reason: 'signing keys unavailable (JWKS unreachable)',
      jwksError: 'HTTP 500',
      clientId: 'rotated-client',
    });
    const [, payload, signature] = token.split('.');
    for (const line of logs.lines) {
      expect(line).not.toContain(payload);
      expect(line).not.toContain(signature);
    }
    const metrics = await t.http.get('/metrics');
    expect(metrics.text).toMatch(/^customers_auth_keys_unavailable_total [2-9]/m);

    // Wrong whatever the keys: still 401, for a cached key and for one that cannot be fetched.
    expectUnauthenticated(
      await search(t.issuer.mint({ kid: t.issuer.rsa.kid }, t.issuer.stranger)),
    );
    expectUnauthenticated(
      await search(t.issuer.mint({ claims: { exp: nowSeconds() - 600 } }, rotated)),
    );
    expectUnauthenticated(
      await search(t.issuer.mint({ claims: { aud: `${TEST_AUDIENCE}/other` } }, rotated)),
    );
    expectUnauthenticated(
      await search(t.issuer.mint({ claims: { iss: 'https://other/' } }, rotated)),
    );
    expectUnauthenticated(await search('not.a.token'));

    // What the caches hold is served: a verified token, and a new token of a cached key.
    expect((await search(cached)).status).toBe(200);
    expect((await search(t.issuer.partner(1, undefined, 'another-client'))).status).toBe(200);

    t.issuer.jwksStatus = 200;
    expect((await search(token)).status).toBe(200);
    // Once the issuer answers, a key it does not list is a wrong token.
    expectUnauthenticated(await search(t.issuer.mint({ kid: 'never-published' })));
  });

  it('should answer 503 while the issuer does not listen, and serve once it is back', async () => {
    const rotated = t.issuer.rotate();
    const token = t.issuer.mint({}, rotated);

    await t.issuer.stop();
    expectKeysUnavailable(await search(token));
    expectUnauthenticated(
      await search(t.issuer.mint({ kid: t.issuer.rsa.kid }, t.issuer.stranger)),
    );
    expect((await search(t.issuer.partner(1))).status).toBe(200);

    await t.issuer.start();
    expect((await search(token)).status).toBe(200);
  });
});

describe('JWKS fetches rate limited while the issuer is down', () => {
  let t: TestApp;
  const logs = new LogCapture();
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'info' }, { extraModules: [logDestination(logs)] });
  });
  afterAll(() => t.close());

  it('should answer 503, not 401: no fetch has said the key is not listed', async () => {
    expect(
      (await t.http.get(SEARCH, { token: t.issuer.partner(1), query: { surname: 'x' } })).status,
    ).toBe(200);
    const token = t.issuer.mint({}, t.issuer.rotate());
    t.issuer.jwksStatus = 500;
    // More lookups than the 10 fetches a minute allowed: the later ones are not even tried.
    for (let i = 0; i < 12; i++) {
      expectKeysUnavailable(await t.http.get(SEARCH, { token, query: { surname: 'x' } }));
    }
    expect(t.issuer.jwksFetches).toBeLessThanOrEqual(10);
    expect(
      await logs.find(
        (r) =>
          r.msg === NOT_VERIFIED &&
          r.reason === 'signing keys unavailable (JWKS fetches rate limited)',
      ),
    ).toMatchObject({ level: 40 });
  });
});
