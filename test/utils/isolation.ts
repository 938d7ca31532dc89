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
  /** The kind of customer the owner has (default: a permanent profile). */
  customer?: 'permanent' | 'temporary';
  /** Creates what the route needs under the owner's customer (as organisation 1). */
  setup?: (t: TestApp, customerNumber: number) => Promise<Record<string, number | string>>;
}

/** A number no customer has: numbers come from one sequence that never gets near it in tests. */
export const MISSING_CUSTOMER_NUMBER = 987_654_321_012;

const PROFILES = '/customers/v2/profiles';
const TEMPORARY = '/customers/v2/profiles/temporary';
const change = { changedBy: 'isolation-test', changedByChannel: 'test' };
const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const address = () => ({ addressLine1: 'Storgata 1', postCode: '0150', city: 'Oslo' });
const note = () => ({ text: 'Isolation note', createdBy: 'isolation-test' });

/** Adds a postal address to the owner's customer and returns its id. */
async function ownerAddress(t: TestApp, customerNumber: number) {
  const res = await t.http.post(`${PROFILES}/${customerNumber}/postal-addresses`, {
    token: t.issuer.partner(1),
    body: address(),
  });
  if (res.status !== 201) {
    throw new Error(`adding an address failed: ${res.status} ${res.text}`);
  }
  return { addressId: Number(res.body.id) };
}

/** An import job of the owner's organisation (one line: the owner's customer is not touched). */
async function ownerImport(t: TestApp) {
  const res = await t.http.post('/customers/v2/imports', {
    token: t.issuer.partner(1),
    headers: { 'content-type': 'application/x-ndjson' },
    rawBody: '{"firstName": "Isolation"}\n',
  });
  if (res.status !== 202) {
    throw new Error(`starting an import failed: ${res.status} ${res.text}`);
  }
  return { importId: String(res.body.id) };
}

/** A disabled webhook endpoint of the owner's organisation (disabled: it gets no deliveries). */
async function ownerWebhook(t: TestApp) {
  const res = await t.http.post('/customers/v2/webhooks', {
    token: t.issuer.partner(1),
    body: { url: 'https://hooks.example.com/isolation', enabled: false },
  });
  if (res.status !== 201) {
    throw new Error(`registering a webhook endpoint failed: ${res.status} ${res.text}`);
  }
  return { webhookId: String(res.body.id) };
}

/** The owner's webhook endpoint, or for the missing customer an endpoint id that does not exist. */
const webhookPath =
  (suffix = '') =>
  (n: number, ids: IsolationFixture['ids']) =>
    `/customers/v2/webhooks/${n === MISSING_CUSTOMER_NUMBER ? '00000000-0000-4000-8000-000000000000' : ids.webhookId}${suffix}`;

/** Another permanent profile of the owner, for routes that join two profiles. */
function ownerSecondProfile(name: string) {
  return async (t: TestApp) => ({
    [name]: Number((await createProfile(t, {}, 1)).customerNumber),
  });
}

/** Adds a note to the owner's customer and returns its id. */
async function ownerNote(t: TestApp, customerNumber: number) {
  const res = await t.http.post(`${PROFILES}/${customerNumber}/notes`, {
    token: t.issuer.partner(1),
    body: note(),
  });
  if (res.status !== 201) {
    throw new Error(`adding a note failed: ${res.status} ${res.text}`);
  }
  return { noteId: Number(res.body.id) };
}

/** Adds a customer account to the owner's customer and returns its account id. */
async function ownerAccount(t: TestApp, customerNumber: number) {
  const accountId = `ISO-${customerNumber}`;
  const res = await t.http.post(`${PROFILES}/${customerNumber}/customer-accounts`, {
    token: t.issuer.partner(1),
    body: { accountId },
  });
  if (res.status !== 201) {
    throw new Error(`adding a customer account failed: ${res.status} ${res.text}`);
  }
  return { accountId };
}

