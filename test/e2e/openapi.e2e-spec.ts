import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { committedContract, ContractValidator, ContractViolation } from '../utils/contract';
import { HttpClient } from '../utils/http-client';
import { createTestApp, TestApp } from '../utils/test-app';

const committed = (file: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi', file), 'utf8'));

describe('OpenAPI contract', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The token endpoint in the document is configuration; the generator's is the issuer's.
    t = await createTestApp({ AUTH_TOKEN_URL: 'https://issuer.example/oauth/token' });
  });
  afterAll(() => t.close());

  it.each([
    ['v2', 'customers-v2.json'],
    ['v1', 'customers-v1.json'],
  ])('should serve the committed %s document at /docs', async (version, file) => {
    const served = await t.http.get(`/docs/${version}/openapi.json`);
    expect(served.status).toBe(200);
    expect(served.body).toEqual(committed(file));
    const yaml = await t.http.get(`/docs/${version}/openapi.yaml`);
    expect(yaml.status).toBe(200);
    expect(yaml.text).toContain(`/customers/${version}/`);
  });

  it('should serve Swagger UI at /docs', async () => {
    const res = await t.http.get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('swagger');
  });

  it('should document a permission and problem responses for every v2 operation', () => {
    const document = committed('customers-v2.json');
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect([where, operation.operationId]).toEqual([where, expect.any(String)]);
        expect([where, operation['x-permissions']]).toEqual([where, expect.any(Array)]);
        expect([where, Object.keys(operation.responses)]).toEqual([
          where,
          expect.arrayContaining(['401', '403']),
        ]);
      }
    }
  });

  it('should mark every v1 operation deprecated', () => {
    const document = committed('customers-v1.json');
    for (const [path, item] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        expect([`${method.toUpperCase()} ${path}`, operation.deprecated]).toEqual([
          `${method.toUpperCase()} ${path}`,
          true,
        ]);
      }
    }
  });

  it('should accept real responses that match the documents', async () => {
    const res = await t.http.get('/customers/v2/organisations/1', { token: t.issuer.admin() });
    expect(res.status).toBe(200);
  });

  describe('the response validator', () => {
    const contract = committedContract();
    const organisation = {
      id: 1,
      name: 'Org One',
      active: true,
      createdAt: '2026-01-01T00:00:00.000Z',
      changedAt: '2026-01-01T00:00:00.000Z',
    };
    const response = (status: number, body: unknown, contentType = 'application/json') => ({
      method: 'GET',
      path: '/customers/v2/organisations/1',
      status,
      contentType,
      text: JSON.stringify(body),
      body,
    });

    it('should pass a body that matches the documented schema', () => {
      expect(() => contract.validate(response(200, organisation))).not.toThrow();
    });

    it('should reject a body with a field of the wrong type', () => {
      expect(() => contract.validate(response(200, { ...organisation, id: 'one' }))).toThrow(
        /does not match its schema: body\/id must be (number|integer)/,
      );
    });

    it('should reject a body without a required field', () => {
      const { name, ...withoutName } = organisation;
      expect(name).toBeDefined();
      expect(() => contract.validate(response(200, withoutName))).toThrow(ContractViolation);
    });

    it('should reject an undocumented status of a documented operation', () => {
      expect(() => contract.validate(response(418, { title: 'teapot' }))).toThrow(
        /GET \/customers\/v2\/organisations\/\{id\} .* answered 418, which the document does not list/,
      );
    });

    it('should reject an error body that is not a problem document', () => {
      expect(() =>
        contract.validate(response(404, { message: 'nope' }, 'application/problem+json')),
      ).toThrow(/does not match its schema/);
    });

    it('should reject an undocumented content type', () => {
      expect(() => contract.validate(response(200, organisation, 'text/html'))).toThrow(
        /with a text\/html body/,
      );
    });

    it('should leave paths outside the documents alone', () => {
      expect(() =>
        contract.validate({ ...response(418, 'x', 'text/plain'), path: '/health/live' }),
      ).not.toThrow();
    });

    it('should make a real request fail when its response is off the contract', async () => {
      // The committed document, doctored: organisations must carry a field the service never sends,
      // and creating one may not answer 400.
      const doctored = committed('customers-v2.json');
      doctored.components.schemas.OrganisationResponseDto.required.push('motto');
      delete doctored.paths['/customers/v2/organisations'].post.responses['400'];
      const strict = new HttpClient(
        t.baseUrl,
        new ContractValidator({ 'doctored.json': doctored }),
      );
      const admin = t.issuer.admin();

      await expect(strict.get('/customers/v2/organisations/1', { token: admin })).rejects.toThrow(
        /body must have required property 'motto'/,
      );
      await expect(
        strict.post('/customers/v2/organisations', { token: admin, body: { id: 'x' } }),
      ).rejects.toThrow(/answered 400, which the document does not list/);
      const optedOut = await strict.get('/customers/v2/organisations/1', {
        token: admin,
        contract: false,
      });
      expect(optedOut.status).toBe(200);
    });
  });
});
