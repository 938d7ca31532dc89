import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HttpClient } from '../utils/http-client';

/**
 * `npm start` on a fresh clone: the BUILT service (the README's test command builds first), started
 * as a child process in an empty folder with no configuration but PORT. It must come up on the
 * embedded database with the development issuer, serve the docs and issue working tokens.
 */
const MAIN = resolve(__dirname, '../../dist/src/main.js');
const START_TIMEOUT_MS = 120_000;

interface Started {
  child: ChildProcess;
  http: HttpClient;
  output: () => string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Only what a shell needs to find node: no inherited configuration reaches the service. */
function bareEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
}

function run(
  cwd: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: bareEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
}

async function start(
  cwd: string,
  port: number,
  env: Record<string, string> = {},
): Promise<Started> {
  const { child, output } = run(cwd, { PORT: String(port), ...env });
  const http = new HttpClient(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the service exited with ${child.exitCode}:\n${output()}`);
    }
    const ready = await http.get('/health/ready').catch(() => undefined);
    if (ready?.status === 200) {
      return { child, http, output };
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`the service was not ready within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

/** Waits for the banner, printed right after the port opens. */
async function bannerOf(started: Started, marker: string): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!started.output().includes(marker) && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 100));
  }
  return started.output();
}

/** Runs a printed command as a person pasting it would: through a POSIX shell. */
function shell(command: string): Promise<string> {
  return new Promise<string>((done, fail) =>
    execFile('sh', ['-c', command], { timeout: 30_000 }, (error, stdout) =>
      error ? fail(new Error(`${command} failed: ${error.message}`)) : done(stdout),
    ),
  );
}

async function stop(started: Started): Promise<void> {
  started.child.kill('SIGTERM');
  await exited(started.child);
}

async function token(http: HttpClient, clientId: string): Promise<string> {
  const res = await http.post('/oauth/token', {
    body: {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: `${clientId}-secret`,
    },
  });
  expect(res.status).toBe(200);
  return res.body.access_token;
}

