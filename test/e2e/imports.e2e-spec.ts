import { ChildProcess, spawn } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hashSync } from 'bcryptjs';
import { ImportWorker } from '../../src/imports/import-worker';
import { activeConsent } from './consents.fixtures';
import { unique } from '../factories/profile.factory';
import { ApiResponse, HttpClient } from '../utils/http-client';
import { createTestApp, onPostgres, TestApp, testDatabaseEnv } from '../utils/test-app';
import { TEST_AUDIENCE, TestIssuer } from '../utils/test-issuer';

const IMPORTS = '/customers/v2/imports';
const NDJSON = 'application/x-ndjson';

interface Job {
  id: string;
  status: string;
  dryRun: boolean;
  progress: { linesTotal: number; linesRead: number; linesWritten: number };
  counts: { created: number; duplicates: number; invalid: number };
  errors: {
    line: number;
    kind: string;
    field: string | null;
    errorCode: number;
    message: string;
  }[];
}

const line = (tag: string, i: number, extra: Record<string, unknown> = {}) => ({
  firstName: 'Imp',
  surname: tag,
  email: `${tag}.${i}@example.com`,
  customerRef: `${tag}-${i}`,
  telephoneNumber: `+47 4${String(i).padStart(7, '0')}`,
  createdBy: 'migration',
  createdByChannel: 'import',
  ...extra,
});

/** The kinds of bad lines, each with the field and errorCode the single create would give. */
const BAD: { text: (tag: string, i: number) => string; field: string | null; errorCode: number }[] =
  [
    {
      text: (t, i) => JSON.stringify(line(t, i, { email: 'not-an-email' })),
      field: 'email',
      errorCode: 603,
    },
    {
      text: (t, i) => JSON.stringify(line(t, i, { firstName: '' })),
      field: 'firstName',
      errorCode: 606,
    },
    {
      text: (t, i) => JSON.stringify(line(t, i, { telephoneNumber: '12' })),
      field: 'telephoneNumber',
      errorCode: 605,
    },
    {
      text: (t, i) => JSON.stringify(line(t, i, { unknownMember: 1 })),
      field: 'unknownMember',
      errorCode: 400,
    },
    { text: (t, i) => `{"firstName": "Broken ${t}-${i}"`, field: null, errorCode: 400 },
  ];

/** `count` lines, every 50th bad (2 %): the file and what each line should give. */
function generate(tag: string, count: number) {
  const lines: string[] = [];
  const bad = new Map<number, (typeof BAD)[number]>();
  for (let i = 1; i <= count; i++) {
    if (i % 50 === 0) {
      const kind = BAD[(i / 50) % BAD.length];
      bad.set(i, kind);
      lines.push(kind.text(tag, i));
    } else {
      lines.push(JSON.stringify(line(tag, i)));
    }
  }
  return { text: `${lines.join('\n')}\n`, bad, good: count - bad.size };
}

async function upload(t: TestApp, text: string, query: Record<string, string> = {}, org = 1) {
  return t.http.post<Job>(IMPORTS, {
    token: t.issuer.partner(org),
    headers: { 'content-type': NDJSON },
    rawBody: text,
    query,
  });
}

