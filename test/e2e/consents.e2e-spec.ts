import { createTestApp, TestApp } from '../utils/test-app';
import {
  activeConsent as setUpConsent,
  createProfile,
  createTemporaryProfile,
  insertTemporaryProfile,
  terms,
  unique,
} from './consents.fixtures';

describe('consents v2', () => {
  let t: TestApp;
  let admin: string;
  let org1: string;
  let org2: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.issuer.admin();
    org1 = t.issuer.partner(1, undefined, 'crm-client-1');
    org2 = t.issuer.partner(2);
  });
  afterAll(() => t.close());

  const activeConsent = (token = org1) => setUpConsent(t, token);

  /** Rows of a table for one customer or given consent of organisation 1 (direct SQL). */
  async function countRows(table: string, column: string, value: number): Promise<number> {
    const rows: { n: number }[] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM ${table} WHERE organisation_id = 1 AND ${column} = $1`,
      [value],
    );
    return Number(rows[0].n);
  }

  describe('consent bases', () => {
    it('should take a base from draft through edit and activation to a new version', async () => {
      const code = `T_${unique()}`;
      const base = '/customers/v2/consents/consent-bases';
      const created = await t.http.post(base, {
        token: admin,
        body: { consentCode: code, terms: terms('Draft'), internalDescription: 'newsletter' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ consentCode: code, version: 1, status: 'DRAFT' });
      expect(created.body.terms).toHaveLength(2);

      const edited = await t.http.put(`${base}/${code}/versions/1`, {
        token: admin,
        body: { terms: terms('Edited') },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.terms[0].shortText).toBe('Edited (nb)');

      const activated = await t.http.post(`${base}/${code}/versions/1/activate`, { token: admin });
      expect(activated.status).toBe(200);
      expect(activated.body.status).toBe('ACTIVE');
      expect(activated.body.activatedAt).toEqual(expect.any(String));

      const refused = await t.http.put(`${base}/${code}/versions/1`, {
        token: admin,
        body: { terms: terms('Sneaky change') },
      });
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect((await t.http.get(`${base}/${code}/versions/1`, { token: admin })).body.terms).toEqual(
        edited.body.terms,
      );
      expect(
        (await t.http.post(`${base}/${code}/versions/1/activate`, { token: admin })).status,
      ).toBe(409);

      const v2 = await t.http.post(`${base}/${code}/versions`, {
        token: admin,
        body: { terms: terms('Version two') },
      });
      expect(v2.status).toBe(201);
      expect(v2.body).toMatchObject({ consentCode: code, version: 2, status: 'DRAFT' });
      expect(
        (
          await t.http.post(`${base}/${code}/versions`, {
            token: admin,
            body: { terms: terms('Version three') },
          })
        ).status,
      ).toBe(409);

      const versions = await t.http.get(`${base}/${code}/versions`, { token: admin });
      expect(versions.body.map((v: { version: number; status: string }) => v)).toMatchObject([
        { version: 1, status: 'ACTIVE' },
        { version: 2, status: 'DRAFT' },
      ]);
      const latest = await t.http.get(base, { token: admin });
      expect(
        latest.body.find((b: { consentCode: string }) => b.consentCode === code),
      ).toMatchObject({ version: 2 });
    });

    it('should refuse a duplicate consent code, bad input and partner tokens', async () => {
      const code = `T_${unique()}`;
      const base = '/customers/v2/consents/consent-bases';
      expect(
        (await t.http.post(base, { token: admin, body: { consentCode: code, terms: terms('a') } }))
          .status,
      ).toBe(201);
      const dup = await t.http.post(base, {
        token: admin,
        body: { consentCode: code, terms: terms('b') },
      });
      expect(dup.status).toBe(409);
      for (const body of [
        { consentCode: 'X'.repeat(21), terms: terms('a') },
        { consentCode: `T_${unique()}`, terms: [] },
        { consentCode: `T_${unique()}`, terms: [{ language: 'nob' }] },
        { consentCode: `T_${unique()}`, terms: terms('a'), organisationId: 2 },
      ]) {
        const res = await t.http.post(base, { token: admin, body });
        expect(res.status).toBe(400);
        expect(res.body.errors.length).toBeGreaterThan(0);
      }
      expect((await t.http.get(`${base}/${code}/versions/abc`, { token: admin })).status).toBe(400);
      expect((await t.http.get(`${base}/NOPE_${unique()}/versions`, { token: admin })).status).toBe(
        404,
      );
      // Partners read the terms with consents:read; only the platform operator manages them.
      expect((await t.http.get(base, { token: org1 })).status).toBe(200);
      const customersOnly = t.issuer.partner(1, ['customers:read', 'customers:write']);
      expect((await t.http.get(base, { token: customersOnly })).status).toBe(403);
      expect(
        (await t.http.post(base, { token: org1, body: { consentCode: code, terms: terms('a') } }))
          .status,
      ).toBe(403);
    });
  });

  describe('consents', () => {
    it('should use the latest active base version and filter by versions and activity', async () => {
      const code = `T_${unique()}`;
      const bases = '/customers/v2/consents/consent-bases';
      await t.http.post(bases, { token: admin, body: { consentCode: code, terms: terms('v1') } });
      await t.http.post(`${bases}/${code}/versions/1/activate`, { token: admin });
      const onV1 = await t.http.post('/customers/v2/consents/consents', {
        token: org1,
        body: { consentCode: code, isSmsSupported: true },
      });
      expect(onV1.status).toBe(201);
      expect(onV1.body).toMatchObject({
        consentCode: code,
        consentBaseVersion: 1,
        organisationId: 1,
        isSmsSupported: true,
        isEmailSupported: false,
        active: true,
      });

      await t.http.post(`${bases}/${code}/versions`, {
        token: admin,
        body: { terms: terms('v2') },
      });
      const onDraft = await t.http.post('/customers/v2/consents/consents', {
        token: org1,
        body: { consentCode: code, consentBaseVersion: 2 },
      });
      expect(onDraft.status).toBe(409);
      await t.http.post(`${bases}/${code}/versions/2/activate`, { token: admin });
      const onLatest = await t.http.post('/customers/v2/consents/consents', {
        token: org1,
        body: {
          consentCode: code,
          isEmailSupported: true,
          validFrom: new Date(Date.now() - 3_600_000).toISOString(),
        },
      });
      expect(onLatest.status).toBe(201);
      expect(onLatest.body.consentBaseVersion).toBe(2);
      expect(
        (
          await t.http.post('/customers/v2/consents/consents', {
            token: org1,
            body: { consentCode: code, consentBaseVersion: 2 },
          })
        ).status,
      ).toBe(409);

      const list = (query: Record<string, string>) =>
        t.http.get('/customers/v2/consents/consents', {
          token: org1,
          query: { consentCodes: code, ...query },
        });
      const current = await list({ versions: 'CURRENT' });
      expect(current.status).toBe(200);
      expect(current.body.map((c: { id: number }) => c.id)).toEqual([onLatest.body.id]);
      const all = await list({ versions: 'ALL' });
      expect(all.body.map((c: { id: number }) => c.id)).toEqual([onV1.body.id, onLatest.body.id]);
      expect((await list({ versions: '1' })).body.map((c: { id: number }) => c.id)).toEqual([
        onV1.body.id,
      ]);

      const retired = await t.http.patch(`/customers/v2/consents/consents/${onLatest.body.id}`, {
        token: org1,
        body: { validTo: new Date(Date.now() - 60_000).toISOString() },
      });
      expect(retired.status).toBe(200);
      expect(retired.body.active).toBe(false);
      expect((await list({ versions: 'ALL' })).body.map((c: { id: number }) => c.id)).toEqual([
        onV1.body.id,
      ]);
      expect((await list({ versions: 'CURRENT' })).body.map((c: { id: number }) => c.id)).toEqual([
        onV1.body.id,
      ]);
      const withInactive = await list({ versions: 'ALL', includeInactive: 'true' });
      expect(withInactive.body).toHaveLength(2);
      expect(withInactive.body[1]).toMatchObject({ id: onLatest.body.id, active: false });

      // Another organisation sees none of them.
      const other = await t.http.get('/customers/v2/consents/consents', {
        token: org2,
        query: { consentCodes: code, versions: 'ALL', includeInactive: true },
      });
      expect(other.body).toEqual([]);
    });

    it('should answer bad queries and bodies with 400', async () => {
      for (const query of [
        { versions: 'SOME' },
        { includeInactive: 'yes' },
        { consentCodes: '%%' },
      ]) {
        const res = await t.http.get('/customers/v2/consents/consents', { token: org1, query });
        expect(res.status).toBe(400);
      }
      for (const body of [
        { consentCode: 'NOPE_' + unique() },
        { consentCode: 'X', validFrom: 'yesterday' },
        { consentCode: 'X', isSmsSupported: 'yes' },
      ]) {
        expect(
          (await t.http.post('/customers/v2/consents/consents', { token: org1, body })).status,
        ).toBe(400);
      }
      expect((await t.http.get('/customers/v2/consents/consents/x', { token: org1 })).status).toBe(
        400,
      );
    });
  });

  describe('given consents', () => {
    it('should keep give, withdraw and give again in an ordered history with who and when', async () => {
      const { id: consentId, code } = await activeConsent();
      const customerNumber = await createProfile(t, 1);
      const given = await t.http.post('/customers/v2/consents/given-consents', {
        token: org1,
        body: {
          customerNumber,
          consentId,
          consentChoice: true,
          distributionChannel: 'app',
          email: 'kari@example.com',
          countryCode: '+47',
          telephoneNumber: '91234567',
          changedBy: 'kari',
          changedByChannel: 'app',
        },
      });
      expect(given.status).toBe(201);
      expect(given.body).toMatchObject({
        customerNumber,
        consentId,
        consentCode: code,
        consentChoice: true,
        createdByOrgId: 1,
        revision: 1,
      });
      const id = given.body.id;
      const path = `/customers/v2/consents/given-consents/${id}`;

      const again = await t.http.post('/customers/v2/consents/given-consents', {
        token: org1,
        body: { customerNumber, consentId, consentChoice: false, distributionChannel: 'web' },
      });
      expect(again.status).toBe(409);

      const withdrawn = await t.http.delete(path, {
        token: org1,
        query: { changedBy: 'agent-7', changedByChannel: 'crm' },
      });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({ consentChoice: false, revision: 2 });

      const regiven = await t.http.patch(path, {
        token: org1,
        body: { consentChoice: true, distributionChannel: 'web', changedBy: 'kari' },
      });
      expect(regiven.status).toBe(200);
      expect(regiven.body).toMatchObject({ consentChoice: true, revision: 3 });

      const history = await t.http.get(`${path}/history`, { token: org1 });
      expect(history.status).toBe(200);
      expect(history.body).toMatchObject([
        {
          revision: 1,
          event: 'GIVEN',
          consentChoice: true,
          changedBy: 'kari',
          changedByChannel: 'app',
          distributionChannel: 'app',
          clientId: 'crm-client-1',
        },
        {
          revision: 2,
          event: 'WITHDRAWN',
          consentChoice: false,
          changedBy: 'agent-7',
          changedByChannel: 'crm',
          clientId: 'crm-client-1',
        },
        { revision: 3, event: 'GIVEN', consentChoice: true, distributionChannel: 'web' },
      ]);
      const times = history.body.map((e: { recordedAt: string }) => Date.parse(e.recordedAt));
      expect(times[0]).toBeLessThan(times[1]);
      expect(times[1]).toBeLessThan(times[2]);

      // Point in time: the answer in force at each recorded moment, and 404 before the first.
      for (const entry of history.body) {
        const at = await t.http.get(path, { token: org1, query: { at: entry.recordedAt } });
        expect(at.status).toBe(200);
        expect(at.body).toMatchObject({
          consentChoice: entry.consentChoice,
          revision: entry.revision,
        });
      }
      const between = new Date(times[1] + (times[2] - times[1]) / 2);
      if (times[2] - times[1] > 1) {
        expect(
          (await t.http.get(path, { token: org1, query: { at: between.toISOString() } })).body
            .consentChoice,
        ).toBe(false);
      }
      const before = await t.http.get(path, {
        token: org1,
        query: { at: new Date(times[0] - 1).toISOString() },
      });
      expect(before.status).toBe(404);
      expect((await t.http.get(path, { token: org1, query: { at: 'soon' } })).status).toBe(400);

      // A withdrawal of a withdrawn consent changes nothing; a no-op change records nothing.
      await t.http.delete(path, { token: org1 });
      await t.http.delete(path, { token: org1 });
      await t.http.patch(path, { token: org1, body: { consentChoice: false } });
      expect((await t.http.get(`${path}/history`, { token: org1 })).body).toHaveLength(4);

      const list = await t.http.get('/customers/v2/consents/given-consents', {
        token: org1,
        query: { customerNumber },
      });
      expect(list.status).toBe(200);
      expect(list.body.map((g: { id: number }) => g.id)).toEqual([id]);
    });

    it('should work for a temporary profile until it expires or is deleted', async () => {
      const { id: consentId } = await activeConsent();
      const living = await createTemporaryProfile(t, 1);
      const res = await t.http.post('/customers/v2/consents/given-consents', {
        token: org1,
        body: {
          customerNumber: living,
          consentId,
          consentChoice: true,
          distributionChannel: 'web',
        },
      });
      expect(res.status).toBe(201);
      await t.http.delete(`/customers/v2/consents/given-consents/${res.body.id}`, { token: org1 });
      expect(await countRows('given_consent_history', 'given_consent_id', res.body.id)).toBe(2);

      // Deleting the temporary profile deletes its given consents and their history at once.
      const deleted = await t.http.delete(`/customers/v2/profiles/temporary/${living}`, {
        token: org1,
      });
      expect(deleted.status).toBe(204);
      expect(await countRows('given_consents', 'customer_number', living)).toBe(0);
      expect(await countRows('given_consent_history', 'given_consent_id', res.body.id)).toBe(0);

      // Expired (its expiry instant passed, the purge job not yet run): gone from every route.
      const expired = await insertTemporaryProfile(t, 1, new Date(Date.now() + 86_400_000));
      const onExpired = await t.http.post('/customers/v2/consents/given-consents', {
        token: org1,
        body: {
          customerNumber: expired,
          consentId,
          consentChoice: true,
          distributionChannel: 'web',
        },
      });
      expect(onExpired.status).toBe(201);
      await t.dataSource.query(
        `UPDATE profiles SET expires_at = now() - interval '1 minute'
          WHERE organisation_id = 1 AND customer_number = $1`,
        [expired],
      );
      const gone = `/customers/v2/consents/given-consents/${onExpired.body.id}`;
      expect((await t.http.get(gone, { token: org1 })).status).toBe(404);
      expect((await t.http.get(`${gone}/history`, { token: org1 })).status).toBe(404);
      expect(
        (
          await t.http.get('/customers/v2/consents/given-consents', {
            token: org1,
            query: { customerNumber: expired },
          })
        ).status,
      ).toBe(404);
      expect(
        (await t.http.get(`/customers/v2/consents/v1/customers/${expired}`, { token: org1 }))
          .status,
      ).toBe(404);
    });

    it('should replay an Idempotency-Key retry and refuse the key with another body', async () => {
      const { id: consentId } = await activeConsent();
      const customerNumber = await createProfile(t, 1);
      const body = { customerNumber, consentId, consentChoice: true, distributionChannel: 'app' };
      const headers = { 'idempotency-key': `given-${unique()}` };
      const first = await t.http.post('/customers/v2/consents/given-consents', {
        token: org1,
        body,
        headers,
      });
      expect(first.status).toBe(201);
      const retry = await t.http.post('/customers/v2/consents/given-consents', {
        token: org1,
        body,
        headers,
      });
      expect(retry.status).toBe(201);
      expect(retry.body.id).toBe(first.body.id);
      const other = await t.http.post('/customers/v2/consents/given-consents', {
        token: org1,
        body: { ...body, consentChoice: false },
        headers,
      });
      expect(other.status).toBe(422);
      expect(await countRows('given_consent_history', 'given_consent_id', first.body.id)).toBe(1);
    });

    it('should refuse bad input with 400 and write nothing', async () => {
      const { id: consentId } = await activeConsent();
      const customerNumber = await createProfile(t, 1);
      const valid = { customerNumber, consentId, consentChoice: true, distributionChannel: 'app' };
      for (const body of [
        { ...valid, consentChoice: 'yes' },
        { ...valid, distributionChannel: '' },
        { ...valid, email: 'not-an-email' },
        { ...valid, expirationDate: '2030-13-45' },
        { ...valid, customerNumber: 'abc' },
        { ...valid, organisationId: 2 },
      ]) {
        const res = await t.http.post('/customers/v2/consents/given-consents', {
          token: org1,
          body,
        });
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      const list = await t.http.get('/customers/v2/consents/given-consents', {
        token: org1,
        query: { customerNumber },
      });
      expect(list.body).toEqual([]);
      expect(
        (
          await t.http.get('/customers/v2/consents/given-consents', {
            token: org1,
            query: { customerNumber: 'x' },
          })
        ).status,
      ).toBe(400);
      expect(
        (await t.http.get('/customers/v2/consents/given-consents/0', { token: org1 })).status,
      ).toBe(400);
    });

    it('should need consents:write to change and consents:read to read', async () => {
      const readOnly = t.issuer.partner(1, ['consents:read']);
      const customersOnly = t.issuer.partner(1, ['customers:read', 'customers:write']);
      const { id: consentId } = await activeConsent();
      const customerNumber = await createProfile(t, 1);
      const body = { customerNumber, consentId, consentChoice: true, distributionChannel: 'app' };
      expect(
        (await t.http.post('/customers/v2/consents/given-consents', { token: readOnly, body }))
          .status,
      ).toBe(403);
      expect(
        (
          await t.http.get('/customers/v2/consents/given-consents', {
            token: customersOnly,
            query: { customerNumber },
          })
        ).status,
      ).toBe(403);
      expect(
        (await t.http.get('/customers/v2/consents/crm', { token: customersOnly })).status,
      ).toBe(403);
    });
  });

  describe('organisation isolation', () => {
    it("should answer 404 on every consent route for another organisation's data", async () => {
      const { id: consentId, code } = await activeConsent();
      const customerNumber = await createProfile(t, 1);
      const given = await t.http.post('/customers/v2/consents/given-consents', {
        token: org1,
        body: { customerNumber, consentId, consentChoice: true, distributionChannel: 'app' },
      });
      const id = given.body.id;
      const g = `/customers/v2/consents/given-consents/${id}`;
      const checks = [
        t.http.get(`/customers/v2/consents/consents/${consentId}`, { token: org2 }),
        t.http.patch(`/customers/v2/consents/consents/${consentId}`, {
          token: org2,
          body: { isSmsSupported: false },
        }),
        t.http.get(g, { token: org2 }),
        t.http.get(g, { token: org2, query: { at: new Date().toISOString() } }),
        t.http.get(`${g}/history`, { token: org2 }),
        t.http.patch(g, { token: org2, body: { consentChoice: false } }),
        t.http.delete(g, { token: org2 }),
        t.http.get('/customers/v2/consents/given-consents', {
          token: org2,
          query: { customerNumber },
        }),
        t.http.post('/customers/v2/consents/given-consents', {
          token: org2,
          body: { customerNumber, consentId, consentChoice: false, distributionChannel: 'app' },
        }),
        t.http.get(`/customers/v2/consents/v1/customers/${customerNumber}`, { token: org2 }),
        t.http.put(`/customers/v2/consents/v1/customers/${customerNumber}/${code}`, {
          token: org2,
          body: { consentChoice: 'declined', changedBy: 'x', changedByChannel: 'web' },
        }),
        t.http.get(`/customers/v1/consents/customers/${customerNumber}`, { token: org2 }),
        t.http.put(`/customers/v1/consents/customers/${customerNumber}/${code}`, {
          token: org2,
          body: { consentChoice: 'declined', changedBy: 'x', changedByChannel: 'web' },
        }),
      ];
      for (const res of await Promise.all(checks)) {
        expect(res.status).toBe(404);
        expect(res.body.errorCode).toBe(617);
      }
      // Nothing changed for the owner.
      const mine = await t.http.get(`${g}/history`, { token: org1 });
      expect(mine.body).toHaveLength(1);
      expect((await t.http.get(g, { token: org1 })).body.consentChoice).toBe(true);
    });

    it("should export only the caller's rows from /crm, with contact data on request", async () => {
      const { id: consentId, code } = await activeConsent();
      const mine = await createProfile(t, 1, { email: `crm-${unique()}@example.com` });
      await t.http.post('/customers/v2/consents/given-consents', {
        token: org1,
        body: { customerNumber: mine, consentId, consentChoice: true, distributionChannel: 'app' },
      });
      const theirs = await activeConsent(org2);
      const other = await createProfile(t, 2);
      await t.http.post('/customers/v2/consents/given-consents', {
        token: org2,
        body: {
          customerNumber: other,
          consentId: theirs.id,
          consentChoice: true,
          distributionChannel: 'app',
        },
      });

      const plain = await t.http.get('/customers/v2/consents/crm', {
        token: org1,
        query: { consentIds: `${consentId},${theirs.id}` },
      });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-type')).toContain('application/json');
      expect(plain.body).toHaveLength(1);
      expect(plain.body[0]).toMatchObject({
        consentId,
        consentCode: code,
        consentBaseVersion: 1,
        customerNumber: mine,
        createdByOrgId: 1,
        consentOrganisationId: 1,
        consentChoice: true,
      });
      expect(plain.body[0]).not.toHaveProperty('email');

      const withContact = await t.http.get('/customers/v2/consents/crm', {
        token: org1,
        query: { consentIds: String(consentId), includeEmail: true, includeTelephoneNumber: true },
      });
      expect(withContact.body[0].email).toMatch(/^crm-.*@example.com$/);
      expect(withContact.body[0]).toHaveProperty('telephoneNumber');

      const all = await t.http.get('/customers/v2/consents/crm', { token: org1 });
      expect(all.status).toBe(200);
      expect(all.body.every((row: { createdByOrgId: number }) => row.createdByOrgId === 1)).toBe(
        true,
      );
      expect(all.body.some((row: { customerNumber: number }) => row.customerNumber === other)).toBe(
        false,
      );
      expect(
        (
          await t.http.get('/customers/v2/consents/crm', {
            token: org1,
            query: { consentIds: 'a' },
          })
        ).status,
      ).toBe(400);
    });
  });

  describe('the /crm export and the profile lifecycle', () => {
    const exported = async (consentId: number) =>
      (
        await t.http.get('/customers/v2/consents/crm', {
          token: org1,
          query: { consentIds: String(consentId) },
        })
      ).body.map((row: { customerNumber: number }) => row.customerNumber);

    it("should leave out a deactivated profile's consents, given through v2 or v1, until a restore", async () => {
      const { id: consentId, code } = await activeConsent();
      const throughV2 = await createProfile(t, 1);
      const throughV1 = await createProfile(t, 1);
      const throughV1OnV2 = await createProfile(t, 1);
      const stays = await createProfile(t, 1);
      for (const customerNumber of [throughV2, stays]) {
        const given = await t.http.post('/customers/v2/consents/given-consents', {
          token: org1,
          body: { customerNumber, consentId, consentChoice: true, distributionChannel: 'app' },
        });
        expect(given.status).toBe(201);
      }
      for (const [base, customerNumber] of [
        ['/customers/v1/consents/customers', throughV1],
        ['/customers/v2/consents/v1/customers', throughV1OnV2],
      ] as const) {
        const put = await t.http.put(`${base}/${customerNumber}/${code}`, {
          token: org1,
          body: { consentChoice: 'approved', changedBy: 'ola', changedByChannel: 'web' },
        });
        expect(put.status).toBe(200);
      }
      const everyone = [throughV2, throughV1, throughV1OnV2, stays].sort((a, b) => a - b);
      expect((await exported(consentId)).sort((a: number, b: number) => a - b)).toEqual(everyone);

      const deactivated = [throughV2, throughV1, throughV1OnV2];
      for (const customerNumber of deactivated) {
        const res = await t.http.delete(`/customers/v2/profiles/${customerNumber}`, {
          token: org1,
        });
        expect(res.status).toBe(200);
      }
      // Deleted for partners: the export no longer shows them, though the rows wait for the purge.
      expect(await exported(consentId)).toEqual([stays]);
      expect(await countRows('given_consents', 'customer_number', throughV1)).toBe(1);

      const restored = await t.http.post(`/customers/v2/profiles/${throughV1}/restore`, {
        token: org1,
      });
      expect(restored.status).toBe(200);
      expect((await exported(consentId)).sort((a: number, b: number) => a - b)).toEqual(
        [throughV1, stays].sort((a, b) => a - b),
      );
    });
  });

  describe('deleting a customer', () => {
    it('should delete its given consents and their history, which is otherwise append-only', async () => {
      const { id: consentId } = await activeConsent();
      const customerNumber = await createProfile(t, 1);
      const given = await t.http.post('/customers/v2/consents/given-consents', {
        token: org1,
        body: { customerNumber, consentId, consentChoice: true, distributionChannel: 'app' },
      });
      await t.http.delete(`/customers/v2/consents/given-consents/${given.body.id}`, {
        token: org1,
      });
      expect(await countRows('given_consent_history', 'given_consent_id', given.body.id)).toBe(2);

      await expect(
        t.dataSource.query(
          `UPDATE given_consent_history SET consent_choice = true
            WHERE organisation_id = 1 AND given_consent_id = $1`,
          [given.body.id],
        ),
      ).rejects.toThrow(/append-only/);
      await expect(
        t.dataSource.query(
          `DELETE FROM given_consent_history WHERE organisation_id = 1 AND given_consent_id = $1`,
          [given.body.id],
        ),
      ).rejects.toThrow(/append-only/);

      await t.dataSource.query(
        `DELETE FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
        [customerNumber],
      );
      expect(await countRows('given_consents', 'customer_number', customerNumber)).toBe(0);
      expect(await countRows('given_consent_history', 'given_consent_id', given.body.id)).toBe(0);
      expect(
        (
          await t.http.get(`/customers/v2/consents/given-consents/${given.body.id}`, {
            token: org1,
          })
        ).status,
      ).toBe(404);
    });
  });
});
