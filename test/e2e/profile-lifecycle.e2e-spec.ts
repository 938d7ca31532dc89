import { randomUUID } from 'node:crypto';
import { Clock } from '../../src/common/clock/clock';
import { ExpiryService } from '../../src/expiry/expiry.service';
import { ApiResponse, RequestOptions } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';
import { activeConsent } from './consents.fixtures';

const PROFILES = '/customers/v2/profiles';
const GIVEN = '/customers/v2/consents/given-consents';
const unique = () => randomUUID().replace(/-/g, '').slice(0, 12);
const ecardNumber = () => String(Math.floor(Math.random() * 9e15) + 1e15);

/** A valid body of each sub-resource, so only the profile's lifecycle can refuse it. */
const RESOURCE_BODIES: Record<string, () => Record<string, unknown>> = {
  'postal-addresses': () => ({ addressLine1: 'Storgata 1', postCode: '0150', city: 'Oslo' }),
  preferences: () => ({ preferenceCode: `QUIET-${unique()}`, preferenceType: 'COMFORT' }),
  ecards: () => ({
    ecardNumber16digits: ecardNumber(),
    ecardOperator: 'RUTER',
    startOfOwnership: '2026-01-15T10:00:00.000Z',
  }),
  'loyalty-programs': () => ({
    loyaltyProgramType: 'TIMED',
    programId: `STUDENT-${unique()}`,
    validFrom: '2026-01-01T00:00:00.000Z',
  }),
  'customer-accounts': () => ({ accountId: `ACC-${unique()}`, alias: `family-${unique()}` }),
  notes: () => ({ text: 'Called about a refund', createdBy: 'agent-1' }),
};

/** Where a replace takes another body than an add. */
const RESOURCE_UPDATE_BODIES: Record<string, () => Record<string, unknown>> = {
  notes: () => ({ text: 'Refund paid', changedBy: 'agent-2' }),
};

function expectProblem(res: ApiResponse, status: number, errorCode?: number): void {
  expect({ status: res.status, type: res.headers.get('content-type') }).toEqual({
    status,
    type: expect.stringContaining('application/problem+json'),
  });
  if (errorCode !== undefined) {
    expect(res.body.errorCode).toBe(errorCode);
  }
}