/** Polls the job until it has ended (no time limit of its own: jest's timeout bounds it). */
async function finished(t: TestApp, id: string, org = 1): Promise<Job> {
  for (;;) {
    const res = await t.http.get<Job>(`${IMPORTS}/${id}`, { token: t.issuer.partner(org) });
    expect(res.status).toBe(200);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') {
      return res.body;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every entry of the job's report, following Link rel="next" page by page. */
async function report(t: TestApp, id: string, org = 1): Promise<Job['errors']> {
  const entries: Job['errors'] = [];
  let path: string | undefined = `${IMPORTS}/${id}`;
  while (path) {
    const res: ApiResponse<Job> = await t.http.get<Job>(path, { token: t.issuer.partner(org) });
    expect(res.status).toBe(200);
    entries.push(...res.body.errors);
    const link: string | null = res.headers.get('link');
    path = link ? link.slice(1, link.indexOf('>')) : undefined;
  }
  return entries;
}

async function profilesOf(t: TestApp, surname: string, org = 1) {
  const rows: { email: string; n: string }[] = await t.dataSource.query(
    `SELECT email, count(*) OVER (PARTITION BY email)::text AS n FROM profiles
      WHERE organisation_id = $1 AND surname = $2`,
    [org, surname],
  );
  return rows;
}

describe('bulk import of profiles (NDJSON jobs)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should import 10,000 lines with 2 % bad ones: every good line once, every bad one reported, and nothing more on a second import', async () => {
    const tag = unique('imp');
    const file = generate(tag, 10_000);
    const accepted = await upload(t, file.text);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('location')).toBe(`${IMPORTS}/${accepted.body.id}`);
    expect(['queued', 'running', 'succeeded']).toContain(accepted.body.status);
    expect(accepted.body.progress.linesTotal).toBe(10_000);

    const job = await finished(t, accepted.body.id);
    expect(job).toMatchObject({
      status: 'succeeded',
      progress: { linesTotal: 10_000, linesRead: 10_000, linesWritten: file.good },
      counts: { created: file.good, duplicates: 0, invalid: file.bad.size },
    });
    expect(job.errors.map((e) => e.line)).toEqual([...file.bad.keys()]);
    for (const error of job.errors) {
      const expected = file.bad.get(error.line)!;
      expect(error).toMatchObject({
        kind: 'invalid',
        field: expected.field,
        errorCode: expected.errorCode,
      });
      expect(error.message).toEqual(expect.any(String));
    }
    const stored = await profilesOf(t, tag);
    expect(stored).toHaveLength(file.good);
    expect(stored.every((r) => r.n === '1')).toBe(true);
    const [audit]: { n: string }[] = await t.dataSource.query(
      `SELECT count(*)::text AS n FROM audit_events a JOIN profiles p
          ON p.organisation_id = a.organisation_id AND p.customer_number = a.customer_number
        WHERE p.surname = $1 AND a.operation = 'PROFILE_IMPORTED'`,
      [tag],
    );
    expect(Number(audit.n)).toBe(file.good);

    const again = await finished(t, (await upload(t, file.text)).body.id);
    expect(again.counts).toEqual({ created: 0, duplicates: file.good, invalid: file.bad.size });
    const entries = await report(t, again.id);
    expect(entries).toHaveLength(2 * file.good + file.bad.size);
    const duplicates = entries.filter((e) => e.kind === 'duplicate');
    expect(new Set(duplicates.map((e) => e.line)).size).toBe(file.good);
    expect(duplicates.find((e) => e.field === 'email')).toMatchObject({ errorCode: 602 });
    expect(duplicates.find((e) => e.field === 'customerRef')).toMatchObject({ errorCode: 409 });
    expect(await profilesOf(t, tag)).toHaveLength(file.good);
  }, 600_000);

  it('should refuse each line with the fields and errorCodes POST /profiles gives the same body', async () => {
    const tag = unique('same');
    const bodies: Record<string, unknown>[] = [
      line(tag, 1, { email: 'not-an-email', firstName: '' }),
      line(tag, 2, { telephoneNumber: '12', landlineNumber: 'abc' }),
      line(tag, 3, { countryCode: '+999999', dateOfBirth: '2999-01-01' }),
      line(tag, 4, { organisationId: 2 }),
      line(tag, 5, { password: 'short' }),
      line(tag, 6, { customerRef: ' padded ', languagePreference: 'xx', surname: 42 }),
      line(tag, 7, { firstName: 'A\u0000B' }),
      line(tag, 8, {
        telephoneNumber: '+47 12',
        countryCode: '+46',
        telephoneNumberNoCountryCode: '1',
      }),
    ];
    const job = await finished(
      t,
      (await upload(t, bodies.map((b) => JSON.stringify(b)).join('\n'))).body.id,
    );
    expect(job.counts).toEqual({ created: 0, duplicates: 0, invalid: bodies.length });
    for (const [index, body] of bodies.entries()) {
      const single = await t.http.post('/customers/v2/profiles', {
        token: t.issuer.partner(1),
        body,
      });
      expect(single.status).toBeGreaterThanOrEqual(400);
      const expected = (
        single.body.errors.length
          ? single.body.errors.map((e: { field: string; errorCode?: number }) => ({
              field: e.field,
              errorCode: e.errorCode ?? single.body.errorCode,
            }))
          : [{ field: expect.anything(), errorCode: single.body.errorCode }]
      ) as unknown[];
      const reported = job.errors
        .filter((e) => e.line === index + 1)
        .map((e) => ({ field: e.field, errorCode: e.errorCode }));
      const byField = (a: unknown, b: unknown) =>
        String((a as { field: unknown }).field).localeCompare(
          String((b as { field: unknown }).field),
        );
      expect(reported.sort(byField)).toEqual(expected.sort(byField));
    }
  }, 120_000);

  it('should page the report with Link rel="next" when it holds more than 1,000 entries', async () => {
    const text = Array.from({ length: 1_100 }, () => '{"not": "a profile"}').join('\n');
    const job = await finished(t, (await upload(t, text)).body.id);
    expect(job.errors).toHaveLength(1000);
    const first = await t.http.get<Job>(`${IMPORTS}/${job.id}`, { token: t.issuer.partner(1) });
    const link = first.headers.get('link')!;
    expect(link).toMatch(/rel="next"/);
    const next = await t.http.get<Job>(link.slice(1, link.indexOf('>')), {
      token: t.issuer.partner(1),
    });
    expect(next.body.errors.length).toBeGreaterThanOrEqual(100);
    expect(next.body.errors[0].line).toBeGreaterThan(job.errors[999].line - 1);
  }, 120_000);

  it('should write a line whole with its sub-resources and consents, or not at all', async () => {
    const tag = unique('nest');
    const consent = await activeConsent(t, t.issuer.partner(1));
    const full = line(tag, 1, {
      postalAddresses: [
        { addressLine1: 'Storgata 1', postCode: '0150', city: 'Oslo', isPrimary: true },
      ],
      preferences: [{ preferenceCode: `W_${tag}`, preferenceType: 'ASSISTANCE' }],
      ecards: [
        {
          ecardNumber16digits: `9${String(Date.now()).slice(-15).padStart(15, '0')}`,
          ecardOperator: 'RUTER',
          startOfOwnership: '2026-01-15T10:00:00Z',
        },
      ],
      givenConsents: [{ consentId: consent.id, consentChoice: true, distributionChannel: 'web' }],
    });
    const brokenConsent = line(tag, 2, {
      postalAddresses: [{ addressLine1: 'Storgata 2', postCode: '0150', city: 'Oslo' }],
      givenConsents: [{ consentId: 987_654_321, consentChoice: true, distributionChannel: 'web' }],
    });
    const badAddress = line(tag, 3, {
      postalAddresses: [{ addressLine1: 'X', postCode: 'abc', city: 'Oslo' }],
    });
    const sameEmail = line(tag, 4, { email: full.email });
    const text = [full, brokenConsent, badAddress, sameEmail]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const job = await finished(t, (await upload(t, text)).body.id);
    expect(job.counts).toEqual({ created: 1, duplicates: 1, invalid: 2 });
    expect(job.errors.find((e) => e.line === 2)).toMatchObject({ kind: 'invalid', errorCode: 617 });
    expect(job.errors.find((e) => e.line === 3)).toMatchObject({
      kind: 'invalid',
      field: 'postalAddresses[0].postCode',
    });
    expect(job.errors.find((e) => e.line === 4)).toMatchObject({
      kind: 'duplicate',
      field: 'email',
      errorCode: 602,
    });

    const stored = await profilesOf(t, tag);
    expect(stored.map((r) => r.email)).toEqual([full.email]);
    const [{ customer_number }]: { customer_number: string }[] = await t.dataSource.query(
      `SELECT customer_number::text FROM profiles WHERE organisation_id = 1 AND email = $1`,
      [full.email],
    );
    const exported = await t.http.get(`/customers/v2/profiles/${customer_number}/export`, {
      token: t.issuer.partner(1),
    });
    expect(exported.status).toBe(200);
    expect(exported.body.postalAddresses).toHaveLength(1);
    expect(exported.body.preferences).toHaveLength(1);
    expect(exported.body.ecards).toHaveLength(1);
    expect(exported.body.givenConsents).toHaveLength(1);
    const [{ n }]: { n: string }[] = await t.dataSource.query(
      `SELECT count(*)::text AS n FROM postal_addresses WHERE organisation_id = 1 AND address_line1 = 'Storgata 2'
          AND customer_number IN (SELECT customer_number FROM profiles WHERE surname = $1)`,
      [tag],
    );
    expect(n).toBe('0');
  }, 120_000);

  it('should let imported bcrypt and PBKDF2 hashes sign in, then hold argon2id; a wrong password stays 401 and counts', async () => {
    const tag = unique('pw');
    const salt = randomBytes(16);
    const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
    const hashes = {
      bcrypt: hashSync('Bcrypt-pass1', 10),
      phc: `$pbkdf2-sha256$i=10000$${b64(salt)}$${b64(pbkdf2Sync('Pbkdf2-pass1', salt, 10000, 32, 'sha256'))}`,
      django: `pbkdf2_sha256$10000$djsalt$${pbkdf2Sync('Django-pass1', 'djsalt', 10000, 32, 'sha256').toString('base64')}`,
    };
    const text = [
      line(tag, 1, { passwordHash: hashes.bcrypt }),
      line(tag, 2, { passwordHash: hashes.phc }),
      line(tag, 3, { passwordHash: hashes.django }),
      line(tag, 4, { passwordHash: '$1$md5$notsupported' }),
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const job = await finished(t, (await upload(t, text)).body.id);
    expect(job.counts).toEqual({ created: 3, duplicates: 0, invalid: 1 });
    expect(job.errors[0]).toMatchObject({ line: 4, field: 'passwordHash', errorCode: 600 });

    const signIn = (i: number, password: string) =>
      t.http.post('/customers/v2/profiles/authenticate', {
        token: t.issuer.partner(1),
        body: { email: `${tag}.${i}@example.com`, password, lastSignInFrom: 'web' },
      });
    const stored = async (i: number) => {
      const rows: { password_hash: string }[] = await t.dataSource.query(
        `SELECT password_hash FROM profiles WHERE email = $1`,
        [`${tag}.${i}@example.com`],
      );
      return rows[0].password_hash;
    };

    for (const [i, password, original] of [
      [1, 'Bcrypt-pass1', hashes.bcrypt],
      [2, 'Pbkdf2-pass1', hashes.phc],
      [3, 'Django-pass1', hashes.django],
    ] as const) {
      expect(await stored(i)).toBe(original);
      expect((await signIn(i, `${password}x`)).status).toBe(401);
      expect(await stored(i)).toBe(original);
      expect((await signIn(i, password)).status).toBe(200);
      expect(await stored(i)).toMatch(/^\$argon2id\$/);
      expect((await signIn(i, password)).status).toBe(200);
    }
    // Wrong passwords against an imported hash count against the account's limit (5).
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await signIn(1, 'wrong-password')).status).toBe(401);
    }
    expect((await signIn(1, 'Bcrypt-pass1')).status).toBe(429);
  }, 120_000);

  it('should report in a dry run what an import would do, writing nothing', async () => {
    const tag = unique('dry');
    const file = generate(tag, 120);
    const text = `${file.text}${JSON.stringify(line(tag, 1))}\n`;
    const accepted = await upload(t, text, { dryRun: 'true' });
    expect(accepted.status).toBe(202);
    const job = await finished(t, accepted.body.id);
    expect(job).toMatchObject({
      dryRun: true,
      status: 'succeeded',
      progress: { linesRead: 121, linesWritten: 0 },
      counts: { created: file.good, duplicates: 1, invalid: file.bad.size },
    });
    expect(job.errors.find((e) => e.line === 121)).toMatchObject({ kind: 'duplicate' });
    expect(await profilesOf(t, tag)).toHaveLength(0);
    const [{ n }]: { n: string }[] = await t.dataSource.query(
      `SELECT count(*)::text AS n FROM import_job_keys WHERE job_id = $1`,
      [job.id],
    );
    expect(n).toBe('0');
  }, 120_000);

  it("should answer 404 for another organisation's job, 400 for a malformed id, 415 for JSON and 403 without customers:import", async () => {
    const accepted = await upload(t, `${JSON.stringify(line(unique('iso'), 1))}\n\n`);
    expect(accepted.status).toBe(202);
    const foreign = await t.http.get(`${IMPORTS}/${accepted.body.id}`, {
      token: t.issuer.partner(2),
    });
    const missing = await t.http.get(`${IMPORTS}/00000000-0000-4000-8000-000000000000`, {
      token: t.issuer.partner(2),
    });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(foreign.body.detail).toBe(missing.body.detail);
    expect((await t.http.get(`${IMPORTS}/not-a-uuid`, { token: t.issuer.partner(1) })).status).toBe(
      400,
    );
    const json = await t.http.post(IMPORTS, {
      token: t.issuer.partner(1),
      body: line(unique('json'), 1),
    });
    expect(json.status).toBe(415);
    const ndjsonElsewhere = await t.http.post('/customers/v2/profiles', {
      token: t.issuer.partner(1),
      headers: { 'content-type': NDJSON },
      rawBody: JSON.stringify(line(unique('else'), 1)),
    });
    expect(ndjsonElsewhere.status).toBe(415);
    const withoutImport = await t.http.post(IMPORTS, {
      token: t.issuer.partner(1, ['customers:read', 'customers:write']),
      headers: { 'content-type': NDJSON },
      rawBody: '{}\n{}',
    });
    expect(withoutImport.status).toBe(403);
    await finished(t, accepted.body.id);
  }, 60_000);
});

