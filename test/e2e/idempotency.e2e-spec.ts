import { randomUUID } from 'node:crypto';
import { countProfiles, profileBody, unique } from '../factories/profile.factory';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';
import { activeConsent, createProfile, terms } from './consents.fixtures';

const BASE = '/customers/v2/profiles';

describe('idempotent creates (Idempotency-Key)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  const create = (key: string, body: object, tokenOverride = token) =>
    t.http.post(BASE, { token: tokenOverride, body, headers: { 'idempotency-key': key } });

  it('should create once and replay the first status, body and Location for the same key and body', async () => {
    const key = randomUUID();
    const body = profileBody({ password: undefined });
    const first = await create(key, body);
    expect(first.status).toBe(201);
    const second = await create(key, { ...body });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(second.headers.get('idempotency-replayed')).toBe('true');
    expect(await countProfiles(t, 'lower(email) = lower($1)', [body.email])).toBe(1);
    const stored: { customer_number: string; status_code: number }[] = await t.dataSource.query(
      `SELECT customer_number::text, status_code FROM idempotency_keys
        WHERE organisation_id = 1 AND key = $1`,
      [key],
    );
    expect(stored).toEqual([
      { customer_number: String(first.body.customerNumber), status_code: 201 },
    ]);
  });

  it('should answer 422 problem+json for the same key with another body, and write nothing', async () => {
    const key = randomUUID();
    const first = await create(key, profileBody({ password: undefined }));
    expect(first.status).toBe(201);
    const other = profileBody({ password: undefined });
    const res = await create(key, other);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errorCode).toBe(422);
    expect(await countProfiles(t, 'lower(email) = lower($1)', [other.email])).toBe(0);
  });

  it('should not store a failed request, so a corrected retry with the key runs', async () => {
    const key = randomUUID();
    const bad = await create(key, { ...profileBody(), surname: '' });
    expect(bad.status).toBe(400);
    const good = await create(key, profileBody({ password: undefined }));
    expect(good.status).toBe(201);
  });

  it('should scope keys to the client: another client may use the same key', async () => {
    const key = randomUUID();
    expect((await create(key, profileBody({ password: undefined }))).status).toBe(201);
    const otherClient = t.issuer.partner(1, undefined, 'another-client');
    expect((await create(key, profileBody({ password: undefined }), otherClient)).status).toBe(201);
  });

  it('should refuse a malformed key with 400', async () => {
    const res = await create('x'.repeat(201), profileBody({ password: undefined }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  /** What a replay must repeat byte for byte. */
  const answer = (res: ApiResponse) => ({
    status: res.status,
    text: res.text,
    contentType: res.headers.get('content-type'),
    location: res.headers.get('location'),
    etag: res.headers.get('etag'),
  });

  const inTenDays = () => new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

  describe.each([
    ['permanent', BASE, true],
    ['permanent', BASE, false],
    ['temporary', `${BASE}/temporary`, true],
    ['temporary', `${BASE}/temporary`, false],
  ])(
    '20 parallel identical creates of a %s profile (%s, with e-mail: %s)',
    (_kind, path, withEmail) => {
      it('should create exactly one row; every answer is the first, byte for byte, or 409 in progress', async () => {
        const key = randomUUID();
        const marker = unique('idem-');
        const body: Record<string, unknown> =
          path === BASE
            ? { firstName: 'Ola', surname: 'Nordmann', createdBy: marker, createdByChannel: 'test' }
            : { expirationDate: inTenDays(), createdBy: marker, createdByChannel: 'test' };
        if (withEmail) {
          body.email = `${marker}@example.com`;
        }
        const results = await Promise.all(
          Array.from({ length: 20 }, () =>
            t.http.post(path, { token, body, headers: { 'idempotency-key': key } }),
          ),
        );

        const created = results.filter((r) => r.status === 201);
        const inProgress = results.filter((r) => r.status === 409);
        expect(created.length + inProgress.length).toBe(20);
        expect(created.length).toBeGreaterThanOrEqual(1);
        const first = answer(created[0]);
        expect(first.contentType).toBe('application/json; charset=utf-8');
        expect(first.location).toBe(`${path}/${created[0].body.customerNumber}`);
        for (const res of created) {
          expect(answer(res)).toEqual(first);
        }
        for (const res of inProgress) {
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(res.headers.get('retry-after')).toBe('1');
          expect(res.body.detail).toContain('still in progress');
        }
        // Exactly one row, and its stored answer exists with it.
        const rows: { customer_number: string; stored: string | null }[] = await t.dataSource.query(
          `SELECT p.customer_number::text,
                (SELECT k.key FROM idempotency_keys k
                  WHERE k.organisation_id = p.organisation_id AND k.customer_number = p.customer_number) AS stored
           FROM profiles p WHERE p.organisation_id = 1 AND p.created_by = $1`,
          [marker],
        );
        expect(rows).toEqual([
          { customer_number: String(created[0].body.customerNumber), stored: key },
        ]);
        // A later retry replays the same bytes.
        const later = await t.http.post(path, { token, body, headers: { 'idempotency-key': key } });
        expect(answer(later)).toEqual(first);
        expect(later.headers.get('idempotency-replayed')).toBe('true');
      });
    },
  );

  describe('the create and its stored answer commit together', () => {
    const failing = `fail_idempotency_store_${unique()}`;
    beforeAll(async () => {
      // A real fault in the database: storing the answer of keys with this prefix fails.
      await t.dataSource.query(`
        CREATE FUNCTION ${failing}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.key LIKE '${failing}%' THEN RAISE EXCEPTION 'storing the answer failed'; END IF;
          RETURN NEW;
        END $$`);
      await t.dataSource.query(
        `CREATE TRIGGER ${failing} BEFORE INSERT ON idempotency_keys
           FOR EACH ROW EXECUTE FUNCTION ${failing}()`,
      );
    });
    afterAll(async () => {
      await t.dataSource.query(`DROP TRIGGER IF EXISTS ${failing} ON idempotency_keys`);
      await t.dataSource.query(`DROP FUNCTION IF EXISTS ${failing}()`);
    });

    it('should leave no profile when storing the answer fails, so the retry creates exactly one', async () => {
      const key = `${failing}-${randomUUID()}`;
      const body = profileBody({ password: undefined });
      // A deliberate database fault: its 500 is not part of the contract.
      const failed = await t.http.post(BASE, {
        token,
        body,
        headers: { 'idempotency-key': key },
        contract: false,
      });
      expect(failed.status).toBe(500);
      expect(await countProfiles(t, 'lower(email) = lower($1)', [body.email])).toBe(0);

      await t.dataSource.query(`DROP TRIGGER ${failing} ON idempotency_keys`);
      const retried = await t.http.post(BASE, { token, body, headers: { 'idempotency-key': key } });
      expect(retried.status).toBe(201);
      expect(await countProfiles(t, 'lower(email) = lower($1)', [body.email])).toBe(1);
      const replay = await t.http.post(BASE, { token, body, headers: { 'idempotency-key': key } });
      expect(answer(replay)).toEqual(answer(retried));
    });

    it('should have a stored answer for every profile created with a key', async () => {
      const orphans: { n: string }[] = await t.dataSource.query(
        `SELECT count(*)::text AS n FROM profiles p
          WHERE p.organisation_id = 1 AND p.created_by LIKE 'idem-%'
            AND NOT EXISTS (SELECT 1 FROM idempotency_keys k
                             WHERE k.organisation_id = 1 AND k.customer_number = p.customer_number)`,
      );
      expect(orphans[0].n).toBe('0');
    });
  });

  it('should replay the other idempotent creates byte for byte: v1 customers, consents, given consents, sub-resources', async () => {
    const customerNumber = await createProfile(t, 1);
    const consentId = (await activeConsent(t, token)).id;
    // A base this organisation has no consent on yet.
    const consentCode = `T_${unique().toUpperCase()}`;
    const admin = t.issuer.admin();
    await t.http.post('/customers/v2/consents/consent-bases', {
      token: admin,
      body: { consentCode, terms: terms('Idempotent') },
    });
    await t.http.post(`/customers/v2/consents/consent-bases/${consentCode}/versions/1/activate`, {
      token: admin,
    });
    const creates: [string, object][] = [
      [
        '/customers/v1/profiles',
        { firstName: 'Kari', surname: 'V1', createdBy: 't', createdByChannel: 't' },
      ],
      ['/customers/v2/consents/consents', { consentCode, isEmailSupported: true }],
      [
        '/customers/v2/consents/given-consents',
        {
          customerNumber,
          consentId,
          consentChoice: true,
          distributionChannel: 'web',
        },
      ],
      [
        `${BASE}/${customerNumber}/postal-addresses`,
        { addressLine1: 'Gate 1', postCode: '0150', city: 'Oslo' },
      ],
    ];
    for (const [path, body] of creates) {
      const key = randomUUID();
      const first = await t.http.post(path, { token, body, headers: { 'idempotency-key': key } });
      expect([path, first.status]).toEqual([path, 201]);
      const again = await t.http.post(path, { token, body, headers: { 'idempotency-key': key } });
      expect(answer(again)).toEqual(answer(first));
      expect(again.headers.get('idempotency-replayed')).toBe('true');
    }
  });
});
