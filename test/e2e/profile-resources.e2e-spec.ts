import { randomUUID } from 'node:crypto';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const PROFILES = '/customers/v2/profiles';
const unique = () => randomUUID().replace(/-/g, '').slice(0, 12);

interface ResourceCase {
  path: string;
  valid: () => Record<string, unknown>;
  replacement: () => Record<string, unknown>;
  /** Bad bodies, each with the field it names and the errorCode it must carry. */
  invalid: { body: () => Record<string, unknown>; field: string; errorCode: number }[];
  allowedOnTemporary: boolean;
}

const ecardNumber = () => String(Math.floor(Math.random() * 9e15) + 1e15);

const CASES: ResourceCase[] = [
  {
    path: 'postal-addresses',
    valid: () => ({
      addressLine1: 'Storgata 1',
      postCode: '0150',
      city: 'Oslo',
      countryCode: 'NO',
    }),
    replacement: () => ({
      addressLine1: 'Drottninggatan 2',
      addressLine2: 'lgh 1201',
      postCode: '111 51',
      city: 'Stockholm',
      countryCode: 'SE',
      isPrimary: true,
    }),
    invalid: [
      {
        body: () => ({ addressLine1: 'a', postCode: '123', city: 'Oslo' }),
        field: 'postCode',
        errorCode: 604,
      },
      {
        body: () => ({ addressLine1: 'a', postCode: '1234', city: 'Malmö', countryCode: 'SE' }),
        field: 'postCode',
        errorCode: 604,
      },
      {
        body: () => ({ addressLine1: 'a', postCode: 'XXX', city: 'London', countryCode: 'GB' }),
        field: 'postCode',
        errorCode: 604,
      },
      {
        body: () => ({ addressLine1: 'a', postCode: '0150', city: 'Oslo', countryCode: 'XX' }),
        field: 'countryCode',
        errorCode: 400,
      },
      {
        body: () => ({ addressLine1: 'a', postCode: '0150', city: 'Oslo', isPrimary: null }),
        field: 'isPrimary',
        errorCode: 400,
      },
    ],
    allowedOnTemporary: true,
  },
  {
    path: 'preferences',
    valid: () => ({ preferenceCode: `WHEELCHAIR-${unique()}`, preferenceType: 'ASSISTANCE' }),
    replacement: () => ({
      preferenceCode: `QUIET-${unique()}`,
      preferenceType: 'COMFORT',
      preferenceDescription: 'Quiet zone',
      isActive: false,
    }),
    invalid: [
      { body: () => ({ preferenceType: 'ASSISTANCE' }), field: 'preferenceCode', errorCode: 400 },
      {
        body: () => ({ preferenceCode: 'A', preferenceType: 'B', isActive: 'yes' }),
        field: 'isActive',
        errorCode: 400,
      },
    ],
    allowedOnTemporary: true,
  },
  {
    path: 'ecards',
    valid: () => ({
      ecardNumber16digits: ecardNumber(),
      ecardOperator: 'RUTER',
      startOfOwnership: '2026-01-15T10:00:00.000Z',
    }),
    replacement: () => ({
      ecardNumber16digits: ecardNumber(),
      ecardOperator: 'ATB',
      ecardName: 'My card',
      startOfOwnership: '2026-02-01T00:00:00.000Z',
      bookingDate: '2026-01-20T08:00:00.000Z',
    }),
    invalid: [
      {
        body: () => ({
          ecardNumber16digits: '123456789012345',
          ecardOperator: 'RUTER',
          startOfOwnership: '2026-01-15T10:00:00Z',
        }),
        field: 'ecardNumber16digits',
        errorCode: 400,
      },
      {
        body: () => ({
          ecardNumber16digits: ecardNumber(),
          ecardOperator: 'RUTER',
          startOfOwnership: '2026-02-30T10:00:00Z',
        }),
        field: 'startOfOwnership',
        errorCode: 400,
      },
      {
        body: () => ({
          ecardNumber16digits: ecardNumber(),
          ecardOperator: 'RUTER',
          ecardName: 'x'.repeat(101),
          startOfOwnership: '2026-01-15T10:00:00Z',
        }),
        field: 'ecardName',
        errorCode: 400,
      },
    ],
    allowedOnTemporary: false,
  },
  {
    path: 'loyalty-programs',
    valid: () => ({
      loyaltyProgramType: 'TIMED',
      programId: `STUDENT-${unique()}`,
      validFrom: '2026-01-01T00:00:00.000Z',
    }),
    replacement: () => ({
      loyaltyProgramType: 'POINTS',
      programId: `GIFT-${unique()}`,
      programName: 'Gift card',
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: '2026-12-31T23:59:59.000Z',
    }),
    invalid: [
      {
        body: () => ({
          loyaltyProgramType: 'STAMPS',
          programId: 'P1',
          validFrom: '2026-01-01T00:00:00Z',
        }),
        field: 'loyaltyProgramType',
        errorCode: 400,
      },
      {
        body: () => ({
          loyaltyProgramType: 'COUPONS',
          programId: 'P1',
          validFrom: '2026-06-01T00:00:00Z',
          validTo: '2026-01-01T00:00:00Z',
        }),
        field: 'validTo',
        errorCode: 400,
      },
    ],
    allowedOnTemporary: false,
  },
  {
    path: 'customer-accounts',
    valid: () => ({ accountId: `ACC-${unique()}`, alias: `family-${unique()}` }),
    replacement: () => ({ accountId: `ACC-${unique()}`, alias: null }),
    invalid: [
      { body: () => ({ alias: 'no account id' }), field: 'accountId', errorCode: 400 },
      { body: () => ({ accountId: 'x'.repeat(61) }), field: 'accountId', errorCode: 400 },
    ],
    allowedOnTemporary: true,
  },
];

