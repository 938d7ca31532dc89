import { ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { STATUS_CACHE_MS } from '../../src/organisations/organisations.service';
import { AUTH_PROBE_PATH as PROBE, AuthProbeModule } from '../utils/auth-probe';
import { OwnPostgres } from '../utils/own-postgres';
import { createTestApp, TestApp, testDatabaseEnv } from '../utils/test-app';
import { TEST_AUDIENCE } from '../utils/test-issuer';

// Two apps and possibly a PostgreSQL cluster of the test's own start slowly on a loaded machine.
jest.setTimeout(180_000);

const ADMIN_ROUTE = '/customers/v2/organisations';
/** The JWKS cache time of these apps (AUTH_JWKS_CACHE_SECONDS). */
const JWKS_CACHE_SECONDS = 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The caches of the request path (docs/performance.md) must never admit what the full checks
 * refuse. These tests wait for a token or a cache time to run out; they assert outcomes, never
 * durations.
 */
describe('the verified-token cache', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(
      { AUTH_CLOCK_TOLERANCE_SECONDS: '0', AUTH_JWKS_CACHE_SECONDS: String(JWKS_CACHE_SECONDS) },
      { extraModules: [AuthProbeModule] },
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('should refuse an expired token although it was accepted (and cached) before', async () => {
    const exp = nowSeconds() + 2;
    const token = t.issuer.mint({ claims: { exp } });
    expect((await t.http.get(PROBE, { token })).status).toBe(200);
    expect((await t.http.get(PROBE, { token })).status).toBe(200);
    // Until the second after exp has begun: the token is then expired by jsonwebtoken's rule too.
    await sleep(Math.max(0, exp * 1000 - Date.now()) + 50);
    expect((await t.http.get(PROBE, { token })).status).toBe(401);
  });

  it('should refuse a token for another audience while one for this audience is cached', async () => {
    const claims = { exp: nowSeconds() + 600 };
    const ours = t.issuer.mint({ claims });
    expect((await t.http.get(PROBE, { token: ours })).status).toBe(200);
    const theirs = t.issuer.mint({ claims: { ...claims, aud: `${TEST_AUDIENCE}/other` } });
    expect((await t.http.get(PROBE, { token: theirs })).status).toBe(401);
    expect((await t.http.get(PROBE, { token: theirs })).status).toBe(401);
    expect((await t.http.get(PROBE, { token: ours })).status).toBe(200);
  });

  it('should not carry one request’s client name into another’s (the context is per token)', async () => {
    const token = t.issuer.partner(1);
    const first = await t.http.get(PROBE, { token, headers: { 'ET-Client-Name': 'first' } });
    const second = await t.http.get(PROBE, { token, headers: { 'ET-Client-Name': 'second' } });
    expect(first.body.clientName).toBe('first');
    expect(second.body.clientName).toBe('second');
  });

  it('should refuse tokens of a key removed from the JWKS within the JWKS cache time', async () => {
    const rotated = t.issuer.rotate();
    const token = t.issuer.mint({}, rotated);
    expect((await t.http.get(PROBE, { token })).status).toBe(200);
    expect((await t.http.get(PROBE, { token })).status).toBe(200);

    t.issuer.published.splice(t.issuer.published.indexOf(rotated), 1);
    await sleep(JWKS_CACHE_SECONDS * 1000 + 100);

    expect((await t.http.get(PROBE, { token })).status).toBe(401);
    expect((await t.http.get(PROBE, { token: t.issuer.mint({}, rotated) })).status).toBe(401);
    // The keys still published go on working.
    expect((await t.http.get(PROBE, { token: t.issuer.partner(1) })).status).toBe(200);
  });
});

/**
 * Instance A is the test app; instance B is the built service in a process of its own (two Nest
 * apps in one process would share passport's strategy), on the same PostgreSQL and issuer.
 */
describe('the organisation-is-active cache across instances', () => {
  let pg: OwnPostgres | undefined;
  let a: TestApp;
  let b: ChildProcess | undefined;
  let bUrl: string;
  let bOutput = '';

  beforeAll(async () => {
    let url = process.env.TEST_DATABASE_URL;
    if (!url) {
      pg = await OwnPostgres.create();
      url = pg.url;
    }
    a = await createTestApp({ DATABASE_URL: url }, { extraModules: [AuthProbeModule] });
    const port = await freePort();
    bUrl = `http://127.0.0.1:${port}`;
    b = spawn(process.execPath, [resolve(__dirname, '../../dist/src/main.js')], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        ...testDatabaseEnv(),
        DATABASE_URL: url,
        AUTH_ISSUER: a.issuer.issuer,
        AUTH_AUDIENCE: TEST_AUDIENCE,
        DEV_AUTH: 'false',
        EXPIRY_ENABLED: 'false',
        LOG_LEVEL: 'warn',
        LOAD_SHEDDING_MAX_EVENT_LOOP_DELAY_MS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    b.stdout!.on('data', (chunk: Buffer) => (bOutput += chunk.toString()));
    b.stderr!.on('data', (chunk: Buffer) => (bOutput += chunk.toString()));
    for (;;) {
      if (b.exitCode !== null) {
        throw new Error(`instance B exited with ${b.exitCode}:\n${bOutput}`);
      }
      const ready = await fetch(`${bUrl}/health/ready`).catch(() => undefined);
      if (ready?.status === 200) {
        break;
      }
      await sleep(250);
    }
  });
  afterAll(async () => {
    if (b && b.exitCode === null) {
      const exited = new Promise((done) => b!.once('exit', done));
      b.kill('SIGTERM');
      await exited;
    }
    await a?.close();
    pg?.destroy();
  });

  /** A partner route of the built service (the probe route exists only in test apps). */
  const searchOnB = async (organisationId: number) =>
    (
      await fetch(`${bUrl}/customers/v2/profiles-search?email=nobody%40example.com`, {
        headers: { authorization: `Bearer ${a.issuer.partner(organisationId)}` },
      })
    ).status;

  it(`should refuse a deactivated organisation on every instance within ${STATUS_CACHE_MS} ms`, async () => {
    const id = 1_000_000_000 + randomInt(1_000_000_000);
    const created = await a.http.post(ADMIN_ROUTE, {
      token: a.issuer.admin(),
      body: { id, name: 'Deactivated Soon' },
    });
    expect(created.status).toBe(201);
    // Both instances have read (and cached) the organisation as active.
    expect((await a.http.get(PROBE, { token: a.issuer.partner(id) })).status).toBe(200);
    expect(await searchOnB(id)).toBe(200);

    const deactivated = await a.http.patch(`${ADMIN_ROUTE}/${id}`, {
      token: a.issuer.admin(),
      body: { active: false },
    });
    expect(deactivated.status).toBe(200);
    // The instance that made the change refuses at once ...
    expect((await a.http.get(PROBE, { token: a.issuer.partner(id) })).status).toBe(403);
    // ... every other one once its cached status has run out.
    await sleep(STATUS_CACHE_MS + 100);
    expect(await searchOnB(id)).toBe(403);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
