import { randomBytes } from 'node:crypto';
import { createTestApp, TestApp } from '../utils/test-app';

describe('/customers/v1 profiles over the v2 profile service', () => {
  let t: TestApp;
  let org1: string;
  let org2: string;

  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1);
    org2 = t.issuer.partner(2);
  });
  afterAll(() => t.close());

  const newCustomer = () => ({
    firstName: 'Legacy',
    surname: `Kunde${randomBytes(3).toString('hex')}`,
    email: `legacy-${randomBytes(5).toString('hex')}@example.com`,
    createdBy: 'old-app',
    createdByChannel: 'app',
  });

  function expectDeprecated(res: { headers: Headers }, successor: string) {
    expect(res.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(res.headers.get('sunset')).toBe('Tue, 01 Jun 2027 00:00:00 GMT');
    expect(res.headers.get('link')).toBe(`<${successor}>; rel="successor-version"`);
  }

  it('should create, read, replace and search through v1 with the same rules and data as v2', async () => {
    const body = newCustomer();
    const created = await t.http.post('/customers/v1/profiles', { token: org1, body });
    expect(created.status).toBe(201);
    expectDeprecated(created, '/customers/v2/profiles');
    const customerNumber = created.body.customerNumber;
    expect(created.headers.get('location')).toBe(`/customers/v1/profiles/${customerNumber}`);
    expect(created.body).toMatchObject({
      firstName: 'Legacy',
      email: body.email,
      organisationId: 1,
    });

    const v1 = await t.http.get(`/customers/v1/profiles/${customerNumber}`, { token: org1 });
    expect(v1.status).toBe(200);
    expectDeprecated(v1, `/customers/v2/profiles/${customerNumber}`);
    const v2 = await t.http.get(`/customers/v2/profiles/${customerNumber}`, { token: org1 });
    expect(v2.body).toEqual(v1.body);
    expect(v2.headers.get('deprecation')).toBeNull();

    // v1 write → v2 read
    const replaced = await t.http.put(`/customers/v1/profiles/${customerNumber}`, {
      token: org1,
      body: {
        firstName: 'Renamed',
        surname: body.surname,
        email: body.email,
        changedBy: 'old-app',
        changedByChannel: 'app',
      },
    });
    expect(replaced.status).toBe(200);
    expectDeprecated(replaced, `/customers/v2/profiles/${customerNumber}`);
    expect(
      (await t.http.get(`/customers/v2/profiles/${customerNumber}`, { token: org1 })).body
        .firstName,
    ).toBe('Renamed');

    // v2 write → v1 read
    await t.http.patch(`/customers/v2/profiles/${customerNumber}`, {
      token: org1,
      body: { surname: 'Fromvtwo', changedBy: 'new-app', changedByChannel: 'web' },
    });
    expect(
      (await t.http.get(`/customers/v1/profiles/${customerNumber}`, { token: org1 })).body.surname,
    ).toBe('Fromvtwo');

    const search = await t.http.get('/customers/v1/profiles', {
      token: org1,
      query: { email: body.email },
    });
    expect(search.status).toBe(200);
    expectDeprecated(search, '/customers/v2/profiles-search');
    expect(search.body.map((p: { customerNumber: number }) => p.customerNumber)).toEqual([
      customerNumber,
    ]);
  });

  it('should keep the v2 rules: conflicts, validation and organisation isolation, with deprecation headers', async () => {
    const body = newCustomer();
    const created = await t.http.post('/customers/v1/profiles', { token: org1, body });
    const customerNumber = created.body.customerNumber;

    const clash = await t.http.post('/customers/v1/profiles', {
      token: org1,
      body: { ...newCustomer(), email: body.email },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.errorCode).toBe(602);

    const invalid = await t.http.post('/customers/v1/profiles', {
      token: org1,
      body: { ...newCustomer(), email: 'nope' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expectDeprecated(invalid, '/customers/v2/profiles');

    expect((await t.http.get('/customers/v1/profiles/abc', { token: org1 })).status).toBe(400);
    const foreign = await t.http.get(`/customers/v1/profiles/${customerNumber}`, { token: org2 });
    expect(foreign.status).toBe(404);
    expectDeprecated(foreign, `/customers/v2/profiles/${customerNumber}`);
    const foreignPut = await t.http.put(`/customers/v1/profiles/${customerNumber}`, {
      token: org2,
      body: { firstName: 'Hijack', surname: 'X', changedBy: 'x', changedByChannel: 'x' },
    });
    expect(foreignPut.status).toBe(404);
    const foreignSearch = await t.http.get('/customers/v1/profiles', {
      token: org2,
      query: { email: body.email },
    });
    expect(foreignSearch.body).toEqual([]);
    expect(
      (await t.http.get(`/customers/v1/profiles/${customerNumber}`, { token: org1 })).body
        .firstName,
    ).toBe('Legacy');
    expect(
      (
        await t.http.get(`/customers/v1/profiles/${customerNumber}`, {
          token: t.issuer.partner(1, ['consents:read']),
        })
      ).status,
    ).toBe(403);
  });

  it('should document every /customers/v1 operation as deprecated', async () => {
    const doc = await t.http.get('/docs/v1/openapi.json');
    expect(doc.status).toBe(200);
    const operations = Object.entries(
      doc.body.paths as Record<
        string,
        Record<string, { deprecated?: boolean; operationId: string }>
      >,
    ).flatMap(([path, ops]) => Object.values(ops).map((op) => ({ path, ...op })));
    expect(operations.map((o) => o.operationId)).toEqual(
      expect.arrayContaining([
        'getCustomerV1',
        'createCustomerV1',
        'replaceCustomerV1',
        'searchCustomersV1',
      ]),
    );
    for (const operation of operations) {
      expect(operation.path.startsWith('/customers/v1/')).toBe(true);
      expect(operation.deprecated).toBe(true);
    }
  });
});
