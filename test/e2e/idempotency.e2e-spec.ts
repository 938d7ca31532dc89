import { randomUUID } from 'node:crypto';
import { countProfiles, profileBody } from '../factories/profile.factory';
import { createTestApp, TestApp } from '../utils/test-app';

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

  it('should let only one of concurrent duplicates create', async () => {
    const key = randomUUID();
    const body = profileBody({ password: 'abcD123' });
    const results = await Promise.all(Array.from({ length: 5 }, () => create(key, body)));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses).toContain(201);
    const numbers = new Set(
      results.filter((r) => r.status === 201).map((r) => r.body.customerNumber),
    );
    expect(numbers.size).toBe(1);
    expect(await countProfiles(t, 'lower(email) = lower($1)', [body.email])).toBe(1);
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
});
