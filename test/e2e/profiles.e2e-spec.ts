import {
  createProfile,
  countProfiles,
  profileBody,
  unique,
  uniqueEmail,
} from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';

const BASE = '/customers/v2/profiles';

describe('profiles: create, look up, replace, patch, deactivate', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  describe('seed use cases', () => {
    it('should create with the seed body, look it up, and find it by e-mail and surname', async () => {
      const body = profileBody();
      const created = await t.http.post(BASE, { token, body });
      expect(created.status).toBe(201);
      expect(created.headers.get('content-type')).toContain('application/json');
      const profile = created.body;
      expect(created.headers.get('location')).toBe(`${BASE}/${profile.customerNumber}`);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(profile).toMatchObject({
        firstName: 'Ola',
        surname: 'Nordmann',
        email: body.email,
        languagePreference: 'NO',
        organisationId: 1,
        status: 'A',
        profileType: 'S',
        customerRef: String(profile.customerNumber),
        createdBy: 'test',
        createdByChannel: 'test',
        changedBy: 'test',
        version: 1,
        postalAddresses: [],
      });
      expect(profile.uuid).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(created.text).not.toContain('password');
      expect(created.text).not.toContain('argon2');

      const byNumber = await t.http.get(created.headers.get('location')!, { token });
      expect(byNumber.status).toBe(200);
      expect(byNumber.body).toEqual(profile);
      expect(byNumber.headers.get('etag')).toBe('"1"');

      const byRef = await t.http.get(`${BASE}/customer-ref/${profile.customerRef}`, { token });
      expect(byRef.status).toBe(200);
      expect(byRef.body.customerNumber).toBe(profile.customerNumber);

      const found = await t.http.get('/customers/v2/profiles-search', {
        token,
        query: { email: body.email!.toUpperCase(), surname: 'nordmann' },
      });
      expect(found.status).toBe(200);
      expect(found.body).toEqual([profile]);

      const hash: { password_hash: string }[] = await t.dataSource.query(
        'SELECT password_hash FROM profiles WHERE customer_number = $1',
        [profile.customerNumber],
      );
      expect(hash[0].password_hash).toMatch(/^\$argon2id\$/);
    });

    it('should accept the seed body exactly as written, with its empty e-mail meaning none', async () => {
      const seedBody = {
        firstName: 'Ola',
        surname: 'Nordmann',
        email: '',
        languagePreference: 'NO',
        createdBy: 'test',
        createdByChannel: 'test',
        organisationId: 1,
        password: 'abcD123',
      };
      const first = await t.http.post(BASE, { token, body: seedBody });
      expect(first.status).toBe(201);
      expect(first.body.email).toBeNull();
      // An empty e-mail is no e-mail, so it cannot clash with another profile's.
      const second = await t.http.post(BASE, { token, body: seedBody });
      expect(second.status).toBe(201);
    });

    it('should keep a given customerRef and refuse a taken one with 409', async () => {
      const customerRef = `ref-${uniqueEmail()}`.slice(0, 40);
      const first = await createProfile(t, { customerRef });
      expect(first.customerRef).toBe(customerRef);
      const again = await t.http.post(BASE, { token, body: profileBody({ customerRef }) });
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toContain('application/problem+json');
      expect(again.body.errors[0].field).toBe('customerRef');
    });

    it('should refuse another organisationId in the body with 403 and write nothing', async () => {
      const body = profileBody({ organisationId: 2 });
      const res = await t.http.post(BASE, { token, body });
      expect(res.status).toBe(403);
      expect(res.body.detail).toContain('organisationId 2');
      expect(await countProfiles(t, 'lower(email) = lower($1)', [body.email])).toBe(0);
    });

    it('should create without organisationId in the body', async () => {
      const body: Record<string, unknown> = { ...profileBody() };
      delete body.organisationId;
      const res = await t.http.post(BASE, { token, body });
      expect(res.status).toBe(201);
      expect(res.body.organisationId).toBe(1);
    });
  });

  describe('uniqueness under concurrency', () => {
    it('should let exactly one of 20 concurrent creates with one e-mail win', async () => {
      const email = uniqueEmail();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t.http.post(BASE, {
            token,
            body: profileBody({ email: i % 2 ? email : email.toUpperCase(), password: undefined }),
          }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body.errorCode).toBe(602);
        expect(r.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(await countProfiles(t, 'lower(email) = lower($1)', [email])).toBe(1);
    });
  });

  describe('lookups', () => {
    it('should answer 400 problem+json for a non-numeric customerNumber', async () => {
      for (const bad of ['abc', '12abc', '-5', '0', '99999999999999999999']) {
        const res = await t.http.get(`${BASE}/${bad}`, { token });
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it('should answer 404 for a missing profile and a missing customerRef', async () => {
      const missing = await t.http.get(`${BASE}/999999999999`, { token });
      expect(missing.status).toBe(404);
      expect(missing.body.errorCode).toBe(617);
      expect(
        (await t.http.get(`${BASE}/customer-ref/nope-${uniqueEmail()}`, { token })).status,
      ).toBe(404);
    });
  });

  describe('PUT', () => {
    it('should replace the editable fields, clear the ones left out and bump the version', async () => {
      const p = await createProfile(t, {
        countryCode: '+47',
        telephoneNumberNoCountryCode: '98765432',
      });
      const email = uniqueEmail();
      const res = await t.http.put(`${BASE}/${p.customerNumber}`, {
        token,
        headers: { 'if-match': '"1"' },
        body: {
          firstName: 'Kari',
          surname: 'Hansen',
          email,
          changedBy: 'crm-1',
          changedByChannel: 'crm',
          dateOfBirth: '1990-05-17',
        },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"2"');
      expect(res.body).toMatchObject({
        firstName: 'Kari',
        surname: 'Hansen',
        email,
        dateOfBirth: '1990-05-17',
        countryCode: null,
        telephoneNumberNoCountryCode: null,
        languagePreference: null,
        customerRef: p.customerRef,
        changedBy: 'crm-1',
        changedByChannel: 'crm',
        createdBy: 'test',
        version: 2,
      });
    });

    it('should require changedBy, changedByChannel, firstName and surname', async () => {
      const p = await createProfile(t);
      const res = await t.http.put(`${BASE}/${p.customerNumber}`, {
        token,
        body: { email: uniqueEmail() },
      });
      expect(res.status).toBe(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining(['firstName', 'surname', 'changedBy', 'changedByChannel']),
      );
      expect((await t.http.get(`${BASE}/${p.customerNumber}`, { token })).body.version).toBe(1);
    });

    it('should refuse an e-mail taken by another profile with 409 (602)', async () => {
      const a = await createProfile(t);
      const b = await createProfile(t);
      const res = await t.http.put(`${BASE}/${b.customerNumber}`, {
        token,
        body: {
          firstName: 'B',
          surname: 'B',
          email: a.email.toUpperCase(),
          changedBy: 'x',
          changedByChannel: 'x',
        },
      });
      expect(res.status).toBe(409);
      expect(res.body.errorCode).toBe(602);
    });

    it('should answer 412 with currentVersion for a stale If-Match', async () => {
      const p = await createProfile(t);
      const res = await t.http.put(`${BASE}/${p.customerNumber}`, {
        token,
        headers: { 'if-match': '"7"' },
        body: { firstName: 'B', surname: 'B', changedBy: 'x', changedByChannel: 'x' },
      });
      expect(res.status).toBe(412);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.currentVersion).toBe(1);
      expect(res.headers.get('etag')).toBe('"1"');
    });

    it('should answer 400 for a malformed If-Match', async () => {
      const p = await createProfile(t);
      const res = await t.http.put(`${BASE}/${p.customerNumber}`, {
        token,
        headers: { 'if-match': 'yesterday' },
        body: { firstName: 'B', surname: 'B', changedBy: 'x', changedByChannel: 'x' },
      });
      expect(res.status).toBe(400);
    });
  });

  describe('PATCH (JSON Merge Patch)', () => {
    it('should change only the members given, clear nulls, and accept application/json too', async () => {
      const p = await createProfile(t, {
        countryCode: '+47',
        telephoneNumberNoCountryCode: '98765432',
        customerRef: `r-${Date.now()}-${Math.random()}`.slice(0, 40),
      });
      const res = await t.http.patch(`${BASE}/${p.customerNumber}`, {
        token,
        headers: { 'content-type': 'application/merge-patch+json' },
        body: {
          surname: 'Hansen',
          countryCode: null,
          telephoneNumberNoCountryCode: null,
          customerRef: null,
          changedBy: 'app-user',
          changedByChannel: 'app',
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        firstName: 'Ola',
        surname: 'Hansen',
        email: p.email,
        countryCode: null,
        telephoneNumberNoCountryCode: null,
        customerRef: String(p.customerNumber),
        languagePreference: 'NO',
        version: 2,
      });
      const json = await t.http.patch(`${BASE}/${p.customerNumber}`, {
        token,
        body: { vippsId: 'v-1', changedBy: 'a', changedByChannel: 'app' },
      });
      expect(json.status).toBe(200);
      expect(json.body).toMatchObject({ vippsId: 'v-1', surname: 'Hansen', version: 3 });
    });

    it('should refuse clearing firstName, unknown members and invalid values', async () => {
      const p = await createProfile(t);
      for (const body of [
        { firstName: null, changedBy: 'a', changedByChannel: 'b' },
        { status: 'D', changedBy: 'a', changedByChannel: 'b' },
        { email: 'not-an-email', changedBy: 'a', changedByChannel: 'b' },
        { surname: 'X' },
        [],
      ]) {
        const res = await t.http.patch(`${BASE}/${p.customerNumber}`, {
          token,
          headers: { 'content-type': 'application/merge-patch+json' },
          body,
        });
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      expect((await t.http.get(`${BASE}/${p.customerNumber}`, { token })).body.version).toBe(1);
    });

    it('should let one of two concurrent PATCHes with the same If-Match win and keep its fields', async () => {
      const p = await createProfile(t);
      const patch = (surname: string, firstName: string) =>
        t.http.patch(`${BASE}/${p.customerNumber}`, {
          token,
          headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
          body: { surname, firstName, changedBy: surname, changedByChannel: 'app' },
        });
      const [a, b] = await Promise.all([patch('Alpha', 'Anna'), patch('Beta', 'Berit')]);
      expect([a.status, b.status].sort()).toEqual([200, 412]);
      const winner = a.status === 200 ? a : b;
      const loser = a.status === 200 ? b : a;
      expect(loser.body.currentVersion).toBe(2);
      const current = await t.http.get(`${BASE}/${p.customerNumber}`, { token });
      expect(current.body).toMatchObject({
        surname: winner.body.surname,
        firstName: winner.body.firstName,
        changedBy: winner.body.surname,
        version: 2,
      });
    });

    it('should apply concurrent PATCHes without If-Match atomically (no torn rows)', async () => {
      const p = await createProfile(t);
      const results = await Promise.all(
        ['A', 'B', 'C', 'D'].map((x) =>
          t.http.patch(`${BASE}/${p.customerNumber}`, {
            token,
            body: {
              firstName: `First${x}`,
              surname: `Last${x}`,
              changedBy: x,
              changedByChannel: 'app',
            },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const current = (await t.http.get(`${BASE}/${p.customerNumber}`, { token })).body;
      const letter = current.firstName.slice(-1);
      expect(current.surname).toBe(`Last${letter}`);
      expect(current.changedBy).toBe(letter);
      expect(current.version).toBe(5);
    });
  });

  describe('DELETE (deactivation)', () => {
    it('should deactivate, free the e-mail at once and keep the old profile out of default search', async () => {
      const surname = unique('Deact');
      const p = await createProfile(t, { surname });
      const before = Date.now();
      const res = await t.http.delete(`${BASE}/${p.customerNumber}`, { token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'D', email: null, emailOld: p.email, version: 2 });
      const purgeAt = Date.parse(res.body.purgeAt);
      expect(purgeAt).toBeGreaterThanOrEqual(before + 72 * 3600_000 - 60_000);
      expect(purgeAt).toBeLessThanOrEqual(Date.now() + 72 * 3600_000 + 60_000);

      const again = await createProfile(t, { email: p.email, surname });
      expect(again.customerNumber).not.toBe(p.customerNumber);

      const read = await t.http.get(`${BASE}/${p.customerNumber}`, { token });
      expect(read.status).toBe(200);
      expect(read.body.status).toBe('D');

      const byName = { surname, email: p.email };
      const search = await t.http.get('/customers/v2/profiles-search', { token, query: byName });
      expect(search.body.map((x: { customerNumber: number }) => x.customerNumber)).toEqual([
        again.customerNumber,
      ]);
      const deactivated = await t.http.get('/customers/v2/profiles-search', {
        token,
        query: { surname, status: 'D' },
      });
      expect(deactivated.body.map((x: { customerNumber: number }) => x.customerNumber)).toEqual([
        p.customerNumber,
      ]);
    });

    it('should schedule the purge at the end of a given date, and refuse a past one', async () => {
      const p = await createProfile(t);
      const res = await t.http.delete(`${BASE}/${p.customerNumber}`, {
        token,
        query: { expirationDate: '2099-06-30' },
      });
      expect(res.status).toBe(200);
      // Europe/Oslo is UTC+2 in summer: the end of 30 June is 22:00 UTC.
      expect(res.body.purgeAt).toBe('2099-06-30T22:00:00.000Z');
      const q = await createProfile(t);
      const past = await t.http.delete(`${BASE}/${q.customerNumber}`, {
        token,
        query: { expirationDate: '2001-01-01' },
      });
      expect(past.status).toBe(400);
      const bad = await t.http.delete(`${BASE}/${q.customerNumber}`, {
        token,
        query: { expirationDate: 'soon' },
      });
      expect(bad.status).toBe(400);
      expect((await t.http.get(`${BASE}/${q.customerNumber}`, { token })).body.status).toBe('A');
    });

    it('should honour If-Match and refuse changes to a deactivated profile', async () => {
      const p = await createProfile(t);
      const stale = await t.http.delete(`${BASE}/${p.customerNumber}`, {
        token,
        headers: { 'if-match': '"9"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.body.currentVersion).toBe(1);
      const ok = await t.http.delete(`${BASE}/${p.customerNumber}`, {
        token,
        headers: { 'if-match': '"1"' },
      });
      expect(ok.status).toBe(200);
      const patch = await t.http.patch(`${BASE}/${p.customerNumber}`, {
        token,
        body: { surname: 'X', changedBy: 'a', changedByChannel: 'b' },
      });
      expect(patch.status).toBe(409);
    });
  });

  describe('personnel-ticket profiles (profileType P)', () => {
    const SEARCH = '/customers/v2/profiles-search';
    const read = (n: number) => t.http.get(`${BASE}/${n}`, { token });
    const change = { changedBy: 'hr-system', changedByChannel: 'crm' };

    it('should create S by default and P when asked, and refuse T or null with 400', async () => {
      expect((await createProfile(t)).profileType).toBe('S');
      expect((await createProfile(t, { profileType: 'S' })).profileType).toBe('S');
      const personnel = await createProfile(t, { profileType: 'P' });
      expect(personnel.profileType).toBe('P');
      expect((await read(personnel.customerNumber)).body.profileType).toBe('P');
      for (const profileType of ['T', null, 'p', 1]) {
        const email = uniqueEmail();
        const res = await t.http.post(BASE, {
          token,
          body: { ...profileBody({ email, password: undefined }), profileType },
        });
        expect({ profileType, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({
          profileType,
          status: 400,
          field: 'profileType',
        });
        expect(await countProfiles(t, 'organisation_id = 1 AND email = $1', [email])).toBe(0);
      }
    });

    it('should change S to P and back with PUT and PATCH, keep it when left out, and audit the change', async () => {
      const p = await createProfile(t);
      const n = p.customerNumber;
      const put = await t.http.put(`${BASE}/${n}`, {
        token,
        body: { ...change, firstName: 'Ola', surname: 'Nordmann', profileType: 'P' },
      });
      expect(put.status).toBe(200);
      expect(put.body.profileType).toBe('P');
      // Left out of a full replace, the type keeps its value.
      const putAgain = await t.http.put(`${BASE}/${n}`, {
        token,
        body: { ...change, firstName: 'Ola', surname: 'Nordmann' },
      });
      expect(putAgain.body.profileType).toBe('P');
      const patch = await t.http.patch(`${BASE}/${n}`, {
        token,
        body: { ...change, profileType: 'S' },
      });
      expect(patch.status).toBe(200);
      expect(patch.body.profileType).toBe('S');
      for (const profileType of ['T', null]) {
        const refused = await t.http.patch(`${BASE}/${n}`, {
          token,
          body: { ...change, profileType },
        });
        expect({ profileType, status: refused.status }).toEqual({ profileType, status: 400 });
      }
      expect((await read(n)).body.profileType).toBe('S');
      const audit: { operation: string; fields: string[] }[] = await t.dataSource.query(
        `SELECT operation, fields FROM audit_events
          WHERE organisation_id = 1 AND customer_number = $1 ORDER BY id`,
        [n],
      );
      expect(audit.map((a) => `${a.operation}:${a.fields.includes('profileType')}`)).toEqual([
        'PROFILE_CREATED:false',
        'PROFILE_REPLACED:true',
        'PROFILE_REPLACED:false',
        'PROFILE_UPDATED:true',
      ]);
    });

    it('should refuse to deactivate a P profile on v2 and v1 with 409 errorCode 621 and change nothing', async () => {
      const p = await createProfile(t, { profileType: 'P' });
      const n = p.customerNumber;
      const before = await read(n);
      for (const path of [`${BASE}/${n}`, `/customers/v1/profiles/${n}`]) {
        for (const headers of [{}, { 'if-match': '"1"' }] as Record<string, string>[]) {
          const res = await t.http.delete(path, { token, headers });
          expect({ path, status: res.status, errorCode: res.body.errorCode }).toEqual({
            path,
            status: 409,
            errorCode: 621,
          });
          expect(res.headers.get('content-type')).toContain('application/problem+json');
        }
      }
      const after = await read(n);
      expect(after.body).toEqual(before.body);
      expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
      const audit: unknown[] = await t.dataSource.query(
        `SELECT 1 FROM audit_events WHERE organisation_id = 1 AND customer_number = $1
            AND operation = 'PROFILE_DEACTIVATED'`,
        [n],
      );
      expect(audit).toEqual([]);
      // Made standard again, it can be deactivated.
      await t.http.patch(`${BASE}/${n}`, { token, body: { ...change, profileType: 'S' } });
      const deactivated = await t.http.delete(`${BASE}/${n}`, { token });
      expect(deactivated.status).toBe(200);
      expect(deactivated.body.status).toBe('D');
    });

    it('should still answer 404 and 412 before 621', async () => {
      const p = await createProfile(t, { profileType: 'P' });
      expect(
        (await t.http.delete(`${BASE}/${p.customerNumber}`, { token: t.issuer.partner(2) })).status,
      ).toBe(404);
      const stale = await t.http.delete(`${BASE}/${p.customerNumber}`, {
        token,
        headers: { 'if-match': '"7"' },
      });
      expect(stale.status).toBe(412);
    });

    it('should deactivate an S profile through the deprecated v1 route as v2 does', async () => {
      const p = await createProfile(t);
      const res = await t.http.delete(`/customers/v1/profiles/${p.customerNumber}`, { token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'D', email: null, emailOld: p.email });
      expect(res.headers.get('deprecation')).toBeTruthy();
      expect(res.headers.get('link')).toContain(`/customers/v2/profiles/${p.customerNumber}`);
    });

    it('should filter a search by profileType', async () => {
      const surname = unique('Personnel');
      const standard = await createProfile(t, { surname });
      const personnel = await createProfile(t, { surname, profileType: 'P' });
      const numbers = async (query: Record<string, string>) => {
        const res = await t.http.get(SEARCH, { token, query: { surname, ...query } });
        expect(res.status).toBe(200);
        return res.body.map((p: { customerNumber: number }) => p.customerNumber);
      };
      expect(await numbers({})).toEqual([standard.customerNumber, personnel.customerNumber]);
      expect(await numbers({ profileType: 'P' })).toEqual([personnel.customerNumber]);
      expect(await numbers({ profileType: 'S' })).toEqual([standard.customerNumber]);
      expect(await numbers({ profileType: 'T' })).toEqual([]);
      const bad = await t.http.get(SEARCH, { token, query: { surname, profileType: 'X' } });
      expect(bad.status).toBe(400);
      const alone = await t.http.get(SEARCH, { token, query: { profileType: 'P' } });
      expect(alone.status).toBe(400);
    });
  });

  describe('lookup by customer account id', () => {
    const ACCOUNTS = `${BASE}/customer-accounts`;
    const addAccount = async (customerNumber: number, accountId: string, auth = token) => {
      const res = await t.http.post(`${BASE}/${customerNumber}/customer-accounts`, {
        token: auth,
        body: { accountId },
      });
      expect(res.status).toBe(201);
    };

    it('should answer the profile as GET /profiles/{customerNumber} does, with its ETag and 304', async () => {
      const p = await createProfile(t);
      const accountId = unique('ACC-');
      await addAccount(p.customerNumber, accountId);
      const direct = await t.http.get(`${BASE}/${p.customerNumber}`, { token });
      const res = await t.http.get(`${ACCOUNTS}/${accountId}`, { token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(direct.body);
      expect(res.headers.get('etag')).toBe(direct.headers.get('etag'));
      const unchanged = await t.http.get(`${ACCOUNTS}/${accountId}`, {
        token,
        headers: { 'if-none-match': res.headers.get('etag')! },
      });
      expect(unchanged.status).toBe(304);
      // The account id is matched exactly.
      expect((await t.http.get(`${ACCOUNTS}/${accountId.toLowerCase()}`, { token })).status).toBe(
        404,
      );
    });

    it("should answer 404 for another organisation's account, an unknown one and a temporary profile's", async () => {
      const p = await createProfile(t);
      const accountId = unique('ACC-');
      await addAccount(p.customerNumber, accountId);
      const foreign = await t.http.get(`${ACCOUNTS}/${accountId}`, { token: t.issuer.partner(2) });
      const missing = await t.http.get(`${ACCOUNTS}/${unique('NONE-')}`, {
        token: t.issuer.partner(2),
      });
      expect(foreign.status).toBe(404);
      expect(foreign.body.errorCode).toBe(617);
      expect(foreign.body.detail).toBe(missing.body.detail);

      // The same account id in organisation 2 leads to organisation 2's own customer.
      const other = await createProfile(t, {}, 2);
      await addAccount(other.customerNumber, accountId, t.issuer.partner(2));
      const own = await t.http.get(`${ACCOUNTS}/${accountId}`, { token: t.issuer.partner(2) });
      expect(own.body.customerNumber).toBe(other.customerNumber);

      const temporary = await t.http.post(`${BASE}/temporary`, {
        token,
        body: {
          expirationDate: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
          createdBy: 'office',
          createdByChannel: 'web',
        },
      });
      const temporaryAccount = unique('TMP-');
      await addAccount(temporary.body.customerNumber, temporaryAccount);
      expect((await t.http.get(`${ACCOUNTS}/${temporaryAccount}`, { token })).status).toBe(404);
      expect((await t.http.get(`${ACCOUNTS}/${'x'.repeat(61)}`, { token })).status).toBe(404);
      const consentsOnly = t.issuer.partner(1, ['consents:read']);
      expect((await t.http.get(`${ACCOUNTS}/${accountId}`, { token: consentsOnly })).status).toBe(
        403,
      );
    });

    it('should find the account through uq_customer_accounts_account_id', async () => {
      const p = await createProfile(t);
      const runner = t.dataSource.createQueryRunner();
      let plan: string | undefined;
      await runner.startTransaction();
      try {
        await runner.query(
          `INSERT INTO customer_accounts (organisation_id, customer_number, account_id)
           SELECT 1, $1, 'BULK-' || i FROM generate_series(1, 3000) i`,
          [p.customerNumber],
        );
        await runner.query('ANALYZE customer_accounts');
        const rows: { 'QUERY PLAN': string }[] = await runner.query(
          `EXPLAIN SELECT p.customer_number FROM customer_accounts ca
             JOIN profiles p
               ON p.organisation_id = ca.organisation_id AND p.customer_number = ca.customer_number
            WHERE ca.organisation_id = 1 AND ca.account_id = 'BULK-42' AND p.profile_type <> 'T'`,
        );
        plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      expect(plan).toContain('uq_customer_accounts_account_id');
      expect(plan).not.toMatch(/Seq Scan on customer_accounts/);
    });
  });
});