export const ORG_SCOPED_ROUTES: OrgScopedRoute[] = [
  // Profiles
  { method: 'GET', path: (n) => `${PROFILES}/${n}`, ownerStatus: 200 },
  { method: 'GET', path: (n) => `${PROFILES}/${n}/export`, ownerStatus: 200 },
  { method: 'GET', path: (n) => `${PROFILES}/${n}/possible-duplicates`, ownerStatus: 200 },
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
  {
    method: 'PUT',
    path: (n) => `${PROFILES}/${n}/password`,
    body: () => ({ newPassword: 'abcD1234' }),
  },
  { method: 'POST', path: (n) => `${PROFILES}/${n}/password/generate` },
  // The account id leads to the customer: another organisation's account looks missing.
  {
    method: 'GET',
    path: (_, ids) => `${PROFILES}/customer-accounts/${ids.accountId}`,
    setup: ownerAccount,
    ownerStatus: 200,
  },
  // Sub-resources
  ...[
    'postal-addresses',
    'preferences',
    'ecards',
    'loyalty-programs',
    'customer-accounts',
    'notes',
  ].map((resource): OrgScopedRoute => ({
    method: 'GET',
    path: (n) => `${PROFILES}/${n}/${resource}`,
    ownerStatus: 200,
  })),
  { method: 'POST', path: (n) => `${PROFILES}/${n}/postal-addresses`, body: address },
  {
    method: 'PUT',
    path: (n, ids) => `${PROFILES}/${n}/postal-addresses/${ids.addressId}`,
    body: address,
    setup: ownerAddress,
  },
  {
    method: 'DELETE',
    path: (n, ids) => `${PROFILES}/${n}/postal-addresses/${ids.addressId}`,
    setup: ownerAddress,
  },
  // Notes
  { method: 'POST', path: (n) => `${PROFILES}/${n}/notes`, body: note },
  {
    method: 'GET',
    path: (n, ids) => `${PROFILES}/${n}/notes/${ids.noteId}`,
    setup: ownerNote,
    ownerStatus: 200,
  },
  {
    method: 'PUT',
    path: (n, ids) => `${PROFILES}/${n}/notes/${ids.noteId}`,
    body: () => ({ text: 'Changed', changedBy: 'isolation-test' }),
    setup: ownerNote,
  },
  {
    method: 'DELETE',
    path: (n, ids) => `${PROFILES}/${n}/notes/${ids.noteId}`,
    setup: ownerNote,
  },
  // Temporary profiles
  { method: 'GET', path: (n) => `${TEMPORARY}/${n}`, customer: 'temporary', ownerStatus: 200 },
  {
    method: 'PUT',
    path: (n) => `${TEMPORARY}/${n}`,
    customer: 'temporary',
    body: () => ({ ...change, expirationDate: tomorrow() }),
  },
  { method: 'DELETE', path: (n) => `${TEMPORARY}/${n}`, customer: 'temporary' },
  {
    method: 'POST',
    path: (n) => `${TEMPORARY}/${n}/convert`,
    customer: 'temporary',
    body: () => ({
      firstName: 'Kari',
      surname: 'Foreign',
      createdBy: 'isolation-test',
      createdByChannel: 'test',
    }),
  },
  {
    method: 'POST',
    path: (n) => `${TEMPORARY}/${n}/connect`,
    customer: 'temporary',
    body: (_, ids) => ({ customerNumber: ids.targetNumber, ...change }),
    setup: ownerSecondProfile('targetNumber'),
  },
  {
    method: 'POST',
    path: (n) => `${PROFILES}/${n}/merge`,
    body: (_, ids) => ({ customerNumber: ids.sourceNumber, ...change }),
    setup: ownerSecondProfile('sourceNumber'),
  },
  // Bulk import jobs: the owner's job against a job id that does not exist
  {
    method: 'GET',
    path: (n, ids) =>
      `/customers/v2/imports/${n === MISSING_CUSTOMER_NUMBER ? '00000000-0000-4000-8000-000000000000' : ids.importId}`,
    ownerStatus: 200,
    setup: ownerImport,
  },
  // Webhook endpoints: the owner's endpoint against an endpoint id that does not exist
  { method: 'GET', path: webhookPath(), setup: ownerWebhook, ownerStatus: 200 },
  {
    method: 'PATCH',
    path: webhookPath(),
    body: () => ({ description: 'Foreign' }),
    setup: ownerWebhook,
  },
  { method: 'DELETE', path: webhookPath(), setup: ownerWebhook },
  { method: 'POST', path: webhookPath('/rotate-secret'), setup: ownerWebhook },
  { method: 'GET', path: webhookPath('/deliveries'), setup: ownerWebhook, ownerStatus: 200 },
  // Legacy profiles (v1)
  { method: 'GET', path: (n) => `/customers/v1/profiles/${n}`, ownerStatus: 200 },
  { method: 'DELETE', path: (n) => `/customers/v1/profiles/${n}` },
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
  const customerNumber =
    route.customer === 'temporary'
      ? await createTemporaryCustomer(t)
      : Number((await createProfile(t, {}, 1)).customerNumber);
  return { customerNumber, ids: (await route.setup?.(t, customerNumber)) ?? {} };
}

/** The owner's read of its customer, to show a foreign request changed nothing. */
export function ownerReadPath(route: OrgScopedRoute, customerNumber: number): string {
  return route.customer === 'temporary'
    ? `${TEMPORARY}/${customerNumber}`
    : `${PROFILES}/${customerNumber}`;
}

async function createTemporaryCustomer(t: TestApp): Promise<number> {
  const res = await t.http.post(TEMPORARY, {
    token: t.issuer.partner(1),
    body: { expirationDate: tomorrow(), createdBy: 'isolation-test', createdByChannel: 'test' },
  });
  if (res.status !== 201) {
    throw new Error(`creating a temporary profile failed: ${res.status} ${res.text}`);
  }
  return Number(res.body.customerNumber);
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
