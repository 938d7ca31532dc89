import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import { Clock } from '../../src/common/clock/clock';
import { dateInZone } from '../../src/temporary-profiles/expiry-instant';
import { profileBody, uniqueEmail } from '../factories/profile.factory';
import { ApiResponse } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const PROFILES = '/customers/v2/profiles';
const TEMPORARY = '/customers/v2/profiles/temporary';
const PROFILES_V1 = '/customers/v1/profiles';

/** The seed's create request body, exactly as its `curl` example writes it. */
const SEED_BODY =
  '{"firstName": "Ola", "surname": "Nordmann", "email": "", "languagePreference": "NO", "createdBy": "test", "createdByChannel": "test", "organisationId": 1, "password":"abcD123"}';

function expectProblem(res: ApiResponse, status: number): void {
  expect([res.status, res.headers.get('content-type')]).toEqual([
    status,
    expect.stringContaining('application/problem+json'),
  ]);
  expect(res.body.status).toBe(status);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A request with exactly these headers: fetch would add a Content-Type to any string body. */
function rawPost(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, baseUrl),
      { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('request bodies, content types and trailing slashes', () => {
  let t: TestApp;
  let token: string;
  let temporaryBody: () => Record<string, unknown>;

  beforeAll(async () => {
    t = await createTestApp();
    token = t.issuer.partner(1);
    const today = dateInZone(t.app.get(Clock).now(), 'Europe/Oslo');
    temporaryBody = () => ({
      expirationDate: addDays(today, 7),
      createdBy: 'ticket-office',
      createdByChannel: 'web',
    });
  });
  afterAll(() => t.close());

  describe('the seed', () => {
    it("should create a profile with the seed's curl exactly as written (form content type)", async () => {
      // curl --data without a content type sends application/x-www-form-urlencoded.
      const { stdout } = await promisify(execFile)('curl', [
        '--silent',
        '--request',
        'POST',
        '--url',
        `${t.baseUrl}${PROFILES}/`,
        '--header',
        `Authorization: Bearer ${token}`,
        '--data',
        SEED_BODY,
        '--write-out',
        '\n%{http_code} %{content_type}',
      ]);
      const lines = stdout.split('\n');
      const [status, contentType] = lines.pop()!.split(' ');
      expect([status, contentType]).toEqual(['201', expect.stringContaining('application/json')]);
      expect(JSON.parse(lines.join('\n'))).toMatchObject({
        firstName: 'Ola',
        surname: 'Nordmann',
        email: null,
        organisationId: 1,
        profileType: 'S',
      });
    });

    it('should take a JSON object sent without any content type as JSON', async () => {
      const res = await rawPost(
        t.baseUrl,
        PROFILES,
        { authorization: `Bearer ${token}` },
        JSON.stringify(profileBody({ password: undefined })),
      );
      expect(res.status).toBe(201);
    });
  });

  describe('415 for what the API does not read', () => {
    it.each([
      ['text/plain on a path with an encoded letter', '/%63ustomers/v2/profiles', 'text/plain'],
      ['text/plain', PROFILES, 'text/plain'],
      ['text/plain on the v1 path', PROFILES_V1, 'text/plain'],
      ['application/xml', PROFILES, 'application/xml'],
      ['JSON in UTF-16', PROFILES, 'application/json; charset=utf-16'],
      ['JSON in ISO-8859-1', PROFILES, 'application/json; charset="ISO-8859-1"'],
      ['merge-patch JSON in UTF-16', PROFILES, 'application/merge-patch+json; charset=UTF-16LE'],
      ['a form body in UTF-16', PROFILES, 'application/x-www-form-urlencoded; charset=utf-16'],
    ])('should answer %s with 415 and create nothing', async (_, path, contentType) => {
      const email = uniqueEmail();
      const res = await t.http.post(path, {
        token,
        rawBody: JSON.stringify(profileBody({ email, password: undefined })),
        headers: { 'content-type': contentType },
      });
      expectProblem(res, 415);
      const found = await t.http.get('/customers/v2/profiles-search', {
        token,
        query: { email },
      });
      expect(found.body).toEqual([]);
    });

    it('should answer form fields on a JSON route with 415', async () => {
      const res = await t.http.post(PROFILES, {
        token,
        rawBody: 'firstName=Ola&surname=Nordmann&createdBy=a&createdByChannel=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectProblem(res, 415);
      expect(res.body.detail).toContain('form');
    });

    it('should answer a body without content type that is not a JSON object with 415', async () => {
      const res = await rawPost(
        t.baseUrl,
        PROFILES,
        { authorization: `Bearer ${token}` },
        'firstName=Ola',
      );
      expect(res.status).toBe(415);
    });

    it('should answer a form body that starts like JSON but is not with 400', async () => {
      const res = await t.http.post(PROFILES, {
        token,
        rawBody: '{"firstName": "Ola", ',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectProblem(res, 400);
      expect(res.body.detail).toBe('The request body is not valid JSON');
    });
  });

  describe('JSON media types', () => {
    it.each([
      ['application/json; charset=utf-8'],
      ['application/json; charset=UTF-8'],
      ['application/json; charset=us-ascii'],
    ])('should read a body sent as %s', async (contentType) => {
      const res = await t.http.post(PROFILES, {
        token,
        rawBody: JSON.stringify(profileBody({ password: undefined })),
        headers: { 'content-type': contentType },
      });
      expect(res.status).toBe(201);
    });

    it('should refuse a JSON media type the contract does not name with 415', async () => {
      const res = await t.http.post(PROFILES, {
        token,
        rawBody: JSON.stringify(profileBody({ password: undefined })),
        headers: { 'content-type': 'application/vnd.customers+json' },
      });
      expectProblem(res, 415);
    });

    it('should read a merge patch sent as application/merge-patch+json', async () => {
      const created = await t.http.post(PROFILES, {
        token,
        body: profileBody({ password: undefined }),
      });
      const res = await t.http.patch(`${PROFILES}/${created.body.customerNumber}`, {
        token,
        rawBody: JSON.stringify({ firstName: 'Kari', changedBy: 'a', changedByChannel: 'b' }),
        headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' },
      });
      expect(res.status).toBe(200);
      expect(res.body.firstName).toBe('Kari');
    });
  });

  describe('trailing slashes', () => {
    it('should create a profile at /customers/v2/profiles/ as at the canonical path', async () => {
      const canonical = await t.http.post(PROFILES, {
        token,
        body: profileBody({ password: undefined }),
      });
      const slashed = await t.http.post(`${PROFILES}/`, {
        token,
        body: profileBody({ password: undefined }),
      });
      expect([canonical.status, slashed.status]).toEqual([201, 201]);
      expect(slashed.headers.get('location')).toBe(`${PROFILES}/${slashed.body.customerNumber}`);
      const read = await t.http.get(`${PROFILES}/${slashed.body.customerNumber}/`, { token });
      expect(read.status).toBe(200);
    });

    it('should create a temporary profile at /customers/v2/profiles/temporary/', async () => {
      const canonical = await t.http.post(TEMPORARY, { token, body: temporaryBody() });
      const slashed = await t.http.post(`${TEMPORARY}/`, { token, body: temporaryBody() });
      expect([canonical.status, slashed.status]).toEqual([201, 201]);
      expect(slashed.body.profileType).toBe('T');
    });

    it('should create a customer at /customers/v1/profiles/', async () => {
      const canonical = await t.http.post(PROFILES_V1, {
        token,
        body: profileBody({ password: undefined }),
      });
      const slashed = await t.http.post(`${PROFILES_V1}/`, {
        token,
        body: profileBody({ password: undefined }),
      });
      expect([canonical.status, slashed.status]).toEqual([201, 201]);
      expect(slashed.headers.get('deprecation')).toBe(canonical.headers.get('deprecation'));
    });

    it('should answer the same errors with and without the slash', async () => {
      for (const path of [PROFILES, `${PROFILES}/`]) {
        expectProblem(await t.http.post(path, { token, body: {} }), 400);
        expectProblem(await t.http.post(path, { body: profileBody() }), 401);
      }
    });

    it('should list only the canonical paths in the documents', async () => {
      for (const version of ['v1', 'v2']) {
        const document = await t.http.get(`/docs/${version}/openapi.json`);
        const slashed = Object.keys(document.body.paths).filter((p) => p.endsWith('/'));
        expect(slashed).toEqual([]);
      }
    });
  });
});