describe('profile lifecycle: deactivated profiles, restore, conditional requests', () => {
  let t: TestApp;
  let org1: string;
  let org2: string;
  let clock: Clock;

  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1);
    org2 = t.issuer.partner(2);
    clock = t.app.get(Clock);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  async function createProfile(token = org1, email = `kari.${unique()}@example.com`) {
    const res = await t.http.post(PROFILES, {
      token,
      body: {
        firstName: 'Kari',
        surname: 'Nordmann',
        email,
        createdBy: 'test',
        createdByChannel: 'web',
      },
    });
    expect(res.status).toBe(201);
    return res.body as { customerNumber: number; email: string; version: number };
  }

  async function deactivate(customerNumber: number, token = org1): Promise<void> {
    const res = await t.http.delete(`${PROFILES}/${customerNumber}`, { token });
    expect(res.status).toBe(200);
  }

  describe('a deactivated profile', () => {
    let n: number;
    let resourceIds: Record<string, number>;
    let declinedConsent: { code: string; id: number };
    let givenConsent: { code: string; id: number };
    let givenId: number;
    let declinedId: number;
    let freshConsent: { code: string; id: number };

    beforeAll(async () => {
      n = (await createProfile()).customerNumber;
      resourceIds = {};
      for (const [path, body] of Object.entries(RESOURCE_BODIES)) {
        const res = await t.http.post(`${PROFILES}/${n}/${path}`, { token: org1, body: body() });
        expect(res.status).toBe(201);
        resourceIds[path] = res.body.id;
      }
      declinedConsent = await activeConsent(t, org1);
      givenConsent = await activeConsent(t, org1);
      freshConsent = await activeConsent(t, org1);
      const declined = await t.http.post(GIVEN, {
        token: org1,
        body: {
          customerNumber: n,
          consentId: declinedConsent.id,
          consentChoice: false,
          distributionChannel: 'app',
        },
      });
      const given = await t.http.post(GIVEN, {
        token: org1,
        body: {
          customerNumber: n,
          consentId: givenConsent.id,
          consentChoice: true,
          distributionChannel: 'app',
        },
      });
      expect([declined.status, given.status]).toEqual([201, 201]);
      declinedId = declined.body.id;
      givenId = given.body.id;
      await deactivate(n);
    });

    /** Every write a deactivated profile must refuse: [name, method, path, options]. */
    function refusedWrites(): [string, string, string, RequestOptions][] {
      const writes: [string, string, string, RequestOptions][] = [
        [
          'PUT profile',
          'PUT',
          `${PROFILES}/${n}`,
          { body: { firstName: 'X', surname: 'Y', changedBy: 'a', changedByChannel: 'b' } },
        ],
        [
          'PATCH profile',
          'PATCH',
          `${PROFILES}/${n}`,
          { body: { firstName: 'X', changedBy: 'a', changedByChannel: 'b' } },
        ],
        [
          'PUT v1 customer',
          'PUT',
          `/customers/v1/profiles/${n}`,
          { body: { firstName: 'X', surname: 'Y', changedBy: 'a', changedByChannel: 'b' } },
        ],
        ['PUT password', 'PUT', `${PROFILES}/${n}/password`, { body: { newPassword: 'abcD1234' } }],
        ['POST password/generate', 'POST', `${PROFILES}/${n}/password/generate`, {}],
        [
          'POST given consent (opt-in)',
          'POST',
          GIVEN,
          {
            body: {
              customerNumber: n,
              consentId: freshConsent.id,
              consentChoice: true,
              distributionChannel: 'app',
            },
          },
        ],
        [
          'PATCH given consent to true (opt-in)',
          'PATCH',
          `${GIVEN}/${declinedId}`,
          { body: { consentChoice: true, distributionChannel: 'app' } },
        ],
        [
          'PATCH given consent contact data',
          'PATCH',
          `${GIVEN}/${declinedId}`,
          { body: { email: 'new@example.com' } },
        ],
        [
          'PUT v1 consent approved (v2 base)',
          'PUT',
          `/customers/v2/consents/v1/customers/${n}/${declinedConsent.code}`,
          { body: { consentChoice: 'approved', changedBy: 'a', changedByChannel: 'b' } },
        ],
        [
          'PUT v1 consent approved (v1 base)',
          'PUT',
          `/customers/v1/consents/customers/${n}/${declinedConsent.code}`,
          { body: { consentChoice: 'approved', changedBy: 'a', changedByChannel: 'b' } },
        ],
      ];
      for (const [path, body] of Object.entries(RESOURCE_BODIES)) {
        const item = `${PROFILES}/${n}/${path}`;
        writes.push(
          [`POST ${path}`, 'POST', item, { body: body() }],
          [
            `PUT ${path}`,
            'PUT',
            `${item}/${resourceIds[path]}`,
            { body: (RESOURCE_UPDATE_BODIES[path] ?? body)() },
          ],
          [`DELETE ${path}`, 'DELETE', `${item}/${resourceIds[path]}`, {}],
        );
      }
      return writes;
    }

    it('should refuse every write to it and to what hangs on it with 409 errorCode 625, changing nothing', async () => {
      const before = await t.http.get(`${PROFILES}/${n}`, { token: org1 });
      const token = t.issuer.partner(1);
      const answers: Record<string, [number, number]> = {};
      for (const [name, method, path, options] of refusedWrites()) {
        const res = await t.http.request(method, path, { token, ...options });
        expectProblem(res, 409);
        answers[name] = [res.status, res.body.errorCode];
      }
      expect(Object.values(answers).every(([, code]) => code === 625)).toBe(true);
      expect(Object.keys(answers)).toHaveLength(28);
      const after = await t.http.get(`${PROFILES}/${n}`, { token: org1 });
      expect(after.body).toEqual(before.body);
      for (const path of Object.keys(RESOURCE_BODIES)) {
        const list = await t.http.get(`${PROFILES}/${n}/${path}`, { token: org1 });
        expect(list.body.map((r: { id: number }) => r.id)).toEqual([resourceIds[path]]);
      }
      const declined = await t.http.get(`${GIVEN}/${declinedId}`, { token: org1 });
      expect(declined.body).toMatchObject({ consentChoice: false, revision: 1, email: null });
    });

    it('should still accept withdrawals and declines, and leave the profile out of the CRM export', async () => {
      const withdrawn = await t.http.delete(`${GIVEN}/${givenId}`, { token: org1 });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({ consentChoice: false });
      const declinedAgain = await t.http.patch(`${GIVEN}/${declinedId}`, {
        token: org1,
        body: { consentChoice: false },
      });
      expect(declinedAgain.status).toBe(200);
      const v1Declined = await t.http.put(
        `/customers/v1/consents/customers/${n}/${givenConsent.code}`,
        { token: org1, body: { consentChoice: 'declined', changedBy: 'a', changedByChannel: 'b' } },
      );
      expect(v1Declined.status).toBe(200);
      const newDecline = await t.http.post(GIVEN, {
        token: org1,
        body: {
          customerNumber: n,
          consentId: freshConsent.id,
          consentChoice: false,
          distributionChannel: 'app',
        },
      });
      expect(newDecline.status).toBe(201);

      const crm = await t.http.get('/customers/v2/consents/crm', {
        token: org1,
        query: { consentIds: `${declinedConsent.id},${givenConsent.id},${freshConsent.id}` },
      });
      expect(crm.status).toBe(200);
      const rows = (crm.body as { customerNumber: number; consentChoice: boolean }[]).filter(
        (r) => r.customerNumber === n,
      );
      // Deactivated is deleted for partners: none of its consents is exported, not even the
      // withdrawals and declines it still takes.
      expect(rows).toEqual([]);
    });
  });

  describe('restore', () => {
    it('should bring a deactivated profile back before its purge, with its e-mail and what hangs on it, and audit it', async () => {
      const p = await createProfile();
      const address = await t.http.post(`${PROFILES}/${p.customerNumber}/postal-addresses`, {
        token: org1,
        body: RESOURCE_BODIES['postal-addresses'](),
      });
      await deactivate(p.customerNumber);
      const restored = await t.http.post(`${PROFILES}/${p.customerNumber}/restore`, {
        token: org1,
      });
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({
        status: 'A',
        email: p.email,
        emailOld: null,
        version: 3,
      });
      expect(restored.headers.get('etag')).toBe('"3"');
      const addresses = await t.http.get(`${PROFILES}/${p.customerNumber}/postal-addresses`, {
        token: org1,
      });
      expect(addresses.body.map((a: { id: number }) => a.id)).toEqual([address.body.id]);
      // Writable again.
      const patched = await t.http.patch(`${PROFILES}/${p.customerNumber}`, {
        token: org1,
        body: { firstName: 'Kari Back', changedBy: 'a', changedByChannel: 'b' },
      });
      expect(patched.status).toBe(200);
      const [{ purge_at: purgeAt }] = await t.dataSource.query(
        `SELECT purge_at FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
        [p.customerNumber],
      );
      expect(purgeAt).toBeNull();

      const trail = await t.http.get(`${PROFILES}/${p.customerNumber}/audit`, {
        token: t.issuer.admin(),
      });
      expect(trail.body.map((e: { operation: string }) => e.operation)).toContain(
        'PROFILE_RESTORED',
      );
      const entry = trail.body.find(
        (e: { operation: string }) => e.operation === 'PROFILE_RESTORED',
      );
      expect(entry.fields).toEqual(expect.arrayContaining(['status', 'email']));
    });

    it('should restore once under 20 parallel identical requests: one 200, the rest 614, one audit row', async () => {
      const p = await createProfile();
      await deactivate(p.customerNumber);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.http.post(`${PROFILES}/${p.customerNumber}/restore`, { token: org1 }),
        ),
      );
      expect(answers.filter((res) => res.status === 200)).toHaveLength(1);
      for (const res of answers.filter((r) => r.status !== 200)) {
        expectProblem(res, 409, 614);
      }
      const trail = await t.http.get(`${PROFILES}/${p.customerNumber}/audit`, {
        token: t.issuer.admin(),
      });
      expect(
        trail.body.filter((e: { operation: string }) => e.operation === 'PROFILE_RESTORED'),
      ).toHaveLength(1);
    });

    it('should answer 614 for an active profile and 404 for another organisation or a missing one', async () => {
      const p = await createProfile();
      expectProblem(
        await t.http.post(`${PROFILES}/${p.customerNumber}/restore`, { token: org1 }),
        409,
        614,
      );
      await deactivate(p.customerNumber);
      const foreign = await t.http.post(`${PROFILES}/${p.customerNumber}/restore`, { token: org2 });
      const missing = await t.http.post(`${PROFILES}/999999999991/restore`, { token: org2 });
      expectProblem(foreign, 404, 617);
      expect(foreign.body.detail.replace(/\d+/g, 'N')).toBe(
        missing.body.detail.replace(/\d+/g, 'N'),
      );
      const still = await t.http.get(`${PROFILES}/${p.customerNumber}`, { token: org1 });
      expect(still.body.status).toBe('D');
    });

    it('should answer 409 errorCode 602 when another profile took the e-mail meanwhile', async () => {
      const p = await createProfile();
      await deactivate(p.customerNumber);
      await createProfile(org1, p.email.toUpperCase());
      const res = await t.http.post(`${PROFILES}/${p.customerNumber}/restore`, { token: org1 });
      expectProblem(res, 409, 602);
      const still = await t.http.get(`${PROFILES}/${p.customerNumber}`, { token: org1 });
      expect(still.body).toMatchObject({ status: 'D', emailOld: p.email });
    });

    it('should honour If-Match', async () => {
      const p = await createProfile();
      await deactivate(p.customerNumber);
      const stale = await t.http.post(`${PROFILES}/${p.customerNumber}/restore`, {
        token: org1,
        headers: { 'if-match': '"1"' },
      });
      expectProblem(stale, 412);
      expect(stale.body.currentVersion).toBe(2);
      const fresh = await t.http.post(`${PROFILES}/${p.customerNumber}/restore`, {
        token: org1,
        headers: { 'if-match': '"2"' },
      });
      expect(fresh.status).toBe(200);
    });

    it('should refuse once the purge time has come (613) and answer 404 after the purge', async () => {
      const p = await createProfile();
      await deactivate(p.customerNumber);
      const [{ purge_at: purgeAt }] = await t.dataSource.query(
        `SELECT purge_at FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
        [p.customerNumber],
      );
      jest.spyOn(clock, 'now').mockReturnValue(new Date(purgeAt.getTime()));
      expectProblem(
        await t.http.post(`${PROFILES}/${p.customerNumber}/restore`, { token: org1 }),
        409,
        613,
      );
      await t.app.get(ExpiryService).expireDue(new Date(purgeAt.getTime()));
      expectProblem(
        await t.http.post(`${PROFILES}/${p.customerNumber}/restore`, { token: org1 }),
        404,
        617,
      );
    });
  });

  describe('conditional requests', () => {
    const TEMPORARY = `${PROFILES}/temporary`;
    const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

    async function createTemporary(): Promise<number> {
      const res = await t.http.post(TEMPORARY, {
        token: org1,
        body: { expirationDate: tomorrow(), createdBy: 'test', createdByChannel: 'web' },
      });
      expect(res.status).toBe(201);
      return res.body.customerNumber;
    }

    const replacement = () => ({
      expirationDate: tomorrow(),
      firstName: 'Kari',
      changedBy: 'a',
      changedByChannel: 'b',
    });

    it('should answer 412 to a temporary PUT with a stale If-Match, changing nothing', async () => {
      const n = await createTemporary();
      const first = await t.http.put(`${TEMPORARY}/${n}`, {
        token: org1,
        headers: { 'if-match': '"1"' },
        body: replacement(),
      });
      expect(first.status).toBe(200);
      expect(first.headers.get('etag')).toBe('"2"');
      const stale = await t.http.put(`${TEMPORARY}/${n}`, {
        token: org1,
        headers: { 'if-match': '"1"' },
        body: { ...replacement(), firstName: 'Lost' },
      });
      expectProblem(stale, 412, 412);
      expect(stale.body.currentVersion).toBe(2);
      expect(stale.headers.get('etag')).toBe('"2"');
      const read = await t.http.get(`${TEMPORARY}/${n}`, { token: org1 });
      expect(read.body.firstName).toBe('Kari');
      expectProblem(
        await t.http.put(`${TEMPORARY}/${n}`, {
          token: org1,
          headers: { 'if-match': 'yesterday' },
          body: replacement(),
        }),
        400,
      );
    });

    it('should answer 412 to a conversion with a stale If-Match', async () => {
      const n = await createTemporary();
      const stale = await t.http.post(`${TEMPORARY}/${n}/convert`, {
        token: org1,
        headers: { 'if-match': '"7"' },
        body: { firstName: 'Kari', surname: 'Nordmann', createdBy: 'a', createdByChannel: 'b' },
      });
      expectProblem(stale, 412);
      const still = await t.http.get(`${TEMPORARY}/${n}`, { token: org1 });
      expect(still.status).toBe(200);
    });

    it('should delete a temporary profile only at the version read when If-Match is sent', async () => {
      const n = await createTemporary();
      const replaced = await t.http.put(`${TEMPORARY}/${n}`, { token: org1, body: replacement() });
      expect(replaced.headers.get('etag')).toBe('"2"');
      const stale = await t.http.delete(`${TEMPORARY}/${n}`, {
        token: org1,
        headers: { 'if-match': '"1"' },
      });
      expectProblem(stale, 412, 412);
      expect(stale.body.currentVersion).toBe(2);
      expect(stale.headers.get('etag')).toBe('"2"');
      expectProblem(
        await t.http.delete(`${TEMPORARY}/${n}`, {
          token: org1,
          headers: { 'if-match': 'yesterday' },
        }),
        400,
      );
      expect((await t.http.get(`${TEMPORARY}/${n}`, { token: org1 })).body.firstName).toBe('Kari');
      // Another organisation's If-Match changes nothing: 404, as for a missing profile.
      expectProblem(
        await t.http.delete(`${TEMPORARY}/${n}`, { token: org2, headers: { 'if-match': '"2"' } }),
        404,
      );
      const deleted = await t.http.delete(`${TEMPORARY}/${n}`, {
        token: org1,
        headers: { 'if-match': 'W/"2"' },
      });
      expect(deleted.status).toBe(204);
      expectProblem(await t.http.get(`${TEMPORARY}/${n}`, { token: org1 }), 404);
    });

    it('should delete unconditionally without If-Match, permanent and temporary profiles alike', async () => {
      const n = await createTemporary();
      await t.http.put(`${TEMPORARY}/${n}`, { token: org1, body: replacement() });
      expect((await t.http.delete(`${TEMPORARY}/${n}`, { token: org1 })).status).toBe(204);
      const p = await createProfile();
      await t.http.patch(`${PROFILES}/${p.customerNumber}`, {
        token: org1,
        body: { firstName: 'Changed', changedBy: 'a', changedByChannel: 'b' },
      });
      const stale = await t.http.delete(`${PROFILES}/${p.customerNumber}`, {
        token: org1,
        headers: { 'if-match': '"1"' },
      });
      expectProblem(stale, 412, 412);
      expect(stale.body.currentVersion).toBe(2);
      const deactivated = await t.http.delete(`${PROFILES}/${p.customerNumber}`, { token: org1 });
      expect(deactivated.status).toBe(200);
      expect(deactivated.body.status).toBe('D');
    });

    it('should answer 304 without a body when If-None-Match holds the current ETag', async () => {
      const p = await createProfile();
      const n = await createTemporary();
      const reads = [
        `${PROFILES}/${p.customerNumber}`,
        `${PROFILES}/customer-ref/${p.customerNumber}`,
        `${TEMPORARY}/${n}`,
        `/customers/v1/profiles/${p.customerNumber}`,
      ];
      for (const path of reads) {
        const first = await t.http.get(path, { token: org1 });
        const etag = first.headers.get('etag')!;
        expect(etag).toBe('"1"');
        for (const header of [etag, `W/${etag}`, `"99", ${etag}`, '*']) {
          const again = await t.http.get(path, {
            token: org1,
            headers: { 'if-none-match': header },
          });
          expect([path, header, again.status, again.text]).toEqual([path, header, 304, '']);
          expect(again.headers.get('etag')).toBe(etag);
        }
        const changed = await t.http.get(path, {
          token: org1,
          headers: { 'if-none-match': '"0"' },
        });
        expect(changed.status).toBe(200);
      }
      // A change makes the old ETag stale: the full answer again.
      await t.http.patch(`${PROFILES}/${p.customerNumber}`, {
        token: org1,
        body: { firstName: 'Changed', changedBy: 'a', changedByChannel: 'b' },
      });
      const after = await t.http.get(`${PROFILES}/${p.customerNumber}`, {
        token: org1,
        headers: { 'if-none-match': '"1"' },
      });
      expect(after.status).toBe(200);
      expect(after.body.firstName).toBe('Changed');
      // Not for another organisation: the same 404 as ever.
      const foreign = await t.http.get(`${PROFILES}/${p.customerNumber}`, {
        token: org2,
        headers: { 'if-none-match': '*' },
      });
      expectProblem(foreign, 404);
    });
  });
});
