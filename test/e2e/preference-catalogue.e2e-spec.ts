import { randomUUID } from 'node:crypto';
import { createProfile, unique } from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';

const CATALOGUE = '/customers/v2/preferences';
const PROFILES = '/customers/v2/profiles';

/** A code no other suite uses, so suites sharing one PostgreSQL never collide. */
const code = (prefix = 'PREF') => `${prefix}_${unique().toUpperCase()}`;

describe('preference catalogue (Preferences admin)', () => {
  let t: TestApp;
  let admin: string;
  let partner: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.issuer.admin();
    partner = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  const definitionBody = (extra: Record<string, unknown> = {}) => ({
    preferenceCode: code(),
    preferenceType: 'ASSISTANCE',
    preferenceDescription: 'Needs a wheelchair space',
    isActive: true,
    ...extra,
  });

  async function createDefinition(extra: Record<string, unknown> = {}) {
    const res = await t.http.post(CATALOGUE, { token: admin, body: definitionBody(extra) });
    expect(res.status).toBe(201);
    return res.body as { id: number; preferenceCode: string; version: number };
  }

  const addPreference = (customerNumber: number, preferenceCode: string) =>
    t.http.post(`${PROFILES}/${customerNumber}/preferences`, {
      token: partner,
      body: { preferenceCode, preferenceType: 'ASSISTANCE' },
    });

  const auditRows = (correlationId: string) =>
    t.dataSource.query(
      `SELECT organisation_id, customer_number, operation, fields, client_id
         FROM audit_events WHERE correlation_id = $1 ORDER BY id`,
      [correlationId],
    );

  describe('administrators manage, partners read', () => {
    it('should create a definition with Location and ETag, readable by every partner', async () => {
      const body = definitionBody();
      const created = await t.http.post(CATALOGUE, { token: admin, body });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(Number),
        ...body,
        version: 1,
        createdAt: expect.any(String),
        changedAt: expect.any(String),
      });
      expect(created.headers.get('location')).toBe(`${CATALOGUE}/${created.body.id}`);
      expect(created.headers.get('etag')).toBe('"1"');

      // The catalogue is shared: organisation 2 reads the same definition as organisation 1.
      for (const token of [partner, t.issuer.partner(2), admin]) {
        const read = await t.http.get(created.headers.get('location')!, { token });
        expect(read.status).toBe(200);
        expect(read.body).toEqual(created.body);
        expect(read.headers.get('etag')).toBe('"1"');
      }
      const notModified = await t.http.get(`${CATALOGUE}/${created.body.id}`, {
        token: partner,
        headers: { 'if-none-match': '"1"' },
      });
      expect(notModified.status).toBe(304);
    });

    it('should list inactive definitions too, and filter by isActive', async () => {
      const active = await createDefinition();
      const inactive = await createDefinition({ isActive: false });
      const ids = (res: { body: { id: number }[] }) => res.body.map((d) => d.id);

      const all = await t.http.get(CATALOGUE, { token: partner });
      expect(all.status).toBe(200);
      expect(ids(all)).toEqual(expect.arrayContaining([active.id, inactive.id]));

      const onlyActive = await t.http.get(CATALOGUE, { token: partner, query: { isActive: true } });
      expect(ids(onlyActive)).toContain(active.id);
      expect(ids(onlyActive)).not.toContain(inactive.id);
      const onlyInactive = await t.http.get(CATALOGUE, {
        token: partner,
        query: { isActive: 'false' },
      });
      expect(ids(onlyInactive)).toContain(inactive.id);
      expect(ids(onlyInactive)).not.toContain(active.id);

      const refused = await t.http.get(CATALOGUE, { token: partner, query: { isActive: 'yes' } });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'isActive' })]);
    });

    it('should keep writes to administrators and reads to customers:read or customers:admin', async () => {
      const definition = await createDefinition();
      const path = `${CATALOGUE}/${definition.id}`;
      const writes = [
        await t.http.post(CATALOGUE, { token: partner, body: definitionBody() }),
        await t.http.put(path, { token: partner, body: definitionBody() }),
        await t.http.delete(path, { token: partner }),
      ];
      expect(writes.map((res) => [res.status, res.body.errorCode])).toEqual([
        [403, 403],
        [403, 403],
        [403, 403],
      ]);
      const consentsOnly = t.issuer.partner(1, ['consents:read']);
      expect((await t.http.get(CATALOGUE, { token: consentsOnly })).status).toBe(403);
      expect((await t.http.get(path)).status).toBe(401);
      expect((await t.http.get(path, { token: partner })).body.version).toBe(1);
    });

    it('should refuse bad input with 400 and create nothing', async () => {
      const preferenceCode = code();
      for (const body of [
        {},
        { preferenceType: 'ASSISTANCE' },
        { ...definitionBody(), preferenceCode: '' },
        definitionBody({ preferenceCode: 'X'.repeat(51) }),
        definitionBody({ preferenceCode, isActive: null }),
        definitionBody({ preferenceCode, isActive: 'yes' }),
        definitionBody({ preferenceCode, preferenceDescription: 'x'.repeat(201) }),
        definitionBody({ preferenceCode, customerNumber: 1 }),
      ]) {
        const res = await t.http.post(CATALOGUE, { token: admin, body });
        expect({ body, status: res.status, errorCode: res.body.errorCode }).toEqual({
          body,
          status: 400,
          errorCode: 400,
        });
      }
      const list = await t.http.get(CATALOGUE, { token: admin });
      expect(list.body.map((d: { preferenceCode: string }) => d.preferenceCode)).not.toContain(
        preferenceCode,
      );
      for (const id of ['abc', '0', '-1', '1.5']) {
        expect((await t.http.get(`${CATALOGUE}/${id}`, { token: partner })).status).toBe(400);
      }
      const missing = await t.http.get(`${CATALOGUE}/987654321012`, { token: partner });
      expect([missing.status, missing.body.errorCode]).toEqual([404, 617]);
    });

    it('should record an audit row for each administrator change, without a customer', async () => {
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      const created = await t.http.post(CATALOGUE, {
        token: admin,
        body: definitionBody(),
        headers: { 'x-correlation-id': ids[0] },
      });
      const path = `${CATALOGUE}/${created.body.id}`;
      await t.http.put(path, {
        token: admin,
        body: definitionBody({ preferenceCode: created.body.preferenceCode, isActive: false }),
        headers: { 'x-correlation-id': ids[1] },
      });
      await t.http.delete(path, { token: admin, headers: { 'x-correlation-id': ids[2] } });
      const rows = [];
      for (const id of ids) {
        rows.push(...(await auditRows(id)));
      }
      const fields = ['isActive', 'preferenceCode', 'preferenceDescription', 'preferenceType'];
      expect(rows).toEqual([
        {
          organisation_id: 1,
          customer_number: null,
          operation: 'PREFERENCE_DEFINITION_CREATED',
          fields,
          client_id: 'platform-admin',
        },
        {
          organisation_id: 1,
          customer_number: null,
          operation: 'PREFERENCE_DEFINITION_REPLACED',
          fields,
          client_id: 'platform-admin',
        },
        {
          organisation_id: 1,
          customer_number: null,
          operation: 'PREFERENCE_DEFINITION_DELETED',
          fields: [],
          client_id: 'platform-admin',
        },
      ]);
    });
  });

  describe('preferenceCode is unique', () => {
    it('should answer 409 for a code already in the catalogue', async () => {
      const first = await createDefinition();
      const again = await t.http.post(CATALOGUE, {
        token: admin,
        body: definitionBody({ preferenceCode: first.preferenceCode }),
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        errorCode: 409,
        errors: [{ field: 'preferenceCode' }],
      });
      // A replace onto another definition's code is the same clash.
      const second = await createDefinition();
      const renamed = await t.http.put(`${CATALOGUE}/${second.id}`, {
        token: admin,
        body: definitionBody({ preferenceCode: first.preferenceCode }),
      });
      expect(renamed.status).toBe(409);
    });

    it('should create one definition out of 12 concurrent creates of one code', async () => {
      const preferenceCode = code('RACE');
      const correlationId = randomUUID();
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          t.http.post(CATALOGUE, {
            token: admin,
            body: definitionBody({ preferenceCode }),
            headers: { 'x-correlation-id': correlationId },
          }),
        ),
      );
      const statuses = answers.map((res) => res.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(11).fill(409)]);
      const rows: unknown[] = await t.dataSource.query(
        `SELECT id FROM preference_definitions WHERE preference_code = $1`,
        [preferenceCode],
      );
      expect(rows).toHaveLength(1);
      expect(await auditRows(correlationId)).toHaveLength(1);
    });
  });

  describe('conditional requests', () => {
    it('should replace and delete only the version read when If-Match is sent', async () => {
      const definition = await createDefinition();
      const path = `${CATALOGUE}/${definition.id}`;
      const body = definitionBody({
        preferenceCode: definition.preferenceCode,
        preferenceDescription: undefined,
      });
      const stale = await t.http.put(path, { token: admin, body, headers: { 'if-match': '"7"' } });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ errorCode: 412, currentVersion: 1 });
      expect(stale.headers.get('etag')).toBe('"1"');

      const replaced = await t.http.put(path, {
        token: admin,
        body,
        headers: { 'if-match': '"1"' },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ version: 2, preferenceDescription: null });
      expect(replaced.headers.get('etag')).toBe('"2"');

      const malformed = await t.http.delete(path, {
        token: admin,
        headers: { 'if-match': 'yesterday' },
      });
      expect(malformed.status).toBe(400);
      const staleDelete = await t.http.delete(path, { token: admin, headers: { 'if-match': '1' } });
      expect(staleDelete.status).toBe(412);
      expect((await t.http.get(path, { token: partner })).status).toBe(200);
      const deleted = await t.http.delete(path, { token: admin, headers: { 'if-match': '"2"' } });
      expect(deleted.status).toBe(204);
      expect((await t.http.get(path, { token: partner })).status).toBe(404);
      expect((await t.http.delete(path, { token: admin })).status).toBe(404);
    });
  });

  describe("customers' preferences against the catalogue", () => {
    it('should refuse a code the catalogue holds as inactive, on add and on replace', async () => {
      const retired = await createDefinition({ isActive: false });
      const p = await createProfile(t);
      const refused = await addPreference(p.customerNumber, retired.preferenceCode);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        errorCode: 409,
        errors: [{ field: 'preferenceCode' }],
      });
      expect(refused.body.detail).toContain('inactive in the preference catalogue');

      const own = await addPreference(p.customerNumber, code('OWN'));
      expect(own.status).toBe(201);
      const replaced = await t.http.put(
        `${PROFILES}/${p.customerNumber}/preferences/${own.body.id}`,
        {
          token: partner,
          body: { preferenceCode: retired.preferenceCode, preferenceType: 'ASSISTANCE' },
        },
      );
      expect(replaced.status).toBe(409);
      const list = await t.http.get(`${PROFILES}/${p.customerNumber}/preferences`, {
        token: partner,
      });
      expect(list.body.map((x: { preferenceCode: string }) => x.preferenceCode)).toEqual([
        own.body.preferenceCode,
      ]);
    });

    it('should accept codes the catalogue holds as active and codes it does not hold', async () => {
      const active = await createDefinition();
      const p = await createProfile(t);
      expect((await addPreference(p.customerNumber, active.preferenceCode)).status).toBe(201);
      expect((await addPreference(p.customerNumber, code('ORG_OWN'))).status).toBe(201);
    });

    it('should accept a code again once its definition is active again', async () => {
      const definition = await createDefinition({ isActive: false });
      const p = await createProfile(t);
      expect((await addPreference(p.customerNumber, definition.preferenceCode)).status).toBe(409);
      const reactivated = await t.http.put(`${CATALOGUE}/${definition.id}`, {
        token: admin,
        body: definitionBody({ preferenceCode: definition.preferenceCode, isActive: true }),
      });
      expect(reactivated.status).toBe(200);
      expect((await addPreference(p.customerNumber, definition.preferenceCode)).status).toBe(201);
    });

    it('should neither delete nor rename a definition in use, but let it be deactivated', async () => {
      const definition = await createDefinition();
      const path = `${CATALOGUE}/${definition.id}`;
      const p = await createProfile(t, {}, 2);
      const used = await t.http.post(`${PROFILES}/${p.customerNumber}/preferences`, {
        token: t.issuer.partner(2),
        body: { preferenceCode: definition.preferenceCode, preferenceType: 'ASSISTANCE' },
      });
      expect(used.status).toBe(201);

      const deleted = await t.http.delete(path, { token: admin });
      expect(deleted.status).toBe(409);
      expect(deleted.body.detail).toContain('isActive to false');
      const renamed = await t.http.put(path, {
        token: admin,
        body: definitionBody({ preferenceCode: code() }),
      });
      expect(renamed.status).toBe(409);
      expect((await t.http.get(path, { token: partner })).body).toMatchObject({
        preferenceCode: definition.preferenceCode,
        version: 1,
      });

      const deactivated = await t.http.put(path, {
        token: admin,
        body: definitionBody({ preferenceCode: definition.preferenceCode, isActive: false }),
      });
      expect(deactivated.status).toBe(200);
      expect(deactivated.body.isActive).toBe(false);
      // What the customer already has stays; removing it is still allowed, and frees the code.
      const removed = await t.http.delete(
        `${PROFILES}/${p.customerNumber}/preferences/${used.body.id}`,
        { token: t.issuer.partner(2) },
      );
      expect(removed.status).toBe(204);
      expect((await t.http.delete(path, { token: admin })).status).toBe(204);
    });
  });
});
