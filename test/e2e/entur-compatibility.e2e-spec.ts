import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NormalisePhoneNumbers1796200000001 } from '../../migrations/1796200000001-NormalisePhoneNumbers';
import { createProfile, unique } from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';
import { activeConsent, terms } from './consents.fixtures';

const PROFILES = '/customers/v2/profiles';
const TEMPORARY = '/customers/v2/profiles/temporary';
const SEARCH = '/customers/v2/profiles-search';
const CONSENTS = '/customers/v2/consents/consents';
const numbers = (body: { customerNumber: number }[]) => body.map((p) => p.customerNumber);
const inTwoDays = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

/** A random Norwegian mobile number (8 digits, starting with 9) and a Swedish one (70 + 7). */
const randomDigits = (n: number) =>
  Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

describe('Entur compatibility: request fields, phone numbers, search and contract details', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  const search = (query: Record<string, string | number | boolean | undefined>) =>
    t.http.get(SEARCH, { token, query });
  const replaceBody = (extra: Record<string, unknown> = {}) => ({
    firstName: 'Ola',
    surname: 'Nordmann',
    changedBy: 'crm-user',
    changedByChannel: 'crm',
    ...extra,
  });
  const temporaryBody = (extra: Record<string, unknown> = {}) => ({
    expirationDate: inTwoDays(),
    createdBy: 'office',
    createdByChannel: 'web',
    ...extra,
  });

  describe('phone numbers in any written form', () => {
    it('should find a Norwegian profile by every written form of its number', async () => {
      const n = `9${randomDigits(7)}`;
      const spaced = `${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6)}`;
      const grouped = `+47 ${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}`;
      const p = await createProfile(t, { countryCode: '47', telephoneNumberNoCountryCode: spaced });
      expect(p).toMatchObject({
        countryCode: '+47',
        telephoneNumberNoCountryCode: n,
        telephoneNumber: `+47${n}`,
      });
      const forms: Record<string, string>[] = [
        { telephoneNumber: `+47${n}` },
        { telephoneNumber: `0047${n}` },
        { telephoneNumber: spaced },
        { telephoneNumber: grouped },
        { telephoneNumber: n },
        { telephoneNumber: `${n.slice(0, 3)}-${n.slice(3, 5)}-${n.slice(5)}` },
        { countryCode: '+47', telephoneNumberNoCountryCode: n },
        { countryCode: '47', telephoneNumberNoCountryCode: n },
        { countryCode: '0047', telephoneNumberNoCountryCode: spaced },
        { countryCode: '+47', telephoneNumber: spaced },
        { countryCode: '+46', telephoneNumber: `+47${n}` },
      ];
      for (const form of forms) {
        const res = await search(form);
        expect({ form, status: res.status, found: numbers(res.body) }).toEqual({
          form,
          status: 200,
          found: [p.customerNumber],
        });
      }
    });

    it('should find a Swedish profile by every written form of its number', async () => {
      const s = `70${randomDigits(7)}`;
      const dashed = `0${s.slice(0, 2)}-${s.slice(2, 5)} ${s.slice(5, 7)} ${s.slice(7)}`;
      const international = `+46 ${s.slice(0, 2)} ${s.slice(2, 5)} ${s.slice(5, 7)} ${s.slice(7)}`;
      const p = await createProfile(t, { telephoneNumber: international });
      expect(p).toMatchObject({
        countryCode: '+46',
        telephoneNumberNoCountryCode: s,
        telephoneNumber: `+46${s}`,
      });
      const forms: Record<string, string>[] = [
        { telephoneNumber: international },
        { telephoneNumber: `+46${s}` },
        { telephoneNumber: `0046${s}` },
        { countryCode: '+46', telephoneNumber: dashed },
        { countryCode: '+46', telephoneNumberNoCountryCode: dashed },
        { countryCode: '46', telephoneNumberNoCountryCode: s },
        { countryCode: '+46', telephoneNumberNoCountryCode: `0${s}` },
        { countryCode: '+47', telephoneNumberNoCountryCode: `+46${s}` },
        { telephoneNumber: `0046 ${s.slice(0, 2)} ${s.slice(2)}` },
        { countryCode: '0046', telephoneNumberNoCountryCode: s },
      ];
      for (const form of forms) {
        const res = await search(form);
        expect({ form, found: numbers(res.body) }).toEqual({ form, found: [p.customerNumber] });
      }
      // Written the Swedish way, the same number is stored the same way.
      const again = await createProfile(t, {
        countryCode: '+46',
        telephoneNumberNoCountryCode: dashed,
      });
      expect(again.telephoneNumber).toBe(`+46${s}`);
    });

    it('should normalise on replace, patch and temporary writes, and refuse impossible numbers', async () => {
      const n = `9${randomDigits(7)}`;
      const p = await createProfile(t);
      const put = await t.http.put(`${PROFILES}/${p.customerNumber}`, {
        token,
        body: replaceBody({ telephoneNumber: `0047 ${n}`, landlineNumber: '22 33 44 55' }),
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({
        countryCode: '+47',
        telephoneNumberNoCountryCode: n,
        telephoneNumber: `+47${n}`,
        landlineNumber: '+4722334455',
      });
      // A patch of the country code alone keeps the national number and moves it.
      const patched = await t.http.patch(`${PROFILES}/${p.customerNumber}`, {
        token,
        body: { countryCode: '+46', changedBy: 'crm-user', changedByChannel: 'crm' },
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ countryCode: '+46', telephoneNumber: `+46${n}` });

      const temporary = await t.http.post(TEMPORARY, {
        token,
        body: temporaryBody({ countryCode: '+47', telephoneNumberNoCountryCode: n }),
      });
      expect(temporary.status).toBe(201);
      expect(temporary.body.telephoneNumber).toBe(`+47${n}`);

      for (const body of [
        { telephoneNumber: '12' },
        { countryCode: '+999', telephoneNumberNoCountryCode: n },
        { countryCode: '+47', telephoneNumberNoCountryCode: n, telephoneNumber: '+46701234567' },
        { telephoneNumber: '98x76' },
      ]) {
        const res = await t.http.post(PROFILES, {
          token,
          body: { firstName: 'A', surname: 'B', createdBy: 't', createdByChannel: 't', ...body },
        });
        expect({ body, status: res.status, errorCode: res.body.errorCode }).toEqual({
          body,
          status: 400,
          errorCode: 605,
        });
      }
    });
  });

  describe('the migration of stored phone numbers', () => {
    it('should normalise the written forms already stored and leave impossible ones', async () => {
      const n = `9${randomDigits(7)}`;
      const s = `70${randomDigits(7)}`;
      const stored: [string | null, string | null, string | null, string | null][] = [
        ['+47', `${n.slice(0, 4)} ${n.slice(4)}`, null, '22 33 44 55'],
        [null, null, `0047${n}`, null],
        ['+46', `0${s}`, `+47${n}`, null],
        ['+47', '12', null, 'not a number'],
      ];
      const numbersIn: number[] = [];
      for (const [countryCode, national, combined, landline] of stored) {
        const p = await createProfile(t);
        numbersIn.push(p.customerNumber);
        await t.dataSource.query(
          `UPDATE profiles SET country_code = $3, telephone_number_no_country_code = $4,
             telephone_number = $5, landline_number = $6
           WHERE organisation_id = $1 AND customer_number = $2`,
          [1, p.customerNumber, countryCode, national, combined, landline],
        );
      }
      const runner = t.dataSource.createQueryRunner();
      try {
        await new NormalisePhoneNumbers1796200000001().up(runner);
      } finally {
        await runner.release();
      }
      const rows: Record<string, string | null>[] = await t.dataSource.query(
        `SELECT country_code, telephone_number_no_country_code AS national, telephone_number,
                landline_number
           FROM profiles WHERE organisation_id = 1 AND customer_number = ANY($1::bigint[])
          ORDER BY customer_number`,
        [numbersIn],
      );
      expect(rows).toEqual([
        {
          country_code: '+47',
          national: n,
          telephone_number: `+47${n}`,
          landline_number: '+4722334455',
        },
        { country_code: '+47', national: n, telephone_number: `+47${n}`, landline_number: null },
        // The pair wins over a combined number that disagrees with it, as on a write.
        { country_code: '+46', national: s, telephone_number: `+46${s}`, landline_number: null },
        {
          country_code: '+47',
          national: '12',
          telephone_number: null,
          landline_number: 'not a number',
        },
      ]);
      expect(numbers((await search({ telephoneNumber: `+47 ${n}` })).body)).toEqual(
        numbersIn.slice(0, 2),
      );
    });
  });

  describe("Entur's extra and deprecated request fields", () => {
    it('should accept customerAccountId on create, replace and patch, and store nothing of it', async () => {
      const p = await createProfile(t, { customerAccountId: 'acc-1' });
      expect(p).not.toHaveProperty('customerAccountId');
      const put = await t.http.put(`${PROFILES}/${p.customerNumber}`, {
        token,
        body: replaceBody({ customerAccountId: 'acc-2', organisationId: 1, password: 'whatever1' }),
      });
      expect(put.status).toBe(200);
      expect(put.text).not.toMatch(/acc-2|whatever1/);
      const patch = await t.http.patch(`${PROFILES}/${p.customerNumber}`, {
        token,
        body: {
          customerAccountId: 'acc-3',
          organisationId: 1,
          changedBy: 'c',
          changedByChannel: 'c',
        },
        headers: { 'content-type': 'application/merge-patch+json' },
      });
      expect(patch.status).toBe(200);
      const accounts = await t.http.get(`${PROFILES}/${p.customerNumber}/customer-accounts`, {
        token,
      });
      expect(accounts.body).toEqual([]);
    });

    it('should not change the password through a replace that carries one', async () => {
      const email = `${unique('pw.')}@example.com`;
      const p = await createProfile(t, { email, password: 'abcD123' });
      await t.http.put(`${PROFILES}/${p.customerNumber}`, {
        token,
        body: replaceBody({ email, password: 'otherPw9' }),
      });
      const signIn = (password: string) =>
        t.http.post(`${PROFILES}/authenticate`, {
          token,
          body: { email, password, lastSignInFrom: 'web' },
        });
      expect((await signIn('abcD123')).status).toBe(200);
    });

    it('should accept customerAccountId and organisationId on temporary create, replace and convert', async () => {
      const created = await t.http.post(TEMPORARY, {
        token,
        body: temporaryBody({ customerAccountId: 'acc-t', organisationId: 1 }),
      });
      expect(created.status).toBe(201);
      const cn = created.body.customerNumber;
      const replaced = await t.http.put(`${TEMPORARY}/${cn}`, {
        token,
        body: {
          expirationDate: inTwoDays(),
          changedBy: 'c',
          changedByChannel: 'c',
          customerAccountId: 'acc-t2',
          organisationId: 1,
        },
      });
      expect(replaced.status).toBe(200);
      const converted = await t.http.post(`${TEMPORARY}/${cn}/convert`, {
        token,
        body: {
          firstName: 'Kari',
          surname: 'Nordmann',
          createdBy: 'c',
          createdByChannel: 'c',
          customerAccountId: 'acc-t3',
          organisationId: 1,
        },
      });
      expect(converted.status).toBe(200);
    });

    it('should accept organisationId on consents and the organisationIds filter', async () => {
      const consent = await activeConsent(t, token);
      const admin = t.issuer.admin();
      const code = `T_${unique().toUpperCase()}`;
      const base = await t.http.post('/customers/v2/consents/consent-bases', {
        token: admin,
        body: {
          consentCode: code,
          terms: terms('Extra'),
          consentOwnerOrgId: 1,
          orgNameSubstitutionPattern: '{orgName}',
        },
      });
      expect(base.status).toBe(201);
      expect(base.body.consentOwnerOrgId).toBe(1);
      await t.http.post(`/customers/v2/consents/consent-bases/${code}/versions/1/activate`, {
        token: admin,
      });
      const created = await t.http.post(CONSENTS, {
        token,
        body: { consentCode: code, organisationId: 1 },
      });
      expect(created.status).toBe(201);
      const updated = await t.http.patch(`${CONSENTS}/${consent.id}`, {
        token,
        body: { isSmsSupported: false, organisationId: 1 },
      });
      expect(updated.status).toBe(200);
      const own = await t.http.get(CONSENTS, {
        token,
        query: { organisationIds: '1,2', consentCodes: code },
      });
      expect(own.status).toBe(200);
      expect(own.body.map((c: { id: number }) => c.id)).toEqual([created.body.id]);
      const other = await t.http.get(CONSENTS, { token, query: { organisationIds: '2' } });
      expect(other.status).toBe(200);
      expect(other.body).toEqual([]);
      expect((await t.http.get(CONSENTS, { token, query: { organisationIds: 'x' } })).status).toBe(
        400,
      );
    });

    it("should take a consent base's internalDescription as Entur's list or as text", async () => {
      const admin = t.issuer.admin();
      const bases = '/customers/v2/consents/consent-bases';
      const code = `T_${unique().toUpperCase()}`;
      const created = await t.http.post(bases, {
        token: admin,
        body: {
          consentCode: code,
          terms: terms('Listed'),
          internalDescription: [
            { language: 'nob', description: 'Nyhetsbrev på SMS' },
            { language: 'eng', description: 'SMS newsletter' },
          ],
        },
      });
      expect(created.status).toBe(201);
      expect(created.body.internalDescription).toBe('nob: Nyhetsbrev på SMS\neng: SMS newsletter');
      const edited = await t.http.put(`${bases}/${code}/versions/1`, {
        token: admin,
        body: { terms: terms('Listed'), internalDescription: [{ text: 'Campaign 7' }] },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.internalDescription).toBe('Campaign 7');
      const asText = await t.http.put(`${bases}/${code}/versions/1`, {
        token: admin,
        body: { terms: terms('Listed'), internalDescription: 'Plain text' },
      });
      expect(asText.body.internalDescription).toBe('Plain text');

      const manyMembers = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`m${i}`, 'x']));
      for (const internalDescription of [
        [1, 2],
        [{ language: 'nob', description: 7 }],
        [['nested']],
        [null],
        { language: 'nob', description: 'not a list' },
        Array.from({ length: 21 }, () => ({ text: 'x' })),
        [manyMembers],
        [{ text: 'x'.repeat(2001) }],
        'x'.repeat(2001),
        42,
      ]) {
        const res = await t.http.post(bases, {
          token: admin,
          body: {
            consentCode: `T_${unique().toUpperCase()}`,
            terms: terms('X'),
            internalDescription,
          },
        });
        expect({
          internalDescription,
          status: res.status,
          field: res.body.errors?.[0]?.field,
        }).toEqual({ internalDescription, status: 400, field: 'internalDescription' });
      }
    });

    it("should answer 403 and change nothing on every route given another organisation's id", async () => {
      const p = await createProfile(t);
      const temporary = await t.http.post(TEMPORARY, { token, body: temporaryBody() });
      const tn = temporary.body.customerNumber;
      const consent = await activeConsent(t, token);
      const attempts: [string, () => Promise<{ status: number; body: any }>][] = [
        [
          'create',
          () =>
            t.http.post(PROFILES, {
              token,
              body: {
                firstName: 'A',
                surname: 'B',
                createdBy: 't',
                createdByChannel: 't',
                organisationId: 2,
              },
            }),
        ],
        [
          'replace',
          () =>
            t.http.put(`${PROFILES}/${p.customerNumber}`, {
              token,
              body: replaceBody({ firstName: 'Changed', organisationId: 2 }),
            }),
        ],
        [
          'patch',
          () =>
            t.http.patch(`${PROFILES}/${p.customerNumber}`, {
              token,
              body: {
                firstName: 'Changed',
                organisationId: 2,
                changedBy: 'c',
                changedByChannel: 'c',
              },
              headers: { 'content-type': 'application/merge-patch+json' },
            }),
        ],
        [
          'temporary create',
          () => t.http.post(TEMPORARY, { token, body: temporaryBody({ organisationId: 2 }) }),
        ],
        [
          'temporary replace',
          () =>
            t.http.put(`${TEMPORARY}/${tn}`, {
              token,
              body: {
                expirationDate: inTwoDays(),
                changedBy: 'c',
                changedByChannel: 'c',
                organisationId: 2,
              },
            }),
        ],
        [
          'temporary convert',
          () =>
            t.http.post(`${TEMPORARY}/${tn}/convert`, {
              token,
              body: {
                firstName: 'A',
                surname: 'B',
                createdBy: 'c',
                createdByChannel: 'c',
                organisationId: 2,
              },
            }),
        ],
        [
          'consent create',
          () =>
            t.http.post(CONSENTS, {
              token,
              body: { consentCode: consent.code, organisationId: 2 },
            }),
        ],
        [
          'consent base create',
          () =>
            t.http.post('/customers/v2/consents/consent-bases', {
              token: t.issuer.admin(),
              body: {
                consentCode: `T_${unique().toUpperCase()}`,
                terms: terms('X'),
                consentOwnerOrgId: 2,
              },
            }),
        ],
        [
          'consent update',
          () =>
            t.http.patch(`${CONSENTS}/${consent.id}`, {
              token,
              body: { isSmsSupported: false, organisationId: 2 },
            }),
        ],
      ];
      for (const [route, attempt] of attempts) {
        const res = await attempt();
        expect({ route, status: res.status, errorCode: res.body.errorCode }).toEqual({
          route,
          status: 403,
          errorCode: 403,
        });
      }
      const unchanged = await t.http.get(`${PROFILES}/${p.customerNumber}`, { token });
      expect(unchanged.body.firstName).toBe('Ola');
      expect((await t.http.get(`${TEMPORARY}/${tn}`, { token })).body.profileType).toBe('T');
      const consentNow = await t.http.get(`${CONSENTS}/${consent.id}`, { token });
      expect(consentNow.body.isSmsSupported).toBe(true);
    });

    it('should still refuse a field Entur never had, on every body', async () => {
      const p = await createProfile(t);
      const refusals = [
        await t.http.post(PROFILES, {
          token,
          body: {
            firstName: 'A',
            surname: 'B',
            createdBy: 't',
            createdByChannel: 't',
            nickname: 'x',
          },
        }),
        await t.http.put(`${PROFILES}/${p.customerNumber}`, {
          token,
          body: replaceBody({ nickname: 'x' }),
        }),
        await t.http.post(TEMPORARY, { token, body: temporaryBody({ nickname: 'x' }) }),
        await t.http.post(CONSENTS, { token, body: { consentCode: 'X', nickname: 'x' } }),
      ];
      for (const res of refusals) {
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'nickname' })]);
      }
    });

    it('should document every accepted extra field as deprecated', () => {
      const document = JSON.parse(
        readFileSync(join(__dirname, '../../openapi/customers-v2.json'), 'utf8'),
      );
      const schemas = document.components.schemas;
      const deprecated = (schema: string, field: string) =>
        schemas[schema].properties[field]?.deprecated === true;
      for (const schema of [
        'CreateProfileDto',
        'UpdateProfileDto',
        'PatchProfileDto',
        'CreateTemporaryProfileDto',
        'UpdateTemporaryProfileDto',
        'ConvertTemporaryProfileDto',
      ]) {
        expect({ schema, customerAccountId: deprecated(schema, 'customerAccountId') }).toEqual({
          schema,
          customerAccountId: true,
        });
      }
      for (const schema of ['UpdateProfileDto', 'PatchProfileDto']) {
        expect([deprecated(schema, 'organisationId'), deprecated(schema, 'password')]).toEqual([
          true,
          true,
        ]);
      }
      expect(deprecated('CreateConsentDto', 'organisationId')).toBe(true);
      expect(deprecated('UpdateConsentDto', 'organisationId')).toBe(true);
      expect(deprecated('CreateConsentBaseDto', 'consentOwnerOrgId')).toBe(true);
      expect(deprecated('CreateConsentBaseDto', 'orgNameSubstitutionPattern')).toBe(true);
      const listConsents = document.paths['/customers/v2/consents/consents'].get.parameters;
      expect(listConsents).toContainEqual(
        expect.objectContaining({ name: 'organisationIds', deprecated: true }),
      );
    });
  });

  describe('new search parameters', () => {
    it('should search by landline in any written form, Vipps id and invoice organisation', async () => {
      const landline = `2${randomDigits(7)}`;
      const vippsId = unique('vipps-');
      const invoiceOrganisationId = `9${randomDigits(8)}`;
      const p = await createProfile(t, {
        landlineNumber: `${landline.slice(0, 2)} ${landline.slice(2, 4)} ${landline.slice(4)}`,
        vippsId,
        invoiceOrganisationId,
      });
      expect(p.landlineNumber).toBe(`+47${landline}`);
      for (const query of [
        { landlineNumber: `+47${landline}` },
        { landlineNumber: `0047 ${landline}` },
        { landlineNumber: landline },
        { vippsId },
        { invoiceOrganisationId },
        { vippsId, invoiceOrganisationId, landlineNumber: landline },
      ]) {
        expect({ query, found: numbers((await search(query)).body) }).toEqual({
          query,
          found: [p.customerNumber],
        });
      }
      expect((await search({ vippsId: `${vippsId}x` })).body).toEqual([]);
      expect((await search({ invoiceOrganisationId: '12345' })).status).toBe(400);
    });

    it('should search by address line, case-insensitively and by a trailing * prefix', async () => {
      const street = unique('Gate');
      const p = await createProfile(t);
      const added = await t.http.post(`${PROFILES}/${p.customerNumber}/postal-addresses`, {
        token,
        body: { addressLine1: `${street} 12`, postCode: '0155', city: 'Oslo', countryCode: 'NO' },
      });
      expect(added.status).toBe(201);
      for (const postalAddress of [
        `${street} 12`,
        `${street.toUpperCase()} 12`,
        `${street.toLowerCase()}*`,
      ]) {
        expect({ postalAddress, found: numbers((await search({ postalAddress })).body) }).toEqual({
          postalAddress,
          found: [p.customerNumber],
        });
      }
      expect((await search({ postalAddress: street })).body).toEqual([]);
      expect((await search({ postalAddress: `${street}_*` })).body).toEqual([]);
      expect((await search({ postalAddress: '*' })).status).toBe(400);
    });

    it('should use an organisation-led index for each new parameter', async () => {
      const p = await createProfile(t);
      const statements: Record<string, string> = {
        landlineNumber: `SELECT 1 FROM profiles p WHERE p.organisation_id = 1 AND p.landline_number = '+4722334455'`,
        vippsId: `SELECT 1 FROM profiles p WHERE p.organisation_id = 1 AND p.vipps_id = 'v'`,
        invoiceOrganisationId: `SELECT 1 FROM profiles p WHERE p.organisation_id = 1 AND p.invoice_organisation_id = '987654321'`,
        postalAddress: `SELECT 1 FROM postal_addresses a WHERE a.organisation_id = 1 AND lower(a.address_line1) LIKE 'storg%'`,
      };
      const plans: Record<string, string> = {};
      const runner = t.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        // Enough addresses in one post code that scanning by post code costs more than by street.
        await runner.query(
          `INSERT INTO postal_addresses (organisation_id, customer_number, address_line1, post_code, city)
           SELECT 1, $1, 'Veg ' || i, '0155', 'Oslo' FROM generate_series(1, 3000) i`,
          [p.customerNumber],
        );
        await runner.query('ANALYZE postal_addresses');
        await runner.query('SET LOCAL enable_seqscan = off');
        for (const [name, sql] of Object.entries(statements)) {
          const rows: { 'QUERY PLAN': string }[] = await runner.query(`EXPLAIN ${sql}`);
          plans[name] = rows.map((r) => r['QUERY PLAN']).join('\n');
        }
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
      expect(plans.landlineNumber).toContain('ix_profiles_landline_number');
      expect(plans.vippsId).toContain('ix_profiles_vipps_id');
      expect(plans.invoiceOrganisationId).toContain('ix_profiles_invoice_organisation_id');
      expect(plans.postalAddress).toContain('ix_postal_addresses_address_line1');
    });
  });

  describe('contract details', () => {
    it('should take languagePreference as ISO 639-1, in either case, NO included', async () => {
      for (const languagePreference of ['NO', 'no', 'nb', 'EN', 'sv']) {
        const p = await createProfile(t, { languagePreference });
        expect(p.languagePreference).toBe(languagePreference);
      }
      for (const languagePreference of ['nob', 'XX', 'N', 'english']) {
        const res = await t.http.post(PROFILES, {
          token,
          body: {
            firstName: 'A',
            surname: 'B',
            createdBy: 't',
            createdByChannel: 't',
            languagePreference,
          },
        });
        expect({
          languagePreference,
          status: res.status,
          field: res.body.errors?.[0]?.field,
        }).toEqual({
          languagePreference,
          status: 400,
          field: 'languagePreference',
        });
      }
    });

    it('should refuse a future dateOfBirth on create, replace and temporary create', async () => {
      const future = inTwoDays();
      const p = await createProfile(t);
      const refusals = [
        await t.http.post(PROFILES, {
          token,
          body: {
            firstName: 'A',
            surname: 'B',
            createdBy: 't',
            createdByChannel: 't',
            dateOfBirth: future,
          },
        }),
        await t.http.put(`${PROFILES}/${p.customerNumber}`, {
          token,
          body: replaceBody({ dateOfBirth: future }),
        }),
        await t.http.post(TEMPORARY, { token, body: temporaryBody({ dateOfBirth: future }) }),
      ];
      for (const res of refusals) {
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          errorCode: 400,
          errors: [{ field: 'dateOfBirth', message: 'dateOfBirth must not be in the future' }],
        });
      }
      const today = new Date().toISOString().slice(0, 10);
      expect((await createProfile(t, { dateOfBirth: today })).dateOfBirth).toBe(today);
    });

    it('should read includeTemporary as true or false in any case', async () => {
      const surname = unique('Inc');
      const temporary = await t.http.post(TEMPORARY, { token, body: temporaryBody({ surname }) });
      for (const [includeTemporary, found] of [
        ['TRUE', [temporary.body.customerNumber]],
        ['True', [temporary.body.customerNumber]],
        ['true', [temporary.body.customerNumber]],
        ['FALSE', []],
        ['false', []],
      ] as const) {
        const res = await t.http.get(SEARCH, {
          token,
          query: { surname, includeTemporary },
          contract: false,
        });
        expect({ includeTemporary, found: numbers(res.body) }).toEqual({ includeTemporary, found });
      }
      const refused = await t.http.get(SEARCH, {
        token,
        query: { surname, includeTemporary: 'yes' },
        contract: false,
      });
      expect(refused.status).toBe(400);
    });

    it('should list one error per invalid field and count fields in the detail', async () => {
      const res = await t.http.post(PROFILES, {
        token,
        body: { firstName: 12, surname: '', email: 7, createdBy: 't', createdByChannel: 't' },
      });
      expect(res.status).toBe(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields.sort()).toEqual(['email', 'firstName', 'surname']);
      expect(res.body.detail).toBe('3 fields are invalid: firstName, surname, email');
    });

    it('should declare the client headers on every operation and customerNumber as int64', () => {
      for (const [file, response] of [
        ['customers-v2.json', 'ProfileResponseDto'],
        ['customers-v1.json', 'CustomerV1ResponseDto'],
      ]) {
        const document = JSON.parse(readFileSync(join(__dirname, '../../openapi', file), 'utf8'));
        for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
          for (const [method, operation] of Object.entries<any>(item)) {
            const names = (operation.parameters ?? []).map(
              (p: { in: string; name: string }) => `${p.in}:${p.name}`,
            );
            expect({ path, method, names }).toEqual({
              path,
              method,
              names: expect.arrayContaining(['header:X-Correlation-Id', 'header:ET-Client-Name']),
            });
            for (const p of operation.parameters ?? []) {
              if (p.name === 'customerNumber') {
                expect({ path, schema: p.schema }).toEqual({
                  path,
                  schema: expect.objectContaining({ type: 'integer', format: 'int64' }),
                });
              }
            }
          }
        }
        expect(document.components.schemas[response].properties.customerNumber).toMatchObject({
          type: 'integer',
          format: 'int64',
        });
      }
    });
  });
});
