import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { HttpClient } from '../utils/http-client';
import { TestIssuer } from '../utils/test-issuer';

/**
 * docs/identity-provider.md, step by step: the BUILT service started with exactly the variables
 * the page shows, against a Keycloak-like issuer (RS256, JWKS, the organisation in a custom
 * `organisationID` claim, permissions in `scope`).
 */
const MAIN = resolve(__dirname, '../../dist/src/main.js');
const START_TIMEOUT_MS = 120_000;
const AUDIENCE = 'customers-api';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('integrating with a real identity provider (docs/identity-provider.md)', () => {
  jest.setTimeout(2 * START_TIMEOUT_MS);
  const issuer = new TestIssuer();
  let child: ChildProcess | undefined;
  let http: HttpClient;
  let output = '';

  beforeAll(async () => {
    await issuer.start();
    const port = await freePort();
    child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        PGLITE_DATA_DIR: 'memory://',
        // As in the page: the issuer, where its keys are, the audience and the claim.
        AUTH_ISSUER: issuer.issuer,
        AUTH_JWKS_URI: `${issuer.issuer}.well-known/jwks.json`,
        AUTH_AUDIENCE: AUDIENCE,
        AUTH_ORGANISATION_CLAIM: 'organisationID',
        ORGANISATIONS: '1:Entur,2:Vy',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    http = new HttpClient(`http://127.0.0.1:${port}`);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline && child.exitCode === null) {
      const ready = await http.get('/health/ready').catch(() => undefined);
      if (ready?.status === 200) {
        return;
      }
      await new Promise((done) => setTimeout(done, 250));
    }
    throw new Error(`the service did not start:\n${output}`);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((done) => child!.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    await issuer.stop();
  });

  /** A client-credentials token as Keycloak signs it, with a protocol mapper for the claim. */
  function keycloakToken(organisationId: number, scope: string): string {
    return issuer.mint({
      organisationId: null,
      scope,
      claims: { aud: AUDIENCE, organisationID: organisationId, permissions: undefined },
    });
  }

  it('should turn the development issuer off and accept the provider tokens', async () => {
    expect((await http.post('/oauth/token', { body: {}, contract: false })).status).toBe(404);
    expect(output).not.toContain('demo-1-secret');

    const token = keycloakToken(1, 'customers:read customers:write');
    const created = await http.post('/customers/v2/profiles', {
      token,
      body: { firstName: 'Kari', surname: 'Nordmann', createdBy: 'idp', createdByChannel: 'docs' },
    });
    expect(created.status).toBe(201);
    expect(created.body.organisationId).toBe(1);

    const otherOrganisation = keycloakToken(2, 'customers:read');
    const hidden = await http.get(`/customers/v2/profiles/${created.body.customerNumber}`, {
      token: otherOrganisation,
    });
    expect(hidden.status).toBe(404);
  });

  it('should refuse a token for another audience and a scope without the permission', async () => {
    const wrongAudience = issuer.mint({
      organisationId: null,
      claims: { aud: 'another-api', organisationID: 1 },
    });
    expect(
      (await http.get('/customers/v2/profiles-search?surname=N*', { token: wrongAudience })).status,
    ).toBe(401);
    const readOnly = keycloakToken(1, 'customers:read');
    const write = await http.post('/customers/v2/profiles', {
      token: readOnly,
      body: { firstName: 'Kari', surname: 'Nordmann', createdBy: 'idp', createdByChannel: 'docs' },
    });
    expect(write.status).toBe(403);
  });
});