describe('start-up of the built service with no configuration', () => {
  jest.setTimeout(4 * START_TIMEOUT_MS);
  const cwd = mkdtempSync(join(tmpdir(), 'customers-start-'));
  let service: Started | undefined;

  beforeAll(() => {
    if (!existsSync(MAIN)) {
      throw new Error(`${MAIN} is missing: run \`npm run build\` first (\`npm test\` does)`);
    }
  });
  afterAll(async () => {
    if (service) {
      await stop(service);
    }
    rmSync(cwd, { recursive: true, force: true });
  });

  it('should serve the docs, issue tokens and answer the API on the embedded database', async () => {
    const port = await freePort();
    service = await start(cwd, port);
    const { http, output } = service;
    expect(output()).toContain('DEVELOPMENT TOKEN ISSUER IS ON');
    // A token command with the published demo secret.
    expect(output()).toMatch(/curl .*demo-1-secret/);

    const docs = await http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    const document = await http.get('/docs/v2/openapi.json');
    expect(document.status).toBe(200);
    expect(document.body.openapi).toMatch(/^3\./);
    expect(Object.keys(document.body.paths).length).toBeGreaterThan(0);

    const organisations = await http.get('/customers/v2/organisations', {
      token: await token(http, 'demo-admin'),
    });
    expect(organisations.status).toBe(200);
    expect(organisations.body.map((o: { id: number }) => o.id)).toEqual(
      expect.arrayContaining([1, 2]),
    );

    const demo1 = await token(http, 'demo-1');
    const created = await http.post('/customers/v2/profiles', {
      token: demo1,
      body: {
        firstName: 'Ola',
        surname: 'Nordmann',
        email: 'ola.nordmann@example.com',
        createdBy: 'newcomer',
        createdByChannel: 'curl',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.organisationId).toBe(1);
    const other = await http.get(`/customers/v2/profiles/${created.body.customerNumber}`, {
      token: await token(http, 'demo-2'),
    });
    expect(other.status).toBe(404);

    await stop(service);
    service = undefined;
    expect(existsSync(join(cwd, 'data', 'pglite'))).toBe(true);
    expect(existsSync(join(cwd, 'data', 'dev-issuer-key.json'))).toBe(true);

    // Restarted in the same folder and port (the issuer's URL): the data and the signing key survived.
    service = await start(cwd, port);
    const again = await service.http.get(`/customers/v2/profiles/${created.body.customerNumber}`, {
      token: demo1,
    });
    expect(again.status).toBe(200);
    expect(again.body.email).toBe('ola.nordmann@example.com');
  });

  it('should print readable logs and, last, a banner whose token command works when pasted', async () => {
    const pretty = await start(cwd, await freePort(), {
      LOG_FORMAT: 'pretty',
      PGLITE_DATA_DIR: 'memory://',
    });
    try {
      const output = await bannerOf(pretty, 'Get a token');
      const lines = output.trimEnd().split('\n');
      const command = lines.at(-1)!.trim();
      expect(command).toMatch(/^curl /);
      expect(output).toContain(
        `Swagger UI   http://localhost:${new URL(pretty.http.baseUrl).port}/docs`,
      );
      expect(output).toContain('demo-1 / demo-1-secret');
      // Route mapping and module loading are debug lines now; the banner is not buried.
      expect(output).not.toMatch(/RouterExplorer|RoutesResolver|InstanceLoader/);
      expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);

      const answer = JSON.parse(await shell(command));
      const me = await pretty.http.get('/customers/v2/profiles-search?surname=Nobody', {
        token: answer.access_token,
      });
      expect(me.status).toBe(200);
    } finally {
      await stop(pretty);
    }
  });

  it('should log JSON lines only when not on a terminal, the banner as one of them', async () => {
    const json = await start(cwd, await freePort(), { PGLITE_DATA_DIR: 'memory://' });
    try {
      const output = await bannerOf(json, '"tokenCommand"');
      const records = output
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const banner = records.at(-1)!;
      expect(banner.swaggerUi).toBe(`http://localhost:${new URL(json.http.baseUrl).port}/docs`);
      const answer = JSON.parse(await shell(banner.tokenCommand as string));
      expect(answer.token_type).toBe('Bearer');
      expect(records.filter((r) => r.context === 'RouterExplorer')).toEqual([]);
    } finally {
      await stop(json);
    }
  });

  it('should exit with a clear reason when its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '0.0.0.0', done));
    const elsewhere = mkdtempSync(join(tmpdir(), 'customers-start-'));
    try {
      const port = (taken.address() as { port: number }).port;
      const { child, output } = run(elsewhere, { PORT: String(port) });
      const { code } = await exited(child);
      expect(code).toBe(1);
      expect(output()).toContain('Start-up failed');
      expect(output()).toContain('EADDRINUSE');
    } finally {
      await new Promise<void>((done) => taken.close(() => done()));
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it.each([
    ['alone', {}],
    ['with DATABASE_URL', { DATABASE_URL: 'postgresql://127.0.0.1:1/customers' }],
    ['with DEV_AUTH=false', { DEV_AUTH: 'false' }],
  ])(
    'should refuse to start with NODE_ENV=production and no AUTH_ISSUER (%s), naming AUTH_ISSUER',
    async (_, env: Record<string, string>) => {
      const { child, output } = run(cwd, { PORT: '0', NODE_ENV: 'production', ...env });
      const { code } = await exited(child);
      expect(code).toBe(1);
      expect(output()).toContain('Invalid configuration');
      expect(output()).toContain('AUTH_ISSUER');
      expect(output()).not.toContain('listening');
    },
  );

  it('should start in production with an explicit DEV_AUTH=true, warn loudly and log no secret', async () => {
    const secret = 'ops-secret-7f3a9c1e';
    const elsewhere = mkdtempSync(join(tmpdir(), 'customers-start-'));
    let production: Started | undefined;
    try {
      production = await start(elsewhere, await freePort(), {
        NODE_ENV: 'production',
        DEV_AUTH: 'true',
        PGLITE_DATA_DIR: 'memory://',
        DEV_CLIENTS: JSON.stringify([
          {
            clientId: 'ops',
            clientSecret: secret,
            organisationId: 1,
            permissions: ['customers:read'],
          },
        ]),
      });
      const issued = await production.http.post('/oauth/token', {
        body: { grant_type: 'client_credentials', client_id: 'ops', client_secret: secret },
      });
      expect(issued.status).toBe(200);
      const refused = await production.http.get('/customers/v2/profiles/1', {
        token: `${issued.body.access_token}x`,
      });
      expect(refused.status).toBe(401);

      const output = production.output();
      expect(output).toContain('DEVELOPMENT TOKEN ISSUER IS ON');
      expect(output).toContain('DEV_AUTH=true with NODE_ENV=production');
      expect(output).toContain('"clientId":"ops"');
      expect(output).not.toContain(secret);
      expect(output).not.toContain(issued.body.access_token.split('.')[2]);
    } finally {
      if (production) {
        await stop(production);
      }
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it.each([
    ['PORT', 'abc'],
    ['AUTH_ISSUER', 'not a url'],
    ['TIME_ZONE', 'Mars/Olympus'],
  ])('should refuse to start when %s is %j, naming the variable', async (name, value) => {
    const { child, output } = run(cwd, { PORT: '0', [name]: value });
    const { code } = await exited(child);
    expect(code).not.toBe(0);
    expect(output()).toContain(name);
    expect(output()).toContain('Invalid configuration');
  });
});
