import { createProfile } from '../factories/profile.factory';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';
import { activeConsent } from './consents.fixtures';

const GIVEN = '/customers/v2/consents/given-consents';
const CRM = '/customers/v2/consents/crm';

/** Follows `rel="next"` from a first request; returns each page's ids. */
async function walk(
  t: TestApp,
  token: string,
  first: string,
  idOf: (row: any) => number,
): Promise<number[][]> {
  const pages: number[][] = [];
  let next: string | null = first;
  while (next) {
    const res: ApiResponse = await t.http.get(next, { token });
    expect(res.status).toBe(200);
    pages.push(res.body.map(idOf));
    const link: string | null = res.headers.get('link');
    next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1] : null;
  }
  return pages;
}

describe('paging of the lists that grow (given consents, CRM export, audit trail)', () => {
  let t: TestApp;
  let org1: string;
  let customerNumber: number;
  let consentIds: number[];
  let givenIds: number[];

  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1);
    customerNumber = (await createProfile(t)).customerNumber;
    consentIds = [];
    givenIds = [];
    for (let i = 0; i < 5; i++) {
      const { id: consentId } = await activeConsent(t, org1);
      consentIds.push(consentId);
      const given = await t.http.post(GIVEN, {
        token: org1,
        body: { customerNumber, consentId, consentChoice: true, distributionChannel: 'app' },
      });
      expect(given.status).toBe(201);
      givenIds.push(given.body.id);
    }
  });
  afterAll(() => t.close());

  it("should page a customer's given consents and still list them whole by default", async () => {
    const pages = await walk(
      t,
      org1,
      `${GIVEN}?customerNumber=${customerNumber}&maxResultSet=2`,
      (g) => g.id,
    );
    expect(pages).toEqual([givenIds.slice(0, 2), givenIds.slice(2, 4), givenIds.slice(4)]);
    const whole = await t.http.get(GIVEN, { token: org1, query: { customerNumber } });
    expect(whole.body.map((g: { id: number }) => g.id)).toEqual(givenIds);
    expect(whole.headers.get('link')).toBeNull();
  });

  it('should page the CRM export when asked for pages, and stream it whole otherwise', async () => {
    const filter = `consentIds=${consentIds.join(',')}`;
    const pages = await walk(t, org1, `${CRM}?${filter}&maxResultSet=2`, (r) => r.givenConsentId);
    expect(pages).toEqual([givenIds.slice(0, 2), givenIds.slice(2, 4), givenIds.slice(4)]);
    const whole = await t.http.get(`${CRM}?${filter}`, { token: org1 });
    expect(whole.body.map((r: { givenConsentId: number }) => r.givenConsentId)).toEqual(givenIds);
    expect(whole.headers.get('link')).toBeNull();
  });

  it("should page a customer's audit trail in the order it was recorded", async () => {
    const admin = t.issuer.admin();
    for (let i = 0; i < 5; i++) {
      const patched = await t.http.patch(`/customers/v2/profiles/${customerNumber}`, {
        token: org1,
        headers: { 'content-type': 'application/merge-patch+json' },
        body: { firstName: `Kari${'i'.repeat(i)}`, changedBy: 'test', changedByChannel: 'test' },
      });
      expect(patched.status).toBe(200);
    }
    const all = await t.http.get(`/customers/v2/profiles/${customerNumber}/audit`, {
      token: admin,
    });
    const ids: number[] = all.body.map((e: { id: number }) => e.id);
    expect(ids.length).toBeGreaterThanOrEqual(6);
    const pages = await walk(
      t,
      admin,
      `/customers/v2/profiles/${customerNumber}/audit?maxResultSet=4`,
      (e) => e.id,
    );
    expect(pages.flat()).toEqual(ids);
    expect(pages.slice(0, -1).every((page) => page.length === 4)).toBe(true);
  });

  it('should answer an empty later page, not 404, and 400 for a cursor it did not issue', async () => {
    const admin = t.issuer.admin();
    const audit = `/customers/v2/profiles/${customerNumber}/audit`;
    const first = await t.http.get(audit, { token: admin, query: { maxResultSet: 1000 } });
    const last = Math.max(...first.body.map((e: { id: number }) => e.id));
    const beyond = Buffer.from(`k1:${last}`).toString('base64url');
    const empty = await t.http.get(audit, { token: admin, query: { cursor: beyond } });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual([]);
    for (const [path, token] of [
      [`${GIVEN}?customerNumber=${customerNumber}`, org1],
      [CRM, org1],
      [audit, admin],
    ]) {
      const bad = await t.http.get(`${path}${path.includes('?') ? '&' : '?'}cursor=bogus`, {
        token,
      });
      expect({ path, status: bad.status }).toEqual({ path, status: 400 });
    }
  });
});
