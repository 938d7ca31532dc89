import { createTestApp, TestApp } from '../utils/test-app';
import { createProfile, terms, unique } from './consents.fixtures';

const BASES = '/customers/v2/consents/consent-bases';
const CONSENTS = '/customers/v2/consents/consents';
const GIVEN = '/customers/v2/consents/given-consents';

describe('consent terms for partners', () => {
  let t: TestApp;
  let admin: string;
  let org1: string;
  /** A partner that may only read consents: what a customer-facing front end holds. */
  let reader: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.issuer.admin();
    org1 = t.issuer.partner(1);
    reader = t.issuer.partner(1, ['consents:read'], 'consent-reader');
  });
  afterAll(() => t.close());

  async function activeBase(internalDescription?: string): Promise<string> {
    const code = `T_${unique()}`;
    const created = await t.http.post(BASES, {
      token: admin,
      body: { consentCode: code, terms: terms('News'), internalDescription },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${BASES}/${code}/versions/1`);
    const activated = await t.http.post(`${BASES}/${code}/versions/1/activate`, { token: admin });
    expect(activated.status).toBe(200);
    return code;
  }

  it('should let a consents:read partner read the bases, but not manage them', async () => {
    const code = await activeBase('Campaign follow-up, owner only');
    const list = await t.http.get(BASES, { token: reader });
    expect(list.status).toBe(200);
    expect(list.body.map((b: { consentCode: string }) => b.consentCode)).toContain(code);
    const versions = await t.http.get(`${BASES}/${code}/versions`, { token: reader });
    expect(versions.status).toBe(200);
    const one = await t.http.get(`${BASES}/${code}/versions/1`, { token: reader });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ consentCode: code, version: 1, terms: terms('News') });
    // The admin's notes stay with the owner (organisation 1 here) and the platform operator.
    expect(one.body.internalDescription).toBe('Campaign follow-up, owner only');
    const otherOrganisation = await t.http.get(`${BASES}/${code}/versions/1`, {
      token: t.issuer.partner(2, ['consents:read']),
    });
    expect(otherOrganisation.status).toBe(200);
    expect(otherOrganisation.body.internalDescription).toBeNull();

    for (const [method, path, body] of [
      ['POST', BASES, { consentCode: `T_${unique()}`, terms: terms('x') }],
      ['POST', `${BASES}/${code}/versions`, { terms: terms('x') }],
      ['PUT', `${BASES}/${code}/versions/1`, { terms: terms('x') }],
      ['POST', `${BASES}/${code}/versions/1/activate`, undefined],
    ] as const) {
      const res = await t.http.request(method, path, { token: org1, body });
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
    const noConsents = t.issuer.partner(1, ['customers:read']);
    expect((await t.http.get(BASES, { token: noConsents })).status).toBe(403);
  });

  it('should embed the base version in consents and the consent in given consents, with Location on the creates', async () => {
    const code = await activeBase();
    const version2 = await t.http.post(`${BASES}/${code}/versions`, {
      token: admin,
      body: { terms: terms('News v2') },
    });
    expect(version2.status).toBe(201);
    expect(version2.headers.get('location')).toBe(`${BASES}/${code}/versions/2`);

    const consent = await t.http.post(CONSENTS, {
      token: org1,
      body: { consentCode: code, isSmsSupported: true },
    });
    expect(consent.status).toBe(201);
    expect(consent.headers.get('location')).toBe(`${CONSENTS}/${consent.body.id}`);
    // Version 2 is still a draft: the consent uses version 1, and shows its terms.
    expect(consent.body.consentBase).toMatchObject({
      consentCode: code,
      version: 1,
      status: 'ACTIVE',
      terms: terms('News'),
    });
    const located = await t.http.get(consent.headers.get('location')!, { token: reader });
    expect(located.body).toEqual(consent.body);
    const listed = await t.http.get(CONSENTS, { token: reader, query: { consentCodes: code } });
    expect(listed.body).toEqual([consent.body]);

    const customerNumber = await createProfile(t, 1);
    const given = await t.http.post(GIVEN, {
      token: org1,
      body: {
        customerNumber,
        consentId: consent.body.id,
        consentChoice: true,
        distributionChannel: 'app',
      },
    });
    expect(given.status).toBe(201);
    expect(given.headers.get('location')).toBe(`${GIVEN}/${given.body.id}`);
    expect(given.body.consent).toEqual(consent.body);
    expect(given.body.consent.consentBase.terms).toEqual(terms('News'));
    for (const read of [
      await t.http.get(`${GIVEN}/${given.body.id}`, { token: reader }),
      await t.http.get(GIVEN, { token: reader, query: { customerNumber } }),
      await t.http.patch(`${GIVEN}/${given.body.id}`, {
        token: org1,
        body: { distributionChannel: 'web' },
      }),
      await t.http.delete(`${GIVEN}/${given.body.id}`, { token: org1 }),
    ]) {
      expect(read.status).toBe(200);
      const body = Array.isArray(read.body) ? read.body[0] : read.body;
      expect(body.consent.consentBase).toMatchObject({ consentCode: code, version: 1 });
    }
  });
});
