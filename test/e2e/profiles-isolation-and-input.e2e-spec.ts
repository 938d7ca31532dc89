import {
  countProfiles,
  createProfile,
  profileBody,
  uniqueEmail,
} from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';

const BASE = '/customers/v2/profiles';

describe('profiles: organisation isolation and bad input', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  describe("another organisation's token", () => {
    it('should get 404 on every profile route of org 1, identical to a missing profile', async () => {
      const p = await createProfile(t, { dateOfBirth: '1980-01-01' });
      const other = t.issuer.partner(2);
      const put = { firstName: 'X', surname: 'Y', changedBy: 'x', changedByChannel: 'x' };
      const attempts = [
        () => t.http.get(`${BASE}/${p.customerNumber}`, { token: other }),
        () => t.http.get(`${BASE}/customer-ref/${p.customerRef}`, { token: other }),
        () => t.http.put(`${BASE}/${p.customerNumber}`, { token: other, body: put }),
        () => t.http.patch(`${BASE}/${p.customerNumber}`, { token: other, body: put }),
        () => t.http.delete(`${BASE}/${p.customerNumber}`, { token: other }),
        () =>
          t.http.put(`${BASE}/${p.customerNumber}`, {
            token: other,
            body: put,
            headers: { 'if-match': '"1"' },
          }),
      ];
      const missing = await t.http.get(`${BASE}/999999999998`, { token: other });
      for (const attempt of attempts) {
        const res = await attempt();
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.errorCode).toBe(missing.body.errorCode);
        expect(res.body.title).toBe(missing.body.title);
      }
      const unchanged = await t.http.get(`${BASE}/${p.customerNumber}`, { token });
      expect(unchanged.body).toMatchObject({ status: 'A', firstName: 'Ola', version: 1 });
    });

    it('should never see org 1 rows in a search, whatever the criteria', async () => {
      const p = await createProfile(t, {
        customerRef: `iso-${uniqueEmail()}`.slice(0, 40),
        countryCode: '+47',
        telephoneNumberNoCountryCode: '91234567',
        dateOfBirth: '1980-01-01',
      });
      const other = t.issuer.partner(2);
      for (const query of [
        { email: p.email },
        { surname: 'Nordmann' },
        { firstName: 'O*' },
        { customerRef: p.customerRef },
        { countryCode: '+47', telephoneNumberNoCountryCode: '91234567' },
        { dateOfBirth: '1980-01-01' },
        { email: p.email, organisationId: 1 },
        { surname: 'Nordmann', status: 'D' },
      ]) {
        const res = await t.http.get('/customers/v2/profiles-search', { token: other, query });
        expect(res.status).toBe(200);
        expect(res.body.every((x: { organisationId: number }) => x.organisationId === 2)).toBe(
          true,
        );
      }
    });

    it('should let org 2 register an e-mail that org 1 already uses', async () => {
      const p = await createProfile(t);
      const res = await t.http.post(BASE, {
        token: t.issuer.partner(2),
        body: profileBody({ email: p.email, organisationId: 2 }),
      });
      expect(res.status).toBe(201);
      expect(res.body.organisationId).toBe(2);
    });

    it('should refuse a token without customers:write on writes and without read on reads', async () => {
      const p = await createProfile(t);
      const readOnly = t.issuer.partner(1, ['customers:read']);
      const res = await t.http.post(BASE, { token: readOnly, body: profileBody() });
      expect(res.status).toBe(403);
      const writeOnly = t.issuer.partner(1, ['consents:read']);
      expect((await t.http.get(`${BASE}/${p.customerNumber}`, { token: writeOnly })).status).toBe(
        403,
      );
    });
  });

  describe('bad input on POST /profiles: 4xx problem+json and nothing written', () => {
    const cases: [
      string,
      () => { body?: unknown; rawBody?: string; headers?: Record<string, string> },
      number,
      number?,
    ][] = [
      ['an unknown field', () => ({ body: { ...profileBody(), nickname: 'Olle' } }), 400],
      ['a wrong type', () => ({ body: { ...profileBody(), firstName: 42 } }), 400, 606],
      ['an over-long name', () => ({ body: profileBody({ surname: 'x'.repeat(101) }) }), 400, 606],
      [
        'an over-long e-mail',
        () => ({ body: profileBody({ email: `${'x'.repeat(75)}@example.com` }) }),
        400,
        603,
      ],
      ['an invalid e-mail', () => ({ body: profileBody({ email: 'not-an-email' }) }), 400, 603],
      ['an invalid country code', () => ({ body: profileBody({ countryCode: '+4x' }) }), 400, 605],
      [
        'an invalid phone number',
        () => ({ body: profileBody({ telephoneNumberNoCountryCode: '12-34' }) }),
        400,
        605,
      ],
      [
        'an invalid date of birth',
        () => ({ body: profileBody({ dateOfBirth: '1990-02-30' }) }),
        400,
      ],
      ['a too short password', () => ({ body: profileBody({ password: 'abc' }) }), 400, 600],
      ['a missing surname', () => ({ body: { ...profileBody(), surname: undefined } }), 400, 606],
      [
        'an organisationId of the wrong type',
        () => ({ body: { ...profileBody(), organisationId: '1' } }),
        400,
      ],
      ['a status field', () => ({ body: { ...profileBody(), status: 'D' } }), 400],
      [
        'malformed JSON',
        () => ({
          rawBody: '{"firstName": "Ola",',
          headers: { 'content-type': 'application/json' },
        }),
        400,
      ],
      [
        'a JSON array',
        () => ({ rawBody: '[]', headers: { 'content-type': 'application/json' } }),
        400,
      ],
      [
        'text/plain',
        () => ({
          rawBody: JSON.stringify(profileBody()),
          headers: { 'content-type': 'text/plain' },
        }),
        415,
      ],
      [
        'a body over 100 kB',
        () => ({ body: { ...profileBody(), vippsId: 'x'.repeat(110_000) } }),
        413,
      ],
    ];

    it.each(cases.map(([name, build, status, errorCode]) => ({ name, build, status, errorCode })))(
      'should refuse $name',
      async ({ build, status, errorCode }) => {
        const request = build();
        const emailInBody =
          (request.body as { email?: string } | undefined)?.email ??
          request.rawBody?.match(/"email":"([^"]+)"/)?.[1] ??
          null;
        const before = emailInBody
          ? await countProfiles(t, 'lower(email) = lower($1)', [emailInBody])
          : await countProfiles(t, 'organisation_id = 1', []);
        const res = await t.http.post(BASE, { token, ...request });
        expect(res.status).toBe(status);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.status).toBe(status);
        expect(res.body.correlationId).toEqual(expect.any(String));
        if (errorCode) {
          expect(res.body.errorCode).toBe(errorCode);
        }
        if (emailInBody) {
          expect(await countProfiles(t, 'lower(email) = lower($1)', [emailInBody])).toBe(before);
        }
        expect(res.text).not.toMatch(/QueryFailedError|at .*\.ts:\d+|SELECT|INSERT/);
      },
    );

    it('should list one error per invalid field with its legacy code', async () => {
      const res = await t.http.post(BASE, {
        token,
        body: profileBody({ email: 'nope', countryCode: '+4x', firstName: '' }),
      });
      expect(res.status).toBe(400);
      const byField = Object.fromEntries(
        res.body.errors.map((e: { field: string; errorCode?: number }) => [e.field, e.errorCode]),
      );
      expect(byField).toMatchObject({ email: 603, countryCode: 605, firstName: 606 });
    });
  });
});
