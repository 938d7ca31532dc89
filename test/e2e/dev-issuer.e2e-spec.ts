import { createServer } from 'node:net';
import { decode } from 'jsonwebtoken';
import { AUTH_PROBE_PATH, AuthProbeModule } from '../utils/auth-probe';
import { createTestApp, TestApp } from '../utils/test-app';

const ORGANISATION_CLAIM = 'https://entur.io/organisationID';
const DEV_AUDIENCE = 'https://api.customers.local';

/** A port free right now: the development issuer's `iss` and JWKS address contain it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function form(values: Record<string, string>) {
  return {
    rawBody: new URLSearchParams(values).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

describe('development token issuer (embedded default)', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // No AUTH_ISSUER: the embedded default, where the development issuer is on by itself.
    t = await createTestApp(
      { PORT: String(port), AUTH_ISSUER: '', AUTH_AUDIENCE: '' },
      { extraModules: [AuthProbeModule] },
    );
  });
  afterAll(() => t.close());

  async function token(clientId: string, secret = `${clientId}-secret`): Promise<string> {
    const res = await t.http.post('/oauth/token', {
      body: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
    });
    expect(res.status).toBe(200);
    return res.body.access_token;
  }

  it('should issue a token for a JSON client-credentials request, shaped as Auth0 does', async () => {
    const res = await t.http.post('/oauth/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: 'demo-1',
        client_secret: 'demo-1-secret',
        audience: DEV_AUDIENCE,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: expect.any(Number),
    });
    const claims = decode(res.body.access_token) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: `http://localhost:${port}/`,
      aud: DEV_AUDIENCE,
      azp: 'demo-1',
      [ORGANISATION_CLAIM]: 1,
    });
  });

  it('should issue a token for a form-encoded request', async () => {
    const res = await t.http.post(
      '/oauth/token',
      form({
        grant_type: 'client_credentials',
        client_id: 'demo-2',
        client_secret: 'demo-2-secret',
        audience: DEV_AUDIENCE,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('Bearer');
    expect(decode(res.body.access_token)).toMatchObject({ [ORGANISATION_CLAIM]: 2 });
  });

  it('should take the client credentials from HTTP Basic auth, as Swagger UI sends them', async () => {
    const basic = Buffer.from('demo-1:demo-1-secret').toString('base64');
    const request = form({ grant_type: 'client_credentials', scope: '' });
    const res = await t.http.post('/oauth/token', {
      ...request,
      headers: { ...request.headers, authorization: `Basic ${basic}` },
    });
    expect(res.status).toBe(200);
    expect(decode(res.body.access_token)).toMatchObject({
      [ORGANISATION_CLAIM]: 1,
      aud: DEV_AUDIENCE,
    });

    const wrong = Buffer.from('demo-1:demo-2-secret').toString('base64');
    const refused = await t.http.post('/oauth/token', {
      ...request,
      headers: { ...request.headers, authorization: `Basic ${wrong}` },
    });
    expect(refused.status).toBe(401);
  });

  it('should serve the public key that verifies its tokens', async () => {
    const jwks = await t.http.get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    const header = decode(await token('demo-1'), { complete: true })!.header;
    expect(header.alg).toBe('RS256');
    expect(jwks.body.keys).toEqual([
      expect.objectContaining({ kid: header.kid, kty: 'RSA', alg: 'RS256', use: 'sig' }),
    ]);
    // Only the public half is published.
    expect(jwks.body.keys[0]).not.toHaveProperty('d');
  });

  it('should let demo-admin use the organisation registry with its token', async () => {
    const res = await t.http.get('/customers/v2/organisations', {
      token: await token('demo-admin'),
    });
    expect(res.status).toBe(200);
    expect(res.body.map((o: { id: number }) => o.id)).toEqual(expect.arrayContaining([1, 2]));
  });

  it('should bind demo-1 to organisation 1 and demo-2 to organisation 2 with every partner permission', async () => {
    for (const [client, organisationId] of [
      ['demo-1', 1],
      ['demo-2', 2],
    ] as const) {
      const res = await t.http.get(AUTH_PROBE_PATH, { token: await token(client) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        organisationId,
        clientId: client,
        permissions: [
          'consents:read',
          'consents:write',
          'customers:export',
          'customers:import',
          'customers:read',
          'customers:write',
          'webhooks:manage',
        ],
      });
    }
  });

  it('should not give partner clients the admin permission', async () => {
    const res = await t.http.get('/customers/v2/organisations', { token: await token('demo-1') });
    expect(res.status).toBe(403);
  });

  it('should refuse a wrong secret and an unknown client with 401', async () => {
    for (const [clientId, secret] of [
      ['demo-1', 'demo-2-secret'],
      ['demo-1', 'demo-1-secret-and-more'],
      ['nobody', 'nobody-secret'],
    ]) {
      const res = await t.http.post('/oauth/token', {
        body: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body).not.toHaveProperty('access_token');
    }
  });

  it('should refuse another grant type, a foreign audience and a missing secret with 400', async () => {
    const bodies = [
      { grant_type: 'password', client_id: 'demo-1', client_secret: 'demo-1-secret' },
      {
        grant_type: 'client_credentials',
        client_id: 'demo-1',
        client_secret: 'demo-1-secret',
        audience: 'https://elsewhere',
      },
      { grant_type: 'client_credentials', client_id: 'demo-1' },
    ];
    for (const body of bodies) {
      const res = await t.http.post('/oauth/token', { body });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });
});

describe('development token issuer beside a real issuer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should be off when AUTH_ISSUER is configured', async () => {
    const res = await t.http.post('/oauth/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: 'demo-1',
        client_secret: 'demo-1-secret',
      },
    });
    expect(res.status).toBe(404);
    expect((await t.http.get('/.well-known/jwks.json')).status).toBe(404);
  });
});