describe('an import job interrupted by a restart', () => {
  const folder = onPostgres ? undefined : mkdtempSync(join(tmpdir(), 'customers-import-'));
  const env = (worker: boolean) => ({
    IMPORT_WORKER_ENABLED: String(worker),
    IMPORT_BATCH_SIZE: '50',
    ...(folder ? { PGLITE_DATA_DIR: folder } : {}),
  });
  afterAll(() => {
    if (folder) {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('should resume from the last committed batch and end as an uninterrupted import', async () => {
    const tag = unique('resume');
    const file = generate(tag, 500);
    const first = await createTestApp(env(false));
    let id: string;
    try {
      const accepted = await upload(first, file.text);
      expect(accepted.status).toBe(202);
      id = accepted.body.id;
      const worker = first.app.get(ImportWorker);
      for (let batch = 0; batch < 3; batch++) {
        expect(await worker.runBatch(id)).toBe('progress');
      }
      const midway = await first.http.get<Job>(`${IMPORTS}/${id}`, {
        token: first.issuer.partner(1),
      });
      expect(midway.body).toMatchObject({ status: 'running', progress: { linesRead: 150 } });
    } finally {
      await first.close();
    }

    const second = await createTestApp(env(true));
    try {
      const job = await finished(second, id);
      expect(job).toMatchObject({
        status: 'succeeded',
        progress: { linesTotal: 500, linesRead: 500, linesWritten: file.good },
        counts: { created: file.good, duplicates: 0, invalid: file.bad.size },
      });
      expect(job.errors.map((e) => e.line)).toEqual([...file.bad.keys()]);
      const stored = await profilesOf(second, tag);
      expect(stored).toHaveLength(file.good);
      expect(stored.every((r) => r.n === '1')).toBe(true);
      const [{ n }]: { n: string }[] = await second.dataSource.query(
        `SELECT count(*)::text AS n FROM import_lines WHERE job_id = $1`,
        [id],
      );
      expect(n).toBe('0');
    } finally {
      await second.close();
    }
  }, 300_000);
});

describe('an import job whose service is killed', () => {
  const MAIN = resolve(__dirname, '../../dist/src/main.js');
  const folder = onPostgres ? undefined : mkdtempSync(join(tmpdir(), 'customers-import-kill-'));
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await new TestIssuer().start();
  });
  afterAll(async () => {
    await issuer.stop();
    if (folder) {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  /** The built service as its own process, as deployed, working imports in batches of 10. */
  async function startService(): Promise<{ child: ChildProcess; http: HttpClient }> {
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        ...(onPostgres ? testDatabaseEnv() : { PGLITE_DATA_DIR: folder }),
        AUTH_ISSUER: issuer.issuer,
        AUTH_AUDIENCE: TEST_AUDIENCE,
        ORGANISATIONS: '1:Org One,2:Org Two,3:Org Three',
        EXPIRY_ENABLED: 'false',
        IMPORT_BATCH_SIZE: '10',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    const http = new HttpClient(`http://127.0.0.1:${port}`);
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`the service exited with ${child.exitCode}`);
      }
      const ready = await http.get('/health/ready').catch(() => undefined);
      if (ready?.status === 200) {
        return { child, http };
      }
      await new Promise((done) => setTimeout(done, 200));
    }
  }

  it('should resume after SIGKILL mid-job and end as an uninterrupted import', async () => {
    const tag = unique('killed');
    // Plain passwords are hashed with argon2id at import: slow enough to kill the job midway.
    const lines = Array.from({ length: 200 }, (_, i) =>
      i % 50 === 49
        ? JSON.stringify(line(tag, i + 1, { email: 'not-an-email' }))
        : JSON.stringify(line(tag, i + 1, { password: `Passw0rd-${i}` })),
    );
    const bad = [50, 100, 150, 200];
    const service = await startService();
    const token = issuer.partner(1);
    let id: string;
    try {
      const accepted = await service.http.post<Job>(IMPORTS, {
        token,
        headers: { 'content-type': NDJSON },
        rawBody: `${lines.join('\n')}\n`,
      });
      expect(accepted.status).toBe(202);
      id = accepted.body.id;
      for (;;) {
        const job = await service.http.get<Job>(`${IMPORTS}/${id}`, { token });
        if (job.body.progress.linesRead >= 20) {
          expect(job.body.status).toBe('running');
          break;
        }
        await new Promise((done) => setTimeout(done, 20));
      }
    } finally {
      service.child.kill('SIGKILL');
      await new Promise((done) =>
        service.child.exitCode !== null || service.child.signalCode !== null
          ? done(undefined)
          : service.child.once('exit', done),
      );
    }

    const restarted = await createTestApp(folder ? { PGLITE_DATA_DIR: folder } : {});
    try {
      const job = await finished(restarted, id);
      expect(job).toMatchObject({
        status: 'succeeded',
        progress: { linesTotal: 200, linesRead: 200, linesWritten: 196 },
        counts: { created: 196, duplicates: 0, invalid: 4 },
      });
      expect(job.errors.map((e) => e.line)).toEqual(bad);
      const stored = await profilesOf(restarted, tag);
      expect(stored).toHaveLength(196);
      expect(stored.every((r) => r.n === '1')).toBe(true);
    } finally {
      await restarted.close();
    }
  }, 300_000);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
