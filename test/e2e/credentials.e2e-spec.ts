import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { SIGN_IN_LIMITS } from '../../src/credentials/sign-in-limiter';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const PROFILES = '/customers/v2/profiles';
const AUTHENTICATE = `${PROFILES}/authenticate`;
const PASSWORD = 'abcD123';

const unique = () => randomUUID().replace(/-/g, '').slice(0, 12);

// First in the file: nestjs-pino builds one logger per process, with the first app's settings.
describe('customer credentials in the logs', () => {
  it('should never write a password, a generated one or a hash to a log line', async () => {
    const lines: string[] = [];
    let generatedPassword: string | undefined;
    // pino writes to process.stdout itself once its write is replaced, so this sees every line.
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
    const t = await createTestApp({ LOG_LEVEL: 'trace' });
    try {
      const email = `logged.${unique()}@example.com`;
      const created = await t.http.post(PROFILES, {
        token: t.issuer.partner(1),
        body: {
          firstName: 'Kari',
          surname: 'Nordmann',
          email,
          createdBy: 't',
          createdByChannel: 'web',
          password: 'secret-Pass1',
        },
      });
      expect(created.status).toBe(201);
      await t.http.post(AUTHENTICATE, {
        token: t.issuer.partner(1),
        body: { email, password: 'secret-Pass1', lastSignInFrom: 'web' },
      });
      await t.http.post(AUTHENTICATE, {
        token: t.issuer.partner(1),
        body: { email, password: 'wrong-Pass1', lastSignInFrom: 'web' },
      });
      await t.http.put(`${PROFILES}/${created.body.customerNumber}/password`, {
        token: t.issuer.partner(1),
        body: { newPassword: 'newer-Pass1', currentPassword: 'secret-Pass1' },
      });
      await t.http.put(`${PROFILES}/${created.body.customerNumber}/password`, {
        token: t.issuer.partner(1),
        body: { newPassword: 'x' },
      });
      const generated = await t.http.post(
        `${PROFILES}/${created.body.customerNumber}/password/generate`,
        { token: t.issuer.mint({ organisationId: 1, permissions: ['customers:admin'] }) },
      );
      expect(generated.status).toBe(200);
      generatedPassword = generated.body.password;
      await t.http.post(AUTHENTICATE, {
        token: t.issuer.partner(1),
        body: { email, password: generatedPassword, lastSignInFrom: 'web' },
      });
    } finally {
      await t.close();
      spy.mockRestore();
      // The pino logger is one per process and outlives the app: quiet it for the other suites.
      PinoLogger.root.level = 'silent';
    }
    const output = lines.join('');
    expect(output).toContain('/customers/v2/profiles/authenticate');
    expect(output).toContain('/password/generate');
    expect(generatedPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(output).not.toContain(generatedPassword!);
    expect(output).not.toMatch(/secret-Pass1|wrong-Pass1|newer-Pass1|\$argon2/);
  }, 180_000);
});

describe('customer credentials (authenticate, password)', () => {
  let t: TestApp;
  /** Every response body of the suite, to prove no password hash ever leaves the service. */
  const seen: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const request = t.http.request.bind(t.http);
    t.http.request = async (...args: Parameters<typeof request>) => {
      const res = await request(...args);
      seen.push(res.text);
      return res;
    };
  }, 180_000);
  afterAll(() => t.close());

  /** A token of its own client, so the per-client counter of one test never limits another. */
  const token = (organisationId = 1, permissions?: string[]) =>
    t.issuer.partner(organisationId, permissions, `client-${unique()}`);

  async function createProfile(organisationId = 1, password: string | null = PASSWORD) {
    const email = `Kari.${unique()}@Example.com`;
    const res = await t.http.post(PROFILES, {
      token: token(organisationId),
      body: {
        firstName: 'Kari',
        surname: 'Nordmann',
        email,
        createdBy: 'test',
        createdByChannel: 'web',
        ...(password ? { password } : {}),
      },
    });
    expect(res.status).toBe(201);
    return { customerNumber: res.body.customerNumber as number, email };
  }

  const authenticate = (
    body: Record<string, unknown>,
    options: { token?: string; correlationId?: string } = {},
  ) =>
    t.http.post(AUTHENTICATE, {
      token: options.token ?? token(),
      body,
      headers: options.correlationId ? { 'x-correlation-id': options.correlationId } : {},
    });

  const expectProblem = (res: ApiResponse, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  };

  describe('POST /profiles/authenticate', () => {
    it('should answer 200 with the profile for the right password and record lastSignInFrom', async () => {
      const { customerNumber, email } = await createProfile();
      const before = Date.now();
      const res = await authenticate({
        email: email.toLowerCase(),
        password: PASSWORD,
        lastSignInFrom: 'app',
      });
      expect(res.status).toBe(200);
      expect(res.body.customerNumber).toBe(customerNumber);
      expect(res.body.lastSignInFrom).toBe('app');
      expect(Date.parse(res.body.lastSignInAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(res.body).not.toHaveProperty('password');
      expect(res.body).not.toHaveProperty('passwordHash');

      const stored = await t.http.get(`${PROFILES}/${customerNumber}`, { token: token() });
      expect(stored.body.lastSignInFrom).toBe('app');
      expect(stored.body.lastSignInAt).toBe(res.body.lastSignInAt);
    });

    it('should give byte-identical 401 bodies for a wrong password and an unknown e-mail', async () => {
      const { email } = await createProfile();
      const correlationId = `corr-${unique()}`;
      const wrong = await authenticate(
        { email, password: 'wrongPassword1', lastSignInFrom: 'web' },
        { correlationId },
      );
      const unknown = await authenticate(
        { email: `nobody.${unique()}@example.com`, password: PASSWORD, lastSignInFrom: 'web' },
        { correlationId },
      );
      expectProblem(wrong, 401);
      expectProblem(unknown, 401);
      expect(wrong.text).toBe(unknown.text);
      expect(wrong.body.errorCode).toBe(401);
      expect(wrong.body.correlationId).toBe(correlationId);
      expect(wrong.headers.get('www-authenticate')).toBeNull();
    });

    it('should refuse a profile without password, a deactivated one and another organisation with the same 401', async () => {
      const correlationId = `corr-${unique()}`;
      const reference = await authenticate(
        { email: `nobody.${unique()}@example.com`, password: PASSWORD, lastSignInFrom: 'web' },
        { correlationId },
      );
      const withoutPassword = await createProfile(1, null);
      const deactivated = await createProfile();
      await t.dataSource.query(
        `UPDATE profiles SET status = 'D' WHERE organisation_id = 1 AND customer_number = $1`,
        [deactivated.customerNumber],
      );
      const otherOrganisation = await createProfile(2);
      for (const email of [withoutPassword.email, deactivated.email, otherOrganisation.email]) {
        const res = await authenticate(
          { email, password: PASSWORD, lastSignInFrom: 'web' },
          { correlationId },
        );
        expectProblem(res, 401);
        expect(res.text).toBe(reference.text);
      }
    });

    it('should answer 429 with Retry-After on the attempt after the allowed failures for one e-mail', async () => {
      const { email } = await createProfile();
      const { maxFailures } = SIGN_IN_LIMITS.perAccount;
      for (let i = 0; i < maxFailures; i++) {
        // Different clients: the per-e-mail limit holds whoever asks.
        const res = await authenticate({ email, password: `wrong-${i}-pw`, lastSignInFrom: 'web' });
        expect(res.status).toBe(401);
      }
      const limited = await authenticate({ email, password: PASSWORD, lastSignInFrom: 'web' });
      expectProblem(limited, 429);
      expect(limited.body.errorCode).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(SIGN_IN_LIMITS.perAccount.windowSeconds);
    });

    it('should let no more than the allowed guesses through when they arrive in parallel', async () => {
      const { email } = await createProfile();
      const { maxFailures } = SIGN_IN_LIMITS.perAccount;
      const results = await Promise.all(
        Array.from({ length: maxFailures * 2 }, (_, i) =>
          authenticate({ email, password: `parallel-${i}-pw`, lastSignInFrom: 'web' }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(maxFailures).fill(401), ...Array(maxFailures).fill(429)]);
    });

    it('should limit an unknown e-mail exactly like a registered one', async () => {
      const email = `nobody.${unique()}@example.com`;
      const statuses: number[] = [];
      for (let i = 0; i <= SIGN_IN_LIMITS.perAccount.maxFailures; i++) {
        statuses.push(
          (await authenticate({ email, password: 'x-wrong-1', lastSignInFrom: 'web' })).status,
        );
      }
      expect(statuses).toEqual([...Array(SIGN_IN_LIMITS.perAccount.maxFailures).fill(401), 429]);
    });

    it("should reset the e-mail's count after a successful sign-in", async () => {
      const { email } = await createProfile();
      const { maxFailures } = SIGN_IN_LIMITS.perAccount;
      const fail = () => authenticate({ email, password: 'wrong-pass', lastSignInFrom: 'web' });
      for (let i = 0; i < maxFailures - 1; i++) {
        expect((await fail()).status).toBe(401);
      }
      expect(
        (await authenticate({ email, password: PASSWORD, lastSignInFrom: 'web' })).status,
      ).toBe(200);
      for (let i = 0; i < maxFailures - 1; i++) {
        expect((await fail()).status).toBe(401);
      }
      expect(
        (await authenticate({ email, password: PASSWORD, lastSignInFrom: 'web' })).status,
      ).toBe(200);
    });

    it('should answer 429 once one client has used up its failures, and not limit other clients', async () => {
      const clientToken = token();
      const { maxFailures } = SIGN_IN_LIMITS.perClient;
      for (let i = 0; i < maxFailures; i++) {
        const res = await authenticate(
          {
            email: `nobody.${unique()}@example.com`,
            password: 'wrong-pass',
            lastSignInFrom: 'web',
          },
          { token: clientToken },
        );
        expect(res.status).toBe(401);
      }
      const { email } = await createProfile();
      const limited = await authenticate(
        { email, password: PASSWORD, lastSignInFrom: 'web' },
        { token: clientToken },
      );
      expectProblem(limited, 429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(
        (await authenticate({ email, password: PASSWORD, lastSignInFrom: 'web' })).status,
      ).toBe(200);
    }, 300_000);

    it('should answer at most the allowed 401s to 150 parallel wrong sign-ins of a fresh client, and 429 to the rest', async () => {
      const fresh = token();
      const results = await Promise.all(
        Array.from({ length: 150 }, () =>
          authenticate(
            {
              email: `nobody.${unique()}@example.com`,
              password: 'wrong-pass',
              lastSignInFrom: 'web',
            },
            { token: fresh },
          ),
        ),
      );
      const count = (status: number) => results.filter((r) => r.status === status).length;
      expect(count(401)).toBeLessThanOrEqual(SIGN_IN_LIMITS.perClient.maxFailures);
      expect(count(401) + count(429)).toBe(150);
      for (const res of results.filter((r) => r.status === 429)) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }, 300_000);

    it('should answer at most the allowed 401s to 150 parallel wrong sign-ins for one e-mail', async () => {
      const { email } = await createProfile();
      const fresh = token();
      const results = await Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          authenticate(
            { email, password: `wrong-${i}-pw`, lastSignInFrom: 'web' },
            { token: fresh },
          ),
        ),
      );
      const count = (status: number) => results.filter((r) => r.status === status).length;
      expect(count(401)).toBeLessThanOrEqual(SIGN_IN_LIMITS.perAccount.maxFailures);
      expect(count(401) + count(429)).toBe(150);
    }, 300_000);

    describe('one account, however its e-mail is spelled', () => {
      const fullWidth = (text: string) =>
        text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

      async function createIvar() {
        const local = `ivar.${unique()}`;
        const res = await t.http.post(PROFILES, {
          token: token(),
          body: {
            firstName: 'Ivar',
            surname: 'Nordmann',
            email: `${local}@example.com`,
            createdBy: 'test',
            createdByChannel: 'web',
            password: PASSWORD,
          },
        });
        expect(res.status).toBe(201);
        return local;
      }

      it('should lock the İ (U+0130), capital, full-width and padded spellings together with the original', async () => {
        const local = await createIvar();
        const original = `${local}@example.com`;
        const spellings = [
          `İ${local.slice(1)}@example.com`,
          `${local.toUpperCase()}@EXAMPLE.COM`,
          fullWidth(original),
          `  ${original} `,
          `İ${local.slice(1).toUpperCase()}@example.com`,
        ];
        expect(spellings).toHaveLength(SIGN_IN_LIMITS.perAccount.maxFailures);
        for (const email of spellings) {
          const res = await authenticate({ email, password: 'wrong-pass', lastSignInFrom: 'web' });
          expect([email, res.status]).toEqual([email, 401]);
        }
        const limited = await authenticate({
          email: original,
          password: PASSWORD,
          lastSignInFrom: 'web',
        });
        expectProblem(limited, 429);
      });

      it('should sign in with any spelling of the address', async () => {
        const local = await createIvar();
        for (const email of [
          `İ${local.slice(1).toUpperCase()}@Example.com`,
          fullWidth(`${local}@example.com`),
        ]) {
          const res = await authenticate({ email, password: PASSWORD, lastSignInFrom: 'web' });
          expect([email, res.status]).toEqual([email, 200]);
          expect(res.body.email).toBe(`${local}@example.com`);
        }
      });
    });

    it('should keep the counters in PostgreSQL, hashed, without any e-mail address', async () => {
      const email = `counted.${unique()}@example.com`;
      await authenticate({ email, password: 'wrong-pass', lastSignInFrom: 'web' });
      const rows: { attempt_key: string }[] = await t.dataSource.query(
        `SELECT attempt_key FROM sign_in_attempts WHERE organisation_id = 1`,
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((r) => r.attempt_key.includes('@'))).toBe(false);
    });

    it('should answer 400 for a missing field and 403 for a read-only token', async () => {
      const missing = await authenticate({ email: 'a@example.com', password: PASSWORD });
      expectProblem(missing, 400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain(
        'lastSignInFrom',
      );
      const readOnly = await authenticate(
        { email: 'a@example.com', password: PASSWORD, lastSignInFrom: 'web' },
        { token: token(1, ['customers:read']) },
      );
      expectProblem(readOnly, 403);
    });
  });

  describe('PUT /profiles/{customerNumber}/password', () => {
    const changePassword = (
      customerNumber: number,
      body: Record<string, unknown>,
      auth = token(),
    ) => t.http.put(`${PROFILES}/${customerNumber}/password`, { token: auth, body });

    it('should enforce the password policy with errorCode 600 and accept abcD123', async () => {
      const { customerNumber, email } = await createProfile(1, 'first-Pass1');
      for (const newPassword of ['abc12', '', 'x'.repeat(129), 1234567]) {
        const res = await changePassword(customerNumber, {
          newPassword,
          currentPassword: 'first-Pass1',
        });
        expectProblem(res, 400);
        expect(res.body.errorCode).toBe(600);
      }
      const ok = await changePassword(customerNumber, {
        newPassword: 'abcD123',
        currentPassword: 'first-Pass1',
      });
      expect(ok.status).toBe(204);
      expect(ok.text).toBe('');
      expect(
        (await authenticate({ email, password: 'abcD123', lastSignInFrom: 'web' })).status,
      ).toBe(200);
      expect(
        (await authenticate({ email, password: 'first-Pass1', lastSignInFrom: 'web' })).status,
      ).toBe(401);
    });

    it('should require the current password, refuse a wrong one with 401, and let an admin reset it', async () => {
      const { customerNumber, email } = await createProfile();
      const missing = await changePassword(customerNumber, { newPassword: 'newPass99' });
      expectProblem(missing, 400);
      expect(missing.body.errors[0].field).toBe('currentPassword');

      const wrong = await changePassword(customerNumber, {
        newPassword: 'newPass99',
        currentPassword: 'not-the-password',
      });
      expectProblem(wrong, 401);
      expect(wrong.body.detail).toBe('The current password is incorrect');

      const admin = t.issuer.mint({
        organisationId: 1,
        permissions: ['customers:admin'],
        clientId: `support-${unique()}`,
      });
      expect(
        (await changePassword(customerNumber, { newPassword: 'reset-by-admin' }, admin)).status,
      ).toBe(204);
      expect(
        (await authenticate({ email, password: 'reset-by-admin', lastSignInFrom: 'web' })).status,
      ).toBe(200);
    });

    it('should count wrong current passwords against the sign-in limit', async () => {
      const { customerNumber } = await createProfile();
      const statuses: number[] = [];
      for (let i = 0; i <= SIGN_IN_LIMITS.perAccount.maxFailures; i++) {
        const res = await changePassword(customerNumber, {
          newPassword: 'newPass99',
          currentPassword: `guess-${i}-xx`,
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([...Array(SIGN_IN_LIMITS.perAccount.maxFailures).fill(401), 429]);
    });

    it('should set a first password without currentPassword', async () => {
      const { customerNumber, email } = await createProfile(1, null);
      expect((await changePassword(customerNumber, { newPassword: PASSWORD })).status).toBe(204);
      expect(
        (await authenticate({ email, password: PASSWORD, lastSignInFrom: 'web' })).status,
      ).toBe(200);
    });

    it("should answer 404 for another organisation's profile, 400 for a bad number, 409 for a temporary profile", async () => {
      const { customerNumber } = await createProfile(1);
      const other = await changePassword(
        customerNumber,
        { newPassword: 'newPass99', currentPassword: PASSWORD },
        token(2),
      );
      expectProblem(other, 404);
      expectProblem(
        await changePassword('abc' as unknown as number, { newPassword: 'newPass99' }),
        400,
      );

      const [temporary]: { customer_number: string }[] = await t.dataSource.query(
        `INSERT INTO profiles (organisation_id, uuid, customer_ref, profile_type, expires_at,
           expiration_date, created_by, created_by_channel, changed_by, changed_by_channel)
         VALUES (1, $1, $2, 'T', now() + interval '3 days', current_date + 2,
           'test', 'web', 'test', 'web')
         RETURNING customer_number`,
        [unique() + unique() + unique().slice(0, 8), `tmp-${unique()}`],
      );
      expectProblem(
        await changePassword(Number(temporary.customer_number), { newPassword: 'newPass99' }),
        409,
      );
    });

    it('should audit a password change by field name only', async () => {
      const { customerNumber } = await createProfile();
      const correlationId = `corr-${unique()}`;
      const res = await t.http.put(`${PROFILES}/${customerNumber}/password`, {
        token: token(),
        headers: { 'x-correlation-id': correlationId },
        body: { newPassword: 'another-Pass1', currentPassword: PASSWORD },
      });
      expect(res.status).toBe(204);
      const rows: Record<string, unknown>[] = await t.dataSource.query(
        `SELECT * FROM audit_events WHERE organisation_id = 1 AND customer_number = $1`,
        [customerNumber],
      );
      const change = rows.find((r) => r.operation === 'PROFILE_PASSWORD_CHANGED');
      expect(change).toMatchObject({ fields: ['password'], correlation_id: correlationId });
      expect(JSON.stringify(rows)).not.toMatch(/argon2|another-Pass1/);
    });
  });

  describe('POST /profiles/{customerNumber}/password/generate', () => {
    const generate = (customerNumber: number | string, auth = token(), headers = {}) =>
      t.http.post(`${PROFILES}/${customerNumber}/password/generate`, { token: auth, headers });
    const admin = () =>
      t.issuer.mint({
        organisationId: 1,
        permissions: ['customers:admin'],
        clientId: `support-${unique()}`,
      });
    const storedHash = async (customerNumber: number): Promise<string | null> => {
      const [row]: { password_hash: string | null }[] = await t.dataSource.query(
        `SELECT password_hash FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
        [customerNumber],
      );
      return row.password_hash;
    };

    it('should answer a one-time password once, with no-store, that signs in while the old one no longer does', async () => {
      const { customerNumber, email } = await createProfile(1, PASSWORD);
      const res = await generate(customerNumber, admin());
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(Object.keys(res.body)).toEqual(['password']);
      const { password } = res.body as { password: string };
      expect(password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])[A-Za-z0-9]{16}$/);
      // Stored only as an argon2id hash.
      const hash = await storedHash(customerNumber);
      expect(hash).toMatch(/^\$argon2id\$/);
      expect(hash).not.toContain(password);
      expect((await authenticate({ email, password, lastSignInFrom: 'web' })).status).toBe(200);
      expect(
        (await authenticate({ email, password: PASSWORD, lastSignInFrom: 'web' })).status,
      ).toBe(401);
      // Another generation replaces it: only the last one answered works.
      const again = await generate(customerNumber, admin());
      expect(again.body.password).not.toBe(password);
      expect((await authenticate({ email, password, lastSignInFrom: 'web' })).status).toBe(401);
      expect(
        (await authenticate({ email, password: again.body.password, lastSignInFrom: 'web' }))
          .status,
      ).toBe(200);
    });

    it('should let customers:write generate a first password, and replace an existing one only with customers:admin', async () => {
      const first = await createProfile(1, null);
      const generated = await generate(first.customerNumber);
      expect(generated.status).toBe(200);
      expect(
        (
          await authenticate({
            email: first.email,
            password: generated.body.password,
            lastSignInFrom: 'app',
          })
        ).status,
      ).toBe(200);

      const existing = await createProfile(1, PASSWORD);
      const before = await storedHash(existing.customerNumber);
      const refused = await generate(existing.customerNumber);
      expectProblem(refused, 403);
      expect(refused.body.errorCode).toBe(403);
      expect(refused.headers.get('cache-control')).toBe('no-store');
      expect(await storedHash(existing.customerNumber)).toBe(before);
      expectProblem(await generate(existing.customerNumber, token(1, ['customers:read'])), 403);
      expect(await storedHash(existing.customerNumber)).toBe(before);
    });

    it("should answer 404 for another organisation's or a missing profile, 400 for a bad number, 409 for a temporary profile", async () => {
      const { customerNumber } = await createProfile(1, null);
      expectProblem(await generate(customerNumber, token(2)), 404);
      expectProblem(await generate(987_654_321_012), 404);
      expectProblem(await generate('abc'), 400);
      expect(await storedHash(customerNumber)).toBeNull();

      const temporary = await t.http.post(`${PROFILES}/temporary`, {
        token: token(),
        body: {
          expirationDate: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
          createdBy: 'office',
          createdByChannel: 'web',
        },
      });
      expect(temporary.status).toBe(201);
      const refused = await generate(temporary.body.customerNumber, admin());
      expectProblem(refused, 409);
      expect(refused.body.detail).toContain('temporary profile cannot have a password');
    });

    it('should refuse a deactivated profile with 409 and errorCode 625, as the password PUT does', async () => {
      const { customerNumber } = await createProfile(1, PASSWORD);
      const before = await storedHash(customerNumber);
      expect(
        (await t.http.delete(`${PROFILES}/${customerNumber}`, { token: token() })).status,
      ).toBe(200);
      const refused = await generate(customerNumber, admin());
      expectProblem(refused, 409);
      expect(refused.body.errorCode).toBe(625);
      const put = await t.http.put(`${PROFILES}/${customerNumber}/password`, {
        token: admin(),
        body: { newPassword: 'newPass99' },
      });
      expectProblem(put, 409);
      expect(put.body.errorCode).toBe(625);
      expect(await storedHash(customerNumber)).toBe(before);
    });

    it('should audit the generation by field name only, and store no copy of the answer', async () => {
      const { customerNumber } = await createProfile(1, null);
      const correlationId = `corr-${unique()}`;
      const key = `generate-${unique()}`;
      const res = await generate(customerNumber, token(), {
        'x-correlation-id': correlationId,
        'idempotency-key': key,
      });
      expect(res.status).toBe(200);
      const rows: Record<string, unknown>[] = await t.dataSource.query(
        `SELECT * FROM audit_events WHERE organisation_id = 1 AND customer_number = $1`,
        [customerNumber],
      );
      expect(rows.find((r) => r.operation === 'PROFILE_PASSWORD_GENERATED')).toMatchObject({
        fields: ['password'],
        correlation_id: correlationId,
      });
      expect(JSON.stringify(rows)).not.toContain(res.body.password);
      const stored: unknown[] = await t.dataSource.query(
        `SELECT 1 FROM idempotency_keys WHERE key = $1`,
        [key],
      );
      expect(stored).toEqual([]);
    });
  });

  it('should never put a password hash in any response body', () => {
    expect(seen.length).toBeGreaterThan(50);
    for (const text of seen) {
      expect(text).not.toMatch(/\$argon2|passwordHash|password_hash/);
    }
  });
});