describe('profile sub-resources', () => {
  let t: TestApp;
  let org1: string;
  let org2: string;

  beforeAll(async () => {
    t = await createTestApp();
    org1 = t.issuer.partner(1);
    org2 = t.issuer.partner(2);
  });
  afterAll(() => t.close());

  async function createProfile(token = org1): Promise<number> {
    const res = await t.http.post(PROFILES, {
      token,
      body: {
        firstName: 'Kari',
        surname: 'Nordmann',
        email: `kari.${unique()}@example.com`,
        createdBy: 'test',
        createdByChannel: 'web',
      },
    });
    expect(res.status).toBe(201);
    return res.body.customerNumber;
  }

  async function createTemporaryProfile(organisationId = 1): Promise<number> {
    const [row]: { customer_number: string }[] = await t.dataSource.query(
      `INSERT INTO profiles (organisation_id, uuid, customer_ref, profile_type, expires_at,
         expiration_date, created_by, created_by_channel, changed_by, changed_by_channel)
       VALUES ($1, $2, $3, 'T', now() + interval '3 days', current_date + 2,
         'test', 'web', 'test', 'web')
       RETURNING customer_number`,
      [organisationId, randomUUID().replace(/-/g, ''), `tmp-${unique()}`],
    );
    return Number(row.customer_number);
  }

  const expectProblem = (res: ApiResponse, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  };

  describe.each(CASES)('$path', (c) => {
    const base = (customerNumber: number) => `${PROFILES}/${customerNumber}/${c.path}`;

    it('should add, list, replace and remove', async () => {
      const customerNumber = await createProfile();
      expect((await t.http.get(base(customerNumber), { token: org1 })).body).toEqual([]);

      const body = c.valid();
      const created = await t.http.post(base(customerNumber), { token: org1, body });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ ...body, customerNumber });
      const id = created.body.id;
      expect(created.headers.get('location')).toBe(`${base(customerNumber)}/${id}`);

      const listed = await t.http.get(base(customerNumber), { token: org1 });
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual([created.body]);

      const replacement = c.replacement();
      const updated = await t.http.put(`${base(customerNumber)}/${id}`, {
        token: org1,
        body: replacement,
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ ...replacement, id, customerNumber });
      expect((await t.http.get(base(customerNumber), { token: org1 })).body).toEqual([
        updated.body,
      ]);

      const removed = await t.http.delete(`${base(customerNumber)}/${id}`, { token: org1 });
      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      expect((await t.http.get(base(customerNumber), { token: org1 })).body).toEqual([]);
      expectProblem(await t.http.delete(`${base(customerNumber)}/${id}`, { token: org1 }), 404);
      expectProblem(
        await t.http.put(`${base(customerNumber)}/${id}`, { token: org1, body: replacement }),
        404,
      );
    });

    it('should refuse bad input with 4xx problem+json and write nothing', async () => {
      const customerNumber = await createProfile();
      const existing = await t.http.post(base(customerNumber), { token: org1, body: c.valid() });
      for (const bad of c.invalid) {
        const added = await t.http.post(base(customerNumber), { token: org1, body: bad.body() });
        expectProblem(added, 400);
        expect(added.body.errors.map((e: { field: string }) => e.field)).toContain(bad.field);
        expect(added.body.errorCode).toBe(bad.errorCode);
        const replaced = await t.http.put(`${base(customerNumber)}/${existing.body.id}`, {
          token: org1,
          body: bad.body(),
        });
        expectProblem(replaced, 400);
      }
      expectProblem(
        await t.http.post(base(customerNumber), { token: org1, body: { ...c.valid(), extra: 1 } }),
        400,
      );
      expectProblem(
        await t.http.post(base(customerNumber), {
          token: org1,
          rawBody: '{"a":',
          headers: { 'content-type': 'application/json' },
        }),
        400,
      );
      expectProblem(await t.http.get(`${PROFILES}/abc/${c.path}`, { token: org1 }), 400);
      expectProblem(await t.http.delete(`${base(customerNumber)}/abc`, { token: org1 }), 400);
      expect((await t.http.get(base(customerNumber), { token: org1 })).body).toEqual([
        existing.body,
      ]);
    });

    it("should answer 404 on every route for another organisation's profile or resource", async () => {
      const customerNumber = await createProfile();
      const created = await t.http.post(base(customerNumber), { token: org1, body: c.valid() });
      const id = created.body.id;
      const ownOfOrg2 = await createProfile(org2);

      const probes: [string, string, Record<string, unknown>?][] = [
        ['GET', base(customerNumber)],
        ['POST', base(customerNumber), c.valid()],
        ['PUT', `${base(customerNumber)}/${id}`, c.replacement()],
        ['DELETE', `${base(customerNumber)}/${id}`],
        // org 2's own customer, org 1's resource id
        ['PUT', `${base(ownOfOrg2)}/${id}`, c.replacement()],
        ['DELETE', `${base(ownOfOrg2)}/${id}`],
        // a customer number that does not exist at all
        ['GET', base(999_999_999_999)],
      ];
      const bodies: string[] = [];
      for (const [method, path, body] of probes) {
        const res = await t.http.request(method, path, { token: org2, body });
        expectProblem(res, 404);
        bodies.push(res.body.detail);
      }
      expect((await t.http.get(base(customerNumber), { token: org1 })).body).toEqual([
        created.body,
      ]);
    });

    it(`should ${c.allowedOnTemporary ? 'allow' : 'refuse with 409'} a temporary profile`, async () => {
      const customerNumber = await createTemporaryProfile();
      const res = await t.http.post(base(customerNumber), { token: org1, body: c.valid() });
      if (c.allowedOnTemporary) {
        expect(res.status).toBe(201);
      } else {
        expectProblem(res, 409);
        expect(res.body.detail).toMatch(/temporary profile cannot have/);
        expect((await t.http.get(base(customerNumber), { token: org1 })).body).toEqual([]);
      }
    });

    it('should answer 404 for an expired temporary profile, before any purge', async () => {
      const [row]: { customer_number: string }[] = await t.dataSource.query(
        `INSERT INTO profiles (organisation_id, uuid, customer_ref, profile_type, expires_at,
           expiration_date, created_by, created_by_channel, changed_by, changed_by_channel)
         VALUES (1, $1, $2, 'T', now() - interval '1 minute', current_date - 1,
           'test', 'web', 'test', 'web')
         RETURNING customer_number`,
        [randomUUID().replace(/-/g, ''), `tmp-${unique()}`],
      );
      const customerNumber = Number(row.customer_number);
      expectProblem(await t.http.get(base(customerNumber), { token: org1 }), 404);
      expectProblem(await t.http.post(base(customerNumber), { token: org1, body: c.valid() }), 404);
    });

    it('should need customers:write to change and customers:read to list', async () => {
      const customerNumber = await createProfile();
      const readOnly = t.issuer.partner(1, ['customers:read']);
      expect((await t.http.get(base(customerNumber), { token: readOnly })).status).toBe(200);
      expectProblem(
        await t.http.post(base(customerNumber), { token: readOnly, body: c.valid() }),
        403,
      );
      const writeOnly = t.issuer.partner(1, ['customers:write']);
      expectProblem(await t.http.get(base(customerNumber), { token: writeOnly }), 403);
    });
  });

  it('should answer 409 with errorCode 624 for an alias already used in the organisation, whatever its case', async () => {
    const first = await createProfile();
    const second = await createProfile();
    const alias = `Family-${unique()}`;
    const created = await t.http.post(`${PROFILES}/${first}/customer-accounts`, {
      token: org1,
      body: { accountId: `ACC-${unique()}`, alias },
    });
    expect(created.status).toBe(201);
    const clash = await t.http.post(`${PROFILES}/${second}/customer-accounts`, {
      token: org1,
      body: { accountId: `ACC-${unique()}`, alias: alias.toUpperCase() },
    });
    expectProblem(clash, 409);
    expect(clash.body.errorCode).toBe(624);
    expect(clash.body.errors[0].field).toBe('alias');
    // Another organisation has aliases of its own.
    const otherOrganisation = await t.http.post(
      `${PROFILES}/${await createProfile(org2)}/customer-accounts`,
      { token: org2, body: { accountId: `ACC-${unique()}`, alias } },
    );
    expect(otherOrganisation.status).toBe(201);
  });

  it('should answer 409 for an ecard already connected to a customer of the organisation', async () => {
    const number = ecardNumber();
    const body = {
      ecardNumber16digits: number,
      ecardOperator: 'RUTER',
      startOfOwnership: '2026-01-01T00:00:00Z',
    };
    expect(
      (await t.http.post(`${PROFILES}/${await createProfile()}/ecards`, { token: org1, body }))
        .status,
    ).toBe(201);
    const clash = await t.http.post(`${PROFILES}/${await createProfile()}/ecards`, {
      token: org1,
      body,
    });
    expectProblem(clash, 409);
    expect(clash.body.errors[0].field).toBe('ecardNumber16digits');
  });

  it('should keep at most one primary postal address per customer', async () => {
    const customerNumber = await createProfile();
    const base = `${PROFILES}/${customerNumber}/postal-addresses`;
    const address = { addressLine1: 'Storgata 1', postCode: '0150', city: 'Oslo', isPrimary: true };
    const first = await t.http.post(base, { token: org1, body: address });
    const second = await t.http.post(base, {
      token: org1,
      body: { ...address, postCode: '5003', city: 'Bergen' },
    });
    expect(first.body.isPrimary).toBe(true);
    expect(second.body.isPrimary).toBe(true);
    const listed = await t.http.get(base, { token: org1 });
    expect(listed.body.map((a: { id: number; isPrimary: boolean }) => [a.id, a.isPrimary])).toEqual(
      [
        [first.body.id, false],
        [second.body.id, true],
      ],
    );
    const profile = await t.http.get(`${PROFILES}/${customerNumber}`, { token: org1 });
    expect(profile.body.postalAddresses.map((a: { id: number }) => a.id)).toEqual(
      expect.arrayContaining([first.body.id, second.body.id]),
    );
  });

  it('should audit each write with field names only', async () => {
    const customerNumber = await createProfile();
    const correlationId = `corr-${unique()}`;
    const created = await t.http.post(`${PROFILES}/${customerNumber}/ecards`, {
      token: org1,
      headers: { 'x-correlation-id': correlationId, 'et-client-name': 'acme-app' },
      body: {
        ecardNumber16digits: ecardNumber(),
        ecardOperator: 'RUTER',
        ecardName: 'Secret name',
        startOfOwnership: '2026-01-01T00:00:00Z',
      },
    });
    await t.http.delete(`${PROFILES}/${customerNumber}/ecards/${created.body.id}`, { token: org1 });
    const rows: Record<string, unknown>[] = await t.dataSource.query(
      `SELECT operation, fields, client_id, client_name, correlation_id FROM audit_events
        WHERE organisation_id = 1 AND customer_number = $1 AND operation LIKE 'ECARD_%' ORDER BY id`,
      [customerNumber],
    );
    expect(rows).toEqual([
      {
        operation: 'ECARD_ADDED',
        fields: ['ecardName', 'ecardNumber16digits', 'ecardOperator', 'startOfOwnership'],
        client_id: 'client-1',
        client_name: 'acme-app',
        correlation_id: correlationId,
      },
      expect.objectContaining({ operation: 'ECARD_REMOVED', fields: [] }),
    ]);
    expect(JSON.stringify(rows)).not.toContain('Secret name');
  });

  it('should replay an add with the same Idempotency-Key instead of adding twice', async () => {
    const customerNumber = await createProfile();
    const base = `${PROFILES}/${customerNumber}/preferences`;
    const body = { preferenceCode: `WHEELCHAIR-${unique()}`, preferenceType: 'ASSISTANCE' };
    const headers = { 'idempotency-key': `key-${unique()}` };
    const first = await t.http.post(base, { token: org1, body, headers });
    const replay = await t.http.post(base, { token: org1, body, headers });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('location')).toBe(first.headers.get('location'));
    expect((await t.http.get(base, { token: org1 })).body).toHaveLength(1);
  });

  it('should delete every sub-resource with its profile', async () => {
    const customerNumber = await createProfile();
    for (const c of CASES) {
      expect(
        (
          await t.http.post(`${PROFILES}/${customerNumber}/${c.path}`, {
            token: org1,
            body: c.valid(),
          })
        ).status,
      ).toBe(201);
    }
    await t.dataSource.query(
      `DELETE FROM profiles WHERE organisation_id = 1 AND customer_number = $1`,
      [customerNumber],
    );
    for (const table of [
      'postal_addresses',
      'preferences',
      'ecards',
      'loyalty_programs',
      'customer_accounts',
    ]) {
      const rows: unknown[] = await t.dataSource.query(
        `SELECT 1 FROM ${table} WHERE organisation_id = 1 AND customer_number = $1`,
        [customerNumber],
      );
      expect(rows).toHaveLength(0);
    }
  });
});
