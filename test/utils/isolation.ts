import { createProfile } from '../factories/profile.factory';
import { ApiResponse, RequestOptions } from './http-client';
import { TestApp } from './test-app';

/**
 * Organisation isolation, as a matrix: for every organisation-scoped route, organisation 2's token
 * on organisation 1's customer must get exactly what it gets for a customer that does not exist
 * (404, same headers, same body apart from correlationId, instance and the number itself). Any
 * difference is an existence leak.
 *
 * Adding a route: append an entry to ORG_SCOPED_ROUTES (it runs in test/e2e/isolation.e2e-spec.ts),
 * or call expectForeignLooksMissing() from your own suite.
 */
export interface IsolationFixture {
  /** A customer of organisation 1 (the owner). */
  customerNumber: number;
  /** Extra ids created by the route's `setup` for that customer (e.g. an address id). */
  ids: Record<string, number | string>;
}

export interface OrgScopedRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path for a customer number, e.g. `(n) => \`/customers/v2/profiles/${n}\``. */
  path: (customerNumber: number, ids: IsolationFixture['ids']) => string;
  body?: (customerNumber: number, ids: IsolationFixture['ids']) => unknown;
  headers?: Record<string, string>;
  query?: RequestOptions['query'];
  /**
   * The status the OWNER gets for the same request (checked first, so the matrix is not
   * vacuous). Leave it out for requests that would change the owner's data.
   */
  ownerStatus?: number;
  /** Creates what the route needs under the owner's customer (as organisation 1). */
  setup?: (t: TestApp, customerNumber: number) => Promise<Record<string, number | string>>;
}

/** A number no customer has: numbers come from one sequence that never gets near it in tests. */
export const MISSING_CUSTOMER_NUMBER = 987_654_321_012;

const PROFILES = '/customers/v2/profiles';
const change = { changedBy: 'isolation-test', changedByChannel: 'test' };

export const ORG_SCOPED_ROUTES: OrgScopedRoute[] = [
  // Profiles
  { method: 'GET', path: (n) => `${PROFILES}/${n}`, ownerStatus: 200 },
  // customerRef defaults to the customer number.
  { method: 'GET', path: (n) => `${PROFILES}/customer-ref/${n}`, ownerStatus: 200 },
  {
    method: 'PUT',
    path: (n) => `${PROFILES}/${n}`,
    body: () => ({ ...change, firstName: 'Kari', surname: 'Foreign' }),
  },
  {
    method: 'PATCH',
    path: (n) => `${PROFILES}/${n}`,
    body: () => ({ ...change, firstName: 'Kari' }),
    headers: { 'content-type': 'application/merge-patch+json' },
  },
  { method: 'DELETE', path: (n) => `${PROFILES}/${n}` },
  // Legacy consents (v1 model, both bases)
  { method: 'GET', path: (n) => `/customers/v1/consents/customers/${n}`, ownerStatus: 200 },
  {
    method: 'PUT',
    path: (n) => `/customers/v1/consents/customers/${n}/ENT_INFO_SMS`,
    body: () => ({ ...change, consentChoice: 'approved' }),
  },
  { method: 'GET', path: (n) => `/customers/v2/consents/v1/customers/${n}`, ownerStatus: 200 },
  {
    method: 'PUT',
    path: (n) => `/customers/v2/consents/v1/customers/${n}/ENT_INFO_SMS`,
    body: () => ({ ...change, consentChoice: 'declined' }),
  },
];

/** Everything of a 404 that a client can see, minus what differs between any two requests. */
function comparable(res: ApiResponse, customerNumber: number): unknown {
  const ignoredHeaders = new Set(['date', 'x-correlation-id', 'content-length', 'keep-alive']);
  const headers = [...res.headers.keys()].filter((h) => !ignoredHeaders.has(h)).sort();
  const body =
    res.body && typeof res.body === 'object'
      ? { ...(res.body as Record<string, unknown>), correlationId: undefined, instance: undefined }
      : res.body;
  const text = JSON.stringify({ status: res.status, headers, body }).replaceAll(
    String(customerNumber),
    '{customerNumber}',
  );
  return JSON.parse(text);
}

function send(
  t: TestApp,
  route: OrgScopedRoute,
  token: string,
  n: number,
  ids: IsolationFixture['ids'],
) {
  const headers = route.headers;
  const body = route.body?.(n, ids);
  return t.http.request(route.method, route.path(n, ids), {
    token,
    query: route.query,
    headers,
    // A raw body keeps the route's own content type (e.g. merge-patch) intact.
    ...(body === undefined
      ? {}
      : headers?.['content-type']
        ? { rawBody: JSON.stringify(body) }
        : { body }),
  });
}

/** A fresh customer of organisation 1 for one route, with whatever the route's setup adds. */
export async function ownerFixture(t: TestApp, route: OrgScopedRoute): Promise<IsolationFixture> {
  const profile = await createProfile(t, {}, 1);
  const customerNumber = Number(profile.customerNumber);
  return { customerNumber, ids: (await route.setup?.(t, customerNumber)) ?? {} };
}

/**
 * Asserts that organisation 2 cannot tell organisation 1's customer from a missing one on `route`.
 */
export async function expectForeignLooksMissing(
  t: TestApp,
  route: OrgScopedRoute,
  fixture: IsolationFixture,
): Promise<void> {
  const { customerNumber, ids } = fixture;
  if (route.ownerStatus !== undefined) {
    const owner = await send(t, route, t.issuer.partner(1), customerNumber, ids);
    expect(`${route.method} owner: ${owner.status}`).toBe(
      `${route.method} owner: ${route.ownerStatus}`,
    );
  }
  const foreignToken = t.issuer.partner(2);
  const foreign = await send(t, route, foreignToken, customerNumber, ids);
  const missing = await send(t, route, foreignToken, MISSING_CUSTOMER_NUMBER, ids);
  expect(foreign.status).toBe(404);
  expect(foreign.headers.get('content-type')).toContain('application/problem+json');
  expect(comparable(foreign, customerNumber)).toEqual(comparable(missing, MISSING_CUSTOMER_NUMBER));
}

/** A readable name for a route in test titles. */
export function routeName(route: OrgScopedRoute): string {
  return `${route.method} ${route.path(Number.NaN, new Proxy({}, { get: (_, key) => `{${String(key)}}` })).replace('NaN', '{customerNumber}')}`;
}
