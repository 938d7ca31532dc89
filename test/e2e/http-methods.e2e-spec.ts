import { createTestApp, TestApp } from '../utils/test-app';

describe('HTTP methods and created resources', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(1);
  });
  afterAll(() => t.close());

  it.each([
    ['DELETE', '/customers/v2/profiles-search', 'GET, HEAD'],
    ['DELETE', '/customers/v2/profiles-search/', 'GET, HEAD'],
    ['PUT', '/customers/v2/consents/consents/', 'GET, HEAD, POST'],
    ['POST', '/customers/v2/profiles/12/', 'GET, HEAD, PUT, PATCH, DELETE'],
    ['POST', '/customers/v2/profiles-search', 'GET, HEAD'],
    ['PATCH', '/customers/v2/profiles/temporary/12', 'GET, HEAD, PUT, DELETE'],
    ['GET', '/customers/v2/profiles/12/restore', 'POST'],
    ['PUT', '/customers/v2/consents/crm', 'GET, HEAD'],
    ['DELETE', '/customers/v2/profiles', 'GET, HEAD, POST'],
    ['PATCH', '/health/live', 'GET, HEAD'],
  ])('should answer %s %s with 405 and Allow: %s', async (method, path, allow) => {
    const res = await t.http.request(method, path, { token, contract: false });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 405, title: 'Method Not Allowed', errorCode: 405 });
    expect(res.body.detail).toContain(allow);
    expect(res.body.instance).toBe(path);
  });

  it('should keep 404 for unknown paths, and the right method working', async () => {
    for (const path of ['/customers/v2/nope', '/customers/v2/profiles-search/x/y', '/nope']) {
      const res = await t.http.request('DELETE', path, { token, contract: false });
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.headers.get('allow')).toBeNull();
    }
    const search = await t.http.get('/customers/v2/profiles-search', {
      token,
      query: { surname: 'Nobody' },
    });
    expect(search.status).toBe(200);
  });

  it('should send Location with a new organisation', async () => {
    const id = 700_000 + Math.floor(Math.random() * 100_000);
    const res = await t.http.post('/customers/v2/organisations', {
      token: t.issuer.admin(),
      body: { id, name: `Org ${id}` },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/customers/v2/organisations/${id}`);
    const read = await t.http.get(res.headers.get('location')!, { token: t.issuer.admin() });
    expect(read.body).toEqual(res.body);
  });
});
