import { randomBytes } from 'node:crypto';
import { createTestApp, TestApp } from '../utils/test-app';
import { createProfile } from './consents.fixtures';

const BASES = ['/customers/v2/consents/v1/customers', '/customers/v1/consents/customers'];

describe('legacy consents v1 over the v2 store', () => {
  let t: TestApp;
  let org1: string;
  let code: string;
  let consentId: number;

  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1, undefined, 'legacy-client');
    const admin = t.issuer.admin();
    code = `V1_${randomBytes(4).toString('hex').toUpperCase()}`;
    await t.http.post('/customers/v2/consents/consent-bases', {
      token: admin,
      body: {
        consentCode: code,
        terms: [{ language: 'nob', shortText: 'Nyheter', longText: 'Nyheter på e-post' }],
      },
    });
    await t.http.post(`/customers/v2/consents/consent-bases/${code}/versions/1/activate`, {
      token: admin,
    });
    const consent = await t.http.post('/customers/v2/consents/consents', {
      token: org1,
      body: { consentCode: code, isEmailSupported: true },
    });
    consentId = consent.body.id;
  });
  afterAll(() => t.close());

  function expectDeprecated(res: { headers: Headers }, successor: string) {
    expect(res.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(res.headers.get('sunset')).toMatch(/GMT$/);
    expect(res.headers.get('link')).toBe(`<${successor}>; rel="successor-version"`);
  }

  it.each(BASES)('should show a v1 write in v2 and a v2 write in v1 (%s)', async (base) => {
    const customerNumber = await createProfile(t, 1);
    const put = await t.http.put(`${base}/${customerNumber}/${code}`, {
      token: org1,
      body: { consentChoice: 'approved', changedBy: 'ola', changedByChannel: 'web' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      customerId: customerNumber,
      consentCode: code,
      consentChoice: 'approved',
    });
    expectDeprecated(put, '/customers/v2/consents/given-consents');

    // v1 → v2: the write is a given consent of the organisation's consent for the code.
    const v2 = await t.http.get('/customers/v2/consents/given-consents', {
      token: org1,
      query: { customerNumber },
    });
    expect(v2.body).toHaveLength(1);
    expect(v2.body[0]).toMatchObject({
      consentId,
      consentCode: code,
      consentChoice: true,
      distributionChannel: 'web',
      changedBy: 'ola',
    });
    const id = v2.body[0].id;

    // v2 → v1: a withdrawal in v2 reads as declined in v1.
    await t.http.patch(`/customers/v2/consents/given-consents/${id}`, {
      token: org1,
      body: { consentChoice: false },
    });
    const read = await t.http.get(`${base}/${customerNumber}`, { token: org1 });
    expect(read.status).toBe(200);
    expect(read.body).toEqual([
      expect.objectContaining({
        customerId: customerNumber,
        consentCode: code,
        consentChoice: 'declined',
      }),
    ]);
    expectDeprecated(
      read,
      `/customers/v2/consents/given-consents?customerNumber=${customerNumber}`,
    );

    // v1 again changes the same given consent, and the history has every step.
    await t.http.put(`${base}/${customerNumber}/${code}`, {
      token: org1,
      body: { consentChoice: 'approved', changedBy: 'ola', changedByChannel: 'app' },
    });
    const history = await t.http.get(`/customers/v2/consents/given-consents/${id}/history`, {
      token: org1,
    });
    expect(history.body.map((e: { event: string }) => e.event)).toEqual([
      'GIVEN',
      'WITHDRAWN',
      'GIVEN',
    ]);
    expect(history.body[2]).toMatchObject({ clientId: 'legacy-client', changedByChannel: 'app' });
  });

  it('should create a v1 choice from a v2 given consent made first', async () => {
    const customerNumber = await createProfile(t, 1);
    await t.http.post('/customers/v2/consents/given-consents', {
      token: org1,
      body: { customerNumber, consentId, consentChoice: false, distributionChannel: 'app' },
    });
    for (const base of BASES) {
      const read = await t.http.get(`${base}/${customerNumber}`, { token: org1 });
      expect(read.body).toMatchObject([{ consentCode: code, consentChoice: 'declined' }]);
    }
  });

  it('should answer 404 for a code the organisation does not offer and 400 for bad input', async () => {
    const customerNumber = await createProfile(t, 1);
    const body = { consentChoice: 'approved', changedBy: 'ola', changedByChannel: 'web' };
    for (const base of BASES) {
      const unknown = await t.http.put(`${base}/${customerNumber}/NOT_OFFERED`, {
        token: org1,
        body,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toContain('application/problem+json');
      expectDeprecated(unknown, '/customers/v2/consents/given-consents');
      // Another organisation has no consent for the code either.
      const otherOrg = await createProfile(t, 2);
      expect(
        (await t.http.put(`${base}/${otherOrg}/${code}`, { token: t.issuer.partner(2), body }))
          .status,
      ).toBe(404);
      for (const bad of [
        { ...body, consentChoice: 'yes' },
        { ...body, consentChoice: true },
        { consentChoice: 'approved' },
      ]) {
        expect(
          (await t.http.put(`${base}/${customerNumber}/${code}`, { token: org1, body: bad }))
            .status,
        ).toBe(400);
      }
      expect((await t.http.get(`${base}/abc`, { token: org1 })).status).toBe(400);
      expect((await t.http.get(`${base}/${customerNumber}`, { token: org1 })).body).toEqual([]);
    }
  });

  it('should list every v1 consent operation as deprecated in the v1 and v2 documents', async () => {
    const v1 = await t.http.get('/docs/v1/openapi.json');
    const v1Consents = Object.entries(v1.body.paths).filter(([p]) =>
      p.startsWith('/customers/v1/consents'),
    );
    const v2 = await t.http.get('/docs/v2/openapi.json');
    const v2Legacy = Object.entries(v2.body.paths).filter(([p]) =>
      p.startsWith('/customers/v2/consents/v1'),
    );
    for (const paths of [v1Consents, v2Legacy]) {
      expect(paths).toHaveLength(2);
      for (const [, operations] of paths) {
        for (const operation of Object.values(
          operations as Record<string, { deprecated?: boolean }>,
        )) {
          expect(operation.deprecated).toBe(true);
        }
      }
    }
  });
});
