import { logDestination } from '../../src/observability/logging.module';
import { AUTH_PROBE_PATH as PROBE, AuthProbeModule } from '../utils/auth-probe';
import { ApiResponse } from '../utils/http-client';
import { LogCapture } from '../utils/log-capture';
import { createTestApp, TestApp } from '../utils/test-app';
import { ORGANISATION_CLAIM, TEST_AUDIENCE } from '../utils/test-issuer';

const now = () => Math.floor(Date.now() / 1000);

function expectUnauthenticated(res: ApiResponse): void {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  // The reason is logged, never answered.
  expect(res.body.detail).toBe('The access token is missing or invalid');
}

describe('token checks (default clock tolerance of 60 s)', () => {
  let t: TestApp;
  const logs = new LogCapture();
  beforeAll(async () => {
    t = await createTestApp(
      { LOG_LEVEL: 'info' },
      { extraModules: [AuthProbeModule, logDestination(logs)] },
    );
  });
  afterAll(() => t.close());

  /** The refusal line of the request with this correlation id. */
  const refusalOf = (correlationId: string) =>
    logs.find((r) => r.msg === 'Access token refused' && r.correlationId === correlationId);

  let requests = 0;
  async function probe(token?: string) {
    const correlationId = `token-check-${++requests}`;
    const res = await t.http.get(PROBE, {
      ...(token === undefined ? {} : { token }),
      headers: { 'x-correlation-id': correlationId },
    });
    return { res, correlationId };
  }

  describe('time claims', () => {
    // Claims are made when the test runs, not when the file loads: a slow start must not age them.
    it.each([
      ['a token without exp', () => ({ exp: undefined }), 'missing exp'],
      [
        'a token issued 10 minutes in the future',
        () => ({ iat: now() + 600 }),
        'issued in the future',
      ],
      ['a token valid only in 10 minutes (nbf)', () => ({ nbf: now() + 600 }), 'not yet valid'],
      ['a token expired 10 minutes ago', () => ({ exp: now() - 600 }), 'expired'],
    ])('should refuse %s with 401 and log why', async (_, claims, reason) => {
      const token = t.issuer.mint({ clientId: 'clock-client', claims: claims() });
      const { res, correlationId } = await probe(token);
      expectUnauthenticated(res);
      expect(await refusalOf(correlationId)).toMatchObject({ reason });
    });

    it.each([
      ['issued 30 s in the future (a fast clock)', () => ({ iat: now() + 30 })],
      ['valid from 30 s in the future (nbf)', () => ({ nbf: now() + 30 })],
      ['expired 20 s ago', () => ({ exp: now() - 20 })],
    ])('should accept a token %s, within the tolerance', async (_, claims) => {
      const token = t.issuer.mint({ claims: claims() });
      expect((await probe(token)).res.status).toBe(200);
    });
  });

  describe('the organisation claim', () => {
    it.each([
      ['01'],
      ['1.0'],
      [' 1'],
      ['+1'],
      [1.5],
      [0],
      [-1],
      ['0'],
      [2_147_483_648],
      ['2147483648'],
    ])('should refuse %j with 403 and log why', async (value) => {
      const token = t.issuer.mint({ claims: { [ORGANISATION_CLAIM]: value } });
      const { res, correlationId } = await probe(token);
      expect(res.status).toBe(403);
      expect(res.body.detail).toMatch(/organisation/);
      expect((await refusalOf(correlationId)).reason).toMatch(/organisation/);
    });

    it.each([
      [1, 1],
      ['1', 1],
      ['2', 2],
    ])('should accept %j as organisation %d', async (value, id) => {
      const token = t.issuer.mint({ claims: { [ORGANISATION_CLAIM]: value } });
      const { res } = await probe(token);
      expect(res.status).toBe(200);
      expect(res.body.organisationId).toBe(id);
    });
  });

  describe('the log line of a refusal', () => {
    it.each([
      ['wrong audience', () => t.issuer.mint({ claims: { aud: 'https://other.example' } })],
      ['wrong issuer', () => t.issuer.mint({ claims: { iss: 'https://evil.example/' } })],
      ['unknown key', () => t.issuer.mint({ kid: 'no-such-key' })],
      ['bad signature', () => t.issuer.mint({ unpublishedKey: true, kid: t.issuer.rsa.kid })],
      ['malformed', () => 'abc.def.ghi'],
    ])('should name the reason %s', async (reason, make) => {
      const { res, correlationId } = await probe(make());
      expectUnauthenticated(res);
      expect((await refusalOf(correlationId)).reason).toBe(reason);
    });

    it('should say a token was missing', async () => {
      const { res, correlationId } = await probe();
      expectUnauthenticated(res);
      expect((await refusalOf(correlationId)).reason).toBe('missing token');
    });

    it('should carry the kid, iss, aud and client at info level, and never the token', async () => {
      const token = t.issuer.mint({
        clientId: 'logged-client',
        claims: { exp: now() - 600 },
      });
      const { correlationId } = await probe(token);
      const line = await refusalOf(correlationId);
      expect(line).toMatchObject({
        level: 30,
        reason: 'expired',
        kid: t.issuer.rsa.kid,
        alg: 'RS256',
        iss: t.issuer.issuer,
        aud: TEST_AUDIENCE,
        clientId: 'logged-client',
      });
      const [, payload, signature] = token.split('.');
      for (const text of logs.lines) {
        expect(text).not.toContain(signature);
        expect(text).not.toContain(payload);
      }
    });
  });

  describe('readiness and the issuer JWKS', () => {
    it('should report the last JWKS fetch and stay ready while the issuer is unreachable', async () => {
      const valid = t.issuer.partner(1, ['customers:read']);
      expect((await probe(valid)).res.status).toBe(200);
      const before = await t.http.get('/health/ready');
      expect(before.status).toBe(200);
      expect(before.body.info.jwks).toMatchObject({ status: 'up', reachable: true });

      await t.issuer.stop();
      // An unknown kid makes the service fetch the JWKS again, from an issuer that is gone: the
      // token cannot be verified now (503, see auth-jwks-outage.e2e-spec.ts), it is not refused.
      const { res, correlationId } = await probe(t.issuer.mint({ kid: 'rotated-while-down' }));
      expect(res.status).toBe(503);
      expect(
        await logs.find(
          (r) => r.msg === 'Access token not verified' && r.correlationId === correlationId,
        ),
      ).toMatchObject({ reason: 'signing keys unavailable (JWKS unreachable)' });

      const during = await t.http.get('/health/ready');
      expect(during.status).toBe(200);
      expect(during.body.status).toBe('degraded');
      expect(during.body.details.jwks).toMatchObject({
        status: 'degraded',
        reachable: false,
        lastError: expect.any(String),
      });
      expect(during.body.details.database.status).toBe('up');
      // Known keys are cached: callers go on being served.
      expect((await probe(valid)).res.status).toBe(200);
    });
  });
});

describe('token checks with AUTH_CLOCK_TOLERANCE_SECONDS=0', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(
      { AUTH_CLOCK_TOLERANCE_SECONDS: '0' },
      { extraModules: [AuthProbeModule] },
    );
  });
  afterAll(() => t.close());

  it('should refuse a token issued or valid from 30 s in the future', async () => {
    for (const claims of [{ iat: now() + 30 }, { nbf: now() + 30 }]) {
      expectUnauthenticated(await t.http.get(PROBE, { token: t.issuer.mint({ claims }) }));
    }
    expect((await t.http.get(PROBE, { token: t.issuer.partner(1) })).status).toBe(200);
  });
});
