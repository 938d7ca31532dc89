import { randomUUID } from 'node:crypto';
import { Clock } from '../../src/common/clock/clock';
import { dateInZone } from '../../src/temporary-profiles/expiry-instant';
import { createTestApp, TestApp } from '../utils/test-app';
import { activeConsent } from './consents.fixtures';

const BASE = '/customers/v2/profiles/temporary';
const ZONE = 'Europe/Oslo';

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const unique = () => randomUUID().slice(0, 8);

describe('temporary profiles', () => {
  let t: TestApp;
  let today: string;
  let write: string;

  beforeAll(async () => {
    t = await createTestApp();
    today = dateInZone(t.app.get(Clock).now(), ZONE);
    write = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, token = write) =>
    t.http.post(BASE, { token, body });

  const minimal = () => ({
    expirationDate: addDays(today, 7),
    createdBy: 'ticket-office',
    createdByChannel: 'web',
  });

  describe('lifecycle', () => {
    it('should create, read, replace every field, convert, and keep the customer number', async () => {
      const email = `temp-${unique()}@example.com`;
      const created = await create({
        ...minimal(),
        firstName: 'Kari',
        surname: 'Nordmann',
        email,
        countryCode: '+47',
        telephoneNumberNoCountryCode: '98765432',
        dateOfBirth: '1990-05-17',
        languagePreference: 'NO',
      });
      expect(created.status).toBe(201);
      const n: number = created.body.customerNumber;
      expect(created.headers.get('location')).toBe(`${BASE}/${n}`);
      expect(created.body).toMatchObject({
        profileType: 'T',
        status: 'A',
        organisationId: 1,
        expirationDate: addDays(today, 7),
        firstName: 'Kari',
        email,
        customerRef: String(n),
        version: 1,
      });
      expect(created.body.uuid).toMatch(/^[A-Za-z0-9]{32}$/);

      const got = await t.http.get(`${BASE}/${n}`, { token: write });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created.body);

      const replacement = {
        expirationDate: addDays(today, 30),
        firstName: 'Kari Anne',
        surname: 'Hansen',
        email: `changed-${unique()}@example.com`,
        countryCode: '+46',
        telephoneNumberNoCountryCode: '701234567',
        telephoneNumber: '+46701234567',
        landlineNumber: '+4681234567',
        dateOfBirth: '1991-06-18',
        languagePreference: 'SV',
        changedBy: 'crm-user-17',
        changedByChannel: 'crm',
      };
      const put = await t.http.put(`${BASE}/${n}`, { token: write, body: replacement });
      expect(put.status).toBe(200);
      const { changedBy, changedByChannel, ...fields } = replacement;
      expect(put.body).toMatchObject({ ...fields, changedBy, changedByChannel, version: 2 });
      expect(put.body.createdBy).toBe('ticket-office');
      expect((await t.http.get(`${BASE}/${n}`, { token: write })).body).toEqual(put.body);

      // Search finds it only when asked to include temporary profiles.
      const search = (includeTemporary?: boolean) =>
        t.http.get('/customers/v2/profiles-search', {
          token: write,
          query: { email: replacement.email, includeTemporary },
        });
      const without = await search();
      expect(without.status).toBe(200);
      expect(without.body).toEqual([]);
      const withTemporary = await search(true);
      expect(withTemporary.status).toBe(200);
      expect(withTemporary.body.map((p: { customerNumber: number }) => p.customerNumber)).toEqual([
        n,
      ]);

      // What a temporary profile may hold, it keeps when it becomes permanent.
      const resources = `/customers/v2/profiles/${n}`;
      const address = await t.http.post(`${resources}/postal-addresses`, {
        token: write,
        body: { addressLine1: 'Storgata 1', postCode: '0155', city: 'Oslo' },
      });
      expect(address.status).toBe(201);
      const preference = await t.http.post(`${resources}/preferences`, {
        token: write,
        body: { preferenceCode: `WHEELCHAIR-${unique()}`, preferenceType: 'ASSISTANCE' },
      });
      expect(preference.status).toBe(201);
      const { id: consentId } = await activeConsent(t, write);
      const consent = await t.http.post('/customers/v2/consents/given-consents', {
        token: write,
        body: { customerNumber: n, consentId, consentChoice: true, distributionChannel: 'web' },
      });
      expect(consent.status).toBe(201);

      // A replace clears what it leaves out.
      const cleared = await t.http.put(`${BASE}/${n}`, {
        token: write,
        body: { expirationDate: addDays(today, 30), changedBy: 'crm', changedByChannel: 'crm' },
      });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ firstName: null, email: null, telephoneNumber: null });

      const permanentEmail = `perm-${unique()}@example.com`;
      const converted = await t.http.post(`${BASE}/${n}/convert`, {
        token: write,
        body: {
          firstName: 'Kari',
          surname: 'Hansen',
          email: permanentEmail,
          password: 'abcD123',
          createdBy: 'web',
          createdByChannel: 'web',
        },
      });
      expect(converted.status).toBe(200);
      expect(converted.body).toMatchObject({
        customerNumber: n,
        profileType: 'S',
        email: permanentEmail,
      });
      expect(JSON.stringify(converted.body)).not.toContain('abcD123');
      const [row] = await t.dataSource.query(
        `SELECT profile_type, expiration_date, expires_at, password_hash FROM profiles
          WHERE organisation_id = 1 AND customer_number = $1`,
        [n],
      );
      expect(row).toMatchObject({ profile_type: 'S', expiration_date: null, expires_at: null });
      expect(row.password_hash).toMatch(/^\$argon2id\$/);

      const permanent = await t.http.get(`/customers/v2/profiles/${n}`, { token: write });
      expect(permanent.status).toBe(200);
      expect(permanent.body).toMatchObject({
        customerNumber: n,
        profileType: 'S',
        email: permanentEmail,
      });
      expect(permanent.body.postalAddresses).toHaveLength(1);
      const preferences = await t.http.get(`${resources}/preferences`, { token: write });
      expect(preferences.body).toHaveLength(1);
      const consents = await t.http.get(
        `/customers/v2/consents/given-consents/${consent.body.id}`,
        {
          token: write,
        },
      );
      expect(consents.status).toBe(200);
      expect(consents.body).toMatchObject({ customerNumber: n, consentChoice: true });

      // Once permanent, it is no longer a temporary profile.
      expect((await t.http.get(`${BASE}/${n}`, { token: write })).status).toBe(404);
      expect(
        (await t.http.post(`${BASE}/${n}/convert`, { token: write, body: converted.body })).status,
      ).toBe(400);
    });

    it('should delete a temporary profile at once, for good', async () => {
      const created = await create(minimal());
      const n = created.body.customerNumber;
      const deleted = await t.http.delete(`${BASE}/${n}`, { token: write });
      expect(deleted.status).toBe(204);
      expect((await t.http.get(`${BASE}/${n}`, { token: write })).status).toBe(404);
      expect((await t.http.delete(`${BASE}/${n}`, { token: write })).status).toBe(404);
      const rows = await t.dataSource.query(
        `SELECT 1 FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
        [n],
      );
      expect(rows).toHaveLength(0);
      const audit = await t.dataSource.query(
        `SELECT operation, actor, channel FROM audit_events
          WHERE organisation_id = 1 AND customer_number = $1 ORDER BY id`,
        [n],
      );
      expect(audit.map((a: { operation: string }) => a.operation)).toEqual([
        'TEMPORARY_CREATED',
        'TEMPORARY_DELETED',
      ]);
      expect(audit.every((a: { actor: null; channel: null }) => !a.actor && !a.channel)).toBe(true);
    });

    it('should refuse a conversion whose e-mail belongs to another permanent profile with 409', async () => {
      const email = `taken-${unique()}@example.com`;
      const first = await create(minimal());
      const body = {
        firstName: 'A',
        surname: 'B',
        email,
        createdBy: 'web',
        createdByChannel: 'web',
      };
      expect(
        (await t.http.post(`${BASE}/${first.body.customerNumber}/convert`, { token: write, body }))
          .status,
      ).toBe(200);
      const second = await create({ ...minimal(), email });
      expect(second.status).toBe(201);
      const clash = await t.http.post(`${BASE}/${second.body.customerNumber}/convert`, {
        token: write,
        body: { ...body, email: email.toUpperCase() },
      });
      expect(clash.status).toBe(409);
      expect(clash.body.errorCode).toBe(602);
      expect(
        (await t.http.get(`${BASE}/${second.body.customerNumber}`, { token: write })).body,
      ).toMatchObject({ profileType: 'T', email });
    });
  });

  describe('restrictions', () => {
    it('should refuse an ecard on a temporary profile with 409', async () => {
      const n = (await create(minimal())).body.customerNumber;
      const ecard = await t.http.post(`/customers/v2/profiles/${n}/ecards`, {
        token: write,
        body: {
          ecardNumber16digits: '1234567890123456',
          ecardOperator: 'RUTER',
          startOfOwnership: '2026-01-15T10:00:00Z',
        },
      });
      expect(ecard.status).toBe(409);
      expect(ecard.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  describe('expiry semantics', () => {
    it('should answer 404 to read, replace, convert and delete once the profile has expired', async () => {
      const clock = t.app.get(Clock);
      const created = await create({ ...minimal(), expirationDate: today });
      const n = created.body.customerNumber;
      const tomorrow = new Date(clock.now().getTime() + 36 * 3600 * 1000);
      const spy = jest.spyOn(clock, 'now').mockReturnValue(tomorrow);
      try {
        expect((await t.http.get(`${BASE}/${n}`, { token: write })).status).toBe(404);
        const put = await t.http.put(`${BASE}/${n}`, {
          token: write,
          body: {
            expirationDate: addDays(today, 10),
            changedBy: 'x',
            changedByChannel: 'x',
          },
        });
        expect(put.status).toBe(404);
        const convert = await t.http.post(`${BASE}/${n}/convert`, {
          token: write,
          body: { firstName: 'A', surname: 'B', createdBy: 'web', createdByChannel: 'web' },
        });
        expect(convert.status).toBe(404);
        expect(convert.headers.get('content-type')).toContain('application/problem+json');
        expect((await t.http.delete(`${BASE}/${n}`, { token: write })).status).toBe(404);
      } finally {
        spy.mockRestore();
      }
      // Still there until the job runs; readable again under the real clock (today).
      expect((await t.http.get(`${BASE}/${n}`, { token: write })).status).toBe(200);
    });
  });

  describe('isolation and permissions', () => {
    it('should answer 404 to another organisation, exactly as for a missing profile', async () => {
      const n = (await create(minimal())).body.customerNumber;
      const other = t.issuer.partner(2);
      const foreign = await t.http.get(`${BASE}/${n}`, { token: other });
      const missing = await t.http.get(`${BASE}/999999999999`, { token: other });
      expect(foreign.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(foreign.body.title).toBe(missing.body.title);
      for (const res of [
        await t.http.put(`${BASE}/${n}`, {
          token: other,
          body: { expirationDate: today, changedBy: 'x', changedByChannel: 'x' },
        }),
        await t.http.delete(`${BASE}/${n}`, { token: other }),
        await t.http.post(`${BASE}/${n}/convert`, {
          token: other,
          body: { firstName: 'A', surname: 'B', createdBy: 'w', createdByChannel: 'w' },
        }),
      ]) {
        expect(res.status).toBe(404);
      }
      expect((await t.http.get(`${BASE}/${n}`, { token: write })).status).toBe(200);
    });

    it('should refuse a body naming another organisation with 403', async () => {
      const res = await create({ ...minimal(), organisationId: 2 });
      expect(res.status).toBe(403);
    });

    it('should require customers:read to read and customers:write to write', async () => {
      const n = (await create(minimal())).body.customerNumber;
      const readOnly = t.issuer.partner(1, ['customers:read']);
      const writeOnly = t.issuer.partner(1, ['customers:write']);
      expect((await t.http.get(`${BASE}/${n}`, { token: readOnly })).status).toBe(200);
      expect((await create(minimal(), readOnly)).status).toBe(403);
      expect((await t.http.delete(`${BASE}/${n}`, { token: readOnly })).status).toBe(403);
      expect((await t.http.get(`${BASE}/${n}`, { token: writeOnly })).status).toBe(403);
      expect((await t.http.get(`${BASE}/${n}`)).status).toBe(401);
    });
  });

  describe('bad input', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a missing expirationDate', { expirationDate: undefined }, 'expirationDate'],
      ['an expirationDate in the past', { expirationDate: '2020-01-01' }, 'expirationDate'],
      ['a malformed expirationDate', { expirationDate: '31.12.2030' }, 'expirationDate'],
      ['an impossible expirationDate', { expirationDate: '2030-02-30' }, 'expirationDate'],
      [
        'an expirationDate with a time',
        { expirationDate: '2030-01-01T10:00:00Z' },
        'expirationDate',
      ],
      ['a missing createdBy', { createdBy: undefined }, 'createdBy'],
      ['a missing createdByChannel', { createdByChannel: undefined }, 'createdByChannel'],
      ['an unknown field', { favouriteColour: 'blue' }, 'favouriteColour'],
      ['a server-owned field', { profileType: 'S' }, 'profileType'],
      ['a malformed e-mail', { email: 'not-an-email' }, 'email'],
      ['a malformed country code', { countryCode: '+4x' }, 'countryCode'],
    ];
    it.each(cases)(
      'should refuse %s with 400 problem+json and write nothing',
      async (_, patch, field) => {
        const before = await t.dataSource.query(`SELECT last_value FROM customer_number_seq`);
        const res = await create({ ...minimal(), ...patch });
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
        const after = await t.dataSource.query(`SELECT last_value FROM customer_number_seq`);
        if (!process.env.TEST_DATABASE_URL) {
          expect(after).toEqual(before);
        }
      },
    );

    it('should refuse a replace without changedBy or with a past expirationDate', async () => {
      const n = (await create(minimal())).body.customerNumber;
      const noChanger = await t.http.put(`${BASE}/${n}`, {
        token: write,
        body: { expirationDate: today },
      });
      expect(noChanger.status).toBe(400);
      const past = await t.http.put(`${BASE}/${n}`, {
        token: write,
        body: { expirationDate: addDays(today, -1), changedBy: 'x', changedByChannel: 'x' },
      });
      expect(past.status).toBe(400);
      expect((await t.http.get(`${BASE}/${n}`, { token: write })).body.version).toBe(1);
    });

    it('should refuse a conversion that is not a valid permanent create', async () => {
      const n = (await create(minimal())).body.customerNumber;
      const convert = (body: Record<string, unknown>) =>
        t.http.post(`${BASE}/${n}/convert`, { token: write, body });
      const valid = { firstName: 'A', surname: 'B', createdBy: 'w', createdByChannel: 'w' };
      const noName = await convert({ ...valid, firstName: undefined });
      expect(noName.status).toBe(400);
      const shortPassword = await convert({ ...valid, password: 'abc' });
      expect(shortPassword.status).toBe(400);
      expect(shortPassword.body.errorCode).toBe(600);
      const unknown = await convert({ ...valid, expirationDate: today });
      expect(unknown.status).toBe(400);
      expect((await t.http.get(`${BASE}/${n}`, { token: write })).body.profileType).toBe('T');
    });

    it('should refuse a non-numeric customer number with 400', async () => {
      const res = await t.http.get(`${BASE}/abc`, { token: write });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });
  });
});
