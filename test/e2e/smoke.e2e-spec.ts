import { createTestApp, TestApp } from '../utils/test-app';

describe('service smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should answer liveness and readiness without a token', async () => {
    expect((await t.http.get('/health/live')).status).toBe(200);
    const ready = await t.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
  });

  it('should list organisations for an admin token', async () => {
    const res = await t.http.get('/customers/v2/organisations', { token: t.issuer.admin() });
    expect(res.status).toBe(200);
    expect(res.body.map((o: { id: number }) => o.id)).toEqual(expect.arrayContaining([1, 2, 3]));
  });

  it('should refuse a request without a token with problem+json', async () => {
    const res = await t.http.get('/customers/v2/organisations');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });
});
