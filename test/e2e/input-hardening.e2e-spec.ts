import { activeConsent, createProfile } from './consents.fixtures';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

/** Input that once answered 500 (or a framework's own error body), each now a 400 problem+json. */
describe('input the database cannot store, and bodies and URLs that cannot be read', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  function expectBadRequest(res: ApiResponse, field?: string): void {
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.correlationId).toBe(res.headers.get('x-correlation-id'));
    expect(res.headers.get('content-security-policy')).toBeTruthy();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    if (field) {
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))]).toEqual([field]);
    }
  }

  it.each([
    ['/customers/v2/profiles-search?surname=a%00b', 'surname'],
    ['/customers/v2/profiles?email=%00', 'email'],
    ['/customers/v1/profiles?firstName=a%00b', 'firstName'],
    ['/customers/v2/profiles/customer-ref/a%00b', 'customerRef'],
  ])('should refuse GET %s naming %s', async (path, field) => {
    expectBadRequest(await t.http.get(path, { token }), field);
  });

  it('should refuse a NUL in a consent-base code and in a preference code', async () => {
    expectBadRequest(
      await t.http.get('/customers/v2/consents/consent-bases/A%00B/versions', {
        token: t.issuer.admin(),
      }),
      'consentCode',
    );
    const customerNumber = await createProfile(t, 1);
    expectBadRequest(
      await t.http.post(`/customers/v2/profiles/${customerNumber}/preferences`, {
        token,
        body: { preferenceCode: 'WHEEL\u0000CHAIR', preferenceType: 'ASSISTANCE' },
      }),
      'preferenceCode',
    );
  });

  it('should refuse a NUL in the e-mail of a sign-in', async () => {
    expectBadRequest(
      await t.http.post('/customers/v2/profiles/authenticate', {
        token,
        body: { email: 'kari\u0000@example.com', password: 'abcD1234' },
      }),
      'email',
    );
  });

  it('should refuse half a surrogate pair in an e-mail', async () => {
    expectBadRequest(
      await t.http.post('/customers/v2/profiles', {
        token,
        rawBody:
          '{"firstName":"Kari","surname":"N","email":"\\ud800@example.com","createdBy":"t","createdByChannel":"t"}',
        headers: { 'content-type': 'application/json' },
      }),
      'email',
    );
  });

  it.each(['application/json', 'application/merge-patch+json'])(
    'should refuse a %s body nested 2,000 deep before parsing it, and one just past the limit',
    async (type) => {
      for (const depth of [2_000, 33]) {
        const res = await t.http.patch('/customers/v2/profiles/10000001', {
          token,
          rawBody: `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`,
          headers: { 'content-type': type, 'if-match': '*' },
        });
        expectBadRequest(res);
        expect(res.body.detail).toBe('The JSON body nests deeper than 32 levels');
      }
    },
  );

  it('should still refuse prototype poisoning keys', async () => {
    const res = await t.http.post('/customers/v2/profiles', {
      token,
      rawBody: '{"__proto__":{"admin":true},"firstName":"Kari"}',
      headers: { 'content-type': 'application/json' },
    });
    expectBadRequest(res);
  });

  it('should refuse "consentChoice": null on a change of a given consent and change nothing', async () => {
    const customerNumber = await createProfile(t, 1);
    const consent = await activeConsent(t, token);
    const given = await t.http.post('/customers/v2/consents/given-consents', {
      token,
      body: {
        customerNumber,
        consentId: consent.id,
        consentChoice: true,
        distributionChannel: 'app',
      },
    });
    expect(given.status).toBe(201);
    for (const field of ['consentChoice', 'distributionChannel']) {
      expectBadRequest(
        await t.http.patch(`/customers/v2/consents/given-consents/${given.body.id}`, {
          token,
          body: { [field]: null },
        }),
        field,
      );
    }
    // Contact fields may be null: none, as the document says.
    const cleared = await t.http.patch(`/customers/v2/consents/given-consents/${given.body.id}`, {
      token,
      body: { email: null, telephoneNumber: null, changedBy: null },
    });
    expect(cleared.status).toBe(200);
    const after = await t.http.get(`/customers/v2/consents/given-consents/${given.body.id}`, {
      token,
    });
    expect(after.body).toMatchObject({ consentChoice: true, distributionChannel: 'app' });
  });

  it('should answer a malformed percent-encoding with problem+json and the security headers', async () => {
    const res = await t.http.get('/customers/v2/profiles/customer-ref/%C3%28', { token });
    expectBadRequest(res);
    expect(res.body.detail).toBe('The URL is not validly percent-encoded UTF-8');
  });

  it('should clear a nullable member on a merge patch and refuse null for one that cannot be', async () => {
    const customerNumber = await createProfile(t, 1, { email: `clear.${Date.now()}@example.com` });
    const path = `/customers/v2/profiles/${customerNumber}`;
    const audit = { changedBy: 'crm-user', changedByChannel: 'crm' };
    const cleared = await t.http.patch(path, {
      token,
      body: { email: null, landlineNumber: null, ...audit },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.email ?? null).toBeNull();
    for (const field of ['firstName', 'surname', 'changedBy']) {
      expectBadRequest(
        await t.http.patch(path, { token, body: { ...audit, [field]: null } }),
        field,
      );
    }
  });

  it('should accept null for the nullable sub-resource fields, as the document says', async () => {
    const customerNumber = await createProfile(t, 1);
    const res = await t.http.post(`/customers/v2/profiles/${customerNumber}/postal-addresses`, {
      token,
      body: {
        addressLine1: 'Storgata 1',
        addressLine2: null,
        postCode: '0150',
        city: 'Oslo',
        countryCode: 'NO',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.addressLine2).toBeNull();
  });
});
