import { DocumentOperation, operationKey } from './committed-documents';
import { ApiResponse, RequestOptions } from './http-client';
import {
  change,
  PROFILES,
  Resource,
  SHARED_RESOURCES,
  SUB_RESOURCE_BODIES,
  SUB_RESOURCES,
  SubResourcePath,
  TEMPORARY,
  tomorrow,
  World,
} from './isolation-world';
import { TestApp } from './test-app';

/**
 * Organisation isolation, as a matrix: for every operation of the committed documents whose path
 * names a customer or a resource, organisation 2's caller on organisation 1's resource must get
 * exactly what it gets for one that does not exist (404, same headers, same problem body apart
 * from correlationId, instance and the ids themselves). Any difference is an existence leak.
 *
 * An operation with a path parameter is either here (MATRIX) or in NOT_TENANT_SCOPED with its
 * reason; test/e2e/isolation.e2e-spec.ts reads the documents and fails naming any that is neither.
 * Operations that name a customer only in the body or the query may join the matrix too.
 */
export interface MatrixOperation {
  /** The operation as its document names it: method and path template. */
  operation: string;
  /** What each path parameter, and each id the body or query carries, names in a world. */
  names: Record<string, Resource>;
  body?: (values: Values) => unknown;
  query?: (values: Values) => RequestOptions['query'];
  headers?: Record<string, string>;
  /**
   * For reads: the owner's own status for the same request (checked first, so the matrix is not
   * vacuous). Writes leave it out: the owner's data must stay as seeded.
   */
  ownerStatus?: number;
  /** The request could change the owner's password: its read-back signs in too. */
  touchesPassword?: boolean;
}

/** The value each name of an operation takes in one request. */
export type Values = Record<string, number | string>;

const V2 = '/customers/v2';
const CONSENTS = `${V2}/consents`;
const WEBHOOKS = `${V2}/webhooks`;

function subResourceOperations(path: SubResourcePath): MatrixOperation[] {
  const list = `${PROFILES}/{customerNumber}/${path}`;
  const one = `${list}/{id}`;
  const names = { customerNumber: 'profile', id: SUB_RESOURCES[path] } as const;
  const body = SUB_RESOURCE_BODIES[path];
  return [
    { operation: `GET ${list}`, names: { customerNumber: 'profile' }, ownerStatus: 200 },
    { operation: `POST ${list}`, names: { customerNumber: 'profile' }, body },
    ...(path === 'notes' ? [{ operation: `GET ${one}`, names, ownerStatus: 200 }] : []),
    {
      operation: `PUT ${one}`,
      names,
      body: path === 'notes' ? () => ({ text: 'Changed', changedBy: 'isolation-test' }) : body,
    },
    { operation: `DELETE ${one}`, names },
  ];
}

export const MATRIX: MatrixOperation[] = [
  // Profiles
  {
    operation: `GET ${PROFILES}/{customerNumber}`,
    names: { customerNumber: 'profile' },
    ownerStatus: 200,
  },
  {
    operation: `PUT ${PROFILES}/{customerNumber}`,
    names: { customerNumber: 'profile' },
    body: () => ({ ...change, firstName: 'Kari', surname: 'Foreign' }),
  },
  {
    operation: `PATCH ${PROFILES}/{customerNumber}`,
    names: { customerNumber: 'profile' },
    body: () => ({ ...change, firstName: 'Kari' }),
    headers: { 'content-type': 'application/merge-patch+json' },
  },
  { operation: `DELETE ${PROFILES}/{customerNumber}`, names: { customerNumber: 'profile' } },
  {
    operation: `GET ${PROFILES}/{customerNumber}/export`,
    names: { customerNumber: 'profile' },
    ownerStatus: 200,
  },
  {
    operation: `GET ${PROFILES}/{customerNumber}/possible-duplicates`,
    names: { customerNumber: 'profile' },
    ownerStatus: 200,
  },
  {
    operation: `GET ${PROFILES}/customer-ref/{customerRef}`,
    names: { customerRef: 'customerRef' },
    ownerStatus: 200,
  },
  // The account id leads to the customer: another organisation's account looks missing.
  {
    operation: `GET ${PROFILES}/customer-accounts/{accountId}`,
    names: { accountId: 'accountId' },
    ownerStatus: 200,
  },
  {
    operation: `PUT ${PROFILES}/{customerNumber}/password`,
    names: { customerNumber: 'profile' },
    body: () => ({ newPassword: 'Foreign1234' }),
    touchesPassword: true,
  },
  {
    operation: `POST ${PROFILES}/{customerNumber}/password/generate`,
    names: { customerNumber: 'profile' },
    touchesPassword: true,
  },
  {
    operation: `POST ${PROFILES}/{customerNumber}/restore`,
    names: { customerNumber: 'deactivatedProfile' },
  },
  {
    operation: `POST ${PROFILES}/{customerNumber}/merge`,
    names: { customerNumber: 'profile', sourceNumber: 'secondProfile' },
    body: (v) => ({ customerNumber: v.sourceNumber, ...change }),
    touchesPassword: true,
  },
  // Profile sub-resources
  ...(Object.keys(SUB_RESOURCE_BODIES) as SubResourcePath[]).flatMap(subResourceOperations),
  // Temporary profiles
  {
    operation: `GET ${TEMPORARY}/{customerNumber}`,
    names: { customerNumber: 'temporaryProfile' },
    ownerStatus: 200,
  },
  {
    operation: `PUT ${TEMPORARY}/{customerNumber}`,
    names: { customerNumber: 'temporaryProfile' },
    body: () => ({ ...change, expirationDate: tomorrow() }),
  },
  {
    operation: `DELETE ${TEMPORARY}/{customerNumber}`,
    names: { customerNumber: 'temporaryProfile' },
  },
  {
    operation: `POST ${TEMPORARY}/{customerNumber}/convert`,
    names: { customerNumber: 'temporaryProfile' },
    body: () => ({
      firstName: 'Kari',
      surname: 'Foreign',
      createdBy: 'isolation-test',
      createdByChannel: 'test',
    }),
  },
  {
    operation: `POST ${TEMPORARY}/{customerNumber}/connect`,
    names: { customerNumber: 'temporaryProfile', targetNumber: 'secondProfile' },
    body: (v) => ({ customerNumber: v.targetNumber, ...change }),
  },
  // Consents (v2) and given consents
  { operation: `GET ${CONSENTS}/consents/{id}`, names: { id: 'consent' }, ownerStatus: 200 },
  {
    operation: `PATCH ${CONSENTS}/consents/{id}`,
    names: { id: 'consent' },
    body: () => ({ isSmsSupported: false }),
  },
  {
    operation: `GET ${CONSENTS}/given-consents/{id}`,
    names: { id: 'givenConsent' },
    ownerStatus: 200,
  },
  {
    operation: `GET ${CONSENTS}/given-consents/{id}/history`,
    names: { id: 'givenConsent' },
    ownerStatus: 200,
  },
  {
    operation: `PATCH ${CONSENTS}/given-consents/{id}`,
    names: { id: 'givenConsent' },
    body: () => ({ ...change, consentChoice: false }),
  },
  {
    operation: `DELETE ${CONSENTS}/given-consents/{id}`,
    names: { id: 'givenConsent' },
    query: () => change,
  },
  // Without a path parameter, but naming a customer and a consent in the body or the query
  {
    operation: `POST ${CONSENTS}/given-consents`,
    names: { customerNumber: 'profile', consentId: 'consent' },
    body: (v) => ({
      customerNumber: v.customerNumber,
      consentId: v.consentId,
      consentChoice: true,
      distributionChannel: 'app',
    }),
  },
  {
    operation: `GET ${CONSENTS}/given-consents`,
    names: { customerNumber: 'profile' },
    query: (v) => ({ customerNumber: v.customerNumber }),
    ownerStatus: 200,
  },
  // Legacy consents (v1 model, both bases)
  ...['/customers/v1/consents', `${CONSENTS}/v1`].flatMap((base): MatrixOperation[] => [
    {
      operation: `GET ${base}/customers/{customerNumber}`,
      names: { customerNumber: 'profile' },
      ownerStatus: 200,
    },
    {
      operation: `PUT ${base}/customers/{customerNumber}/{consentCode}`,
      names: { customerNumber: 'profile', consentCode: 'consentCode' },
      body: () => ({ ...change, consentChoice: 'declined' }),
    },
  ]),
  // Bulk import jobs
  { operation: `GET ${V2}/imports/{id}`, names: { id: 'importJob' }, ownerStatus: 200 },
  // Webhook endpoints and their deliveries
  { operation: `GET ${WEBHOOKS}/{id}`, names: { id: 'webhook' }, ownerStatus: 200 },
  {
    operation: `PATCH ${WEBHOOKS}/{id}`,
    names: { id: 'webhook' },
    body: () => ({ description: 'Foreign', enabled: true }),
  },
  { operation: `DELETE ${WEBHOOKS}/{id}`, names: { id: 'webhook' } },
  { operation: `POST ${WEBHOOKS}/{id}/rotate-secret`, names: { id: 'webhook' } },
  { operation: `GET ${WEBHOOKS}/{id}/deliveries`, names: { id: 'webhook' }, ownerStatus: 200 },
  {
    operation: `GET ${WEBHOOKS}/{id}/deliveries/{deliveryId}`,
    names: { id: 'webhook', deliveryId: 'webhookDelivery' },
    ownerStatus: 200,
  },
  {
    operation: `POST ${WEBHOOKS}/{id}/deliveries/{deliveryId}/replay`,
    names: { id: 'webhook', deliveryId: 'webhookDelivery' },
  },
  // Legacy profiles (v1)
  {
    operation: 'GET /customers/v1/profiles/{customerNumber}',
    names: { customerNumber: 'profile' },
    ownerStatus: 200,
  },
  {
    operation: 'PUT /customers/v1/profiles/{customerNumber}',
    names: { customerNumber: 'profile' },
    body: () => ({ ...change, firstName: 'Kari', surname: 'Foreign' }),
  },
  {
    operation: 'DELETE /customers/v1/profiles/{customerNumber}',
    names: { customerNumber: 'profile' },
  },
];

const PLATFORM_ADMIN_ONLY = 'platform admin only (customers:admin), global by design';
const CONSENT_BASES =
  'consent bases are one system-wide catalogue: every partner reads the terms, only the platform ' +
  'admin writes them (the owner-only internalDescription: consent-terms e2e)';
const PREFERENCE_CATALOGUE =
  'the preference catalogue is shared by every organisation; writes are platform admin only';

/** Operations with a path parameter that is not an organisation's resource, each with why. */
export const NOT_TENANT_SCOPED: Record<string, string> = {
  [`GET ${CONSENTS}/consent-bases/{consentCode}/versions`]: CONSENT_BASES,
  [`POST ${CONSENTS}/consent-bases/{consentCode}/versions`]: CONSENT_BASES,
  [`GET ${CONSENTS}/consent-bases/{consentCode}/versions/{version}`]: CONSENT_BASES,
  [`PUT ${CONSENTS}/consent-bases/{consentCode}/versions/{version}`]: CONSENT_BASES,
  [`POST ${CONSENTS}/consent-bases/{consentCode}/versions/{version}/activate`]: CONSENT_BASES,
  [`GET ${V2}/organisations/{id}`]: `the organisation registry: ${PLATFORM_ADMIN_ONLY}`,
  [`PATCH ${V2}/organisations/{id}`]: `the organisation registry: ${PLATFORM_ADMIN_ONLY}`,
  [`GET ${V2}/preferences/{id}`]: PREFERENCE_CATALOGUE,
  [`PUT ${V2}/preferences/{id}`]: PREFERENCE_CATALOGUE,
  [`DELETE ${V2}/preferences/{id}`]: PREFERENCE_CATALOGUE,
  [`GET ${PROFILES}/{customerNumber}/audit`]: `the audit trail across organisations for the platform operator: ${PLATFORM_ADMIN_ONLY}`,
  'SEND customers.{organisationId}.{type}':
    'published by the service, not called: each event goes to its own organisation’s subject ' +
    '(events-broker e2e)',
};

/** An operation with a path parameter that the matrix neither covers nor excuses, or a stale entry. */
export interface CoverageGaps {
  /** In a document, with a path parameter, in neither list: `METHOD path (openapi/file)`. */
  unclassified: string[];
  /** In a list but in no document (renamed or removed). */
  unknown: string[];
  /** In both lists. */
  both: string[];
}

/** How the two lists stand against the documents' operations that have a path parameter. */
export function coverageGaps(
  operations: DocumentOperation[],
  matrix: string[],
  notTenantScoped: string[],
): CoverageGaps {
  const parameterised = operations.filter((o) => o.parameters.length > 0);
  const documented = new Set(operations.map(operationKey));
  const listed = new Set([...matrix, ...notTenantScoped]);
  return {
    unclassified: parameterised
      .filter((o) => !listed.has(operationKey(o)))
      .map((o) => `${operationKey(o)} (openapi/${o.document})`),
    unknown: [...listed].filter((key) => !documented.has(key)),
    both: matrix.filter((key) => notTenantScoped.includes(key)),
  };
}

/** One request pair of the matrix: the foreign ids, and the same request with them missing. */
export interface Variant {
  title: string;
  token: string;
  foreign: Values;
  missing: Values;
}

export interface Worlds {
  /** Organisation 1: whose data is asked for. */
  owner: World;
  /** Organisation 2: who asks. */
  caller: World;
  missing: Record<Resource, number | string>;
}

const valuesOf = (names: Record<string, Resource>, pick: (name: string, r: Resource) => unknown) =>
  Object.fromEntries(Object.entries(names).map(([name, r]) => [name, pick(name, r)])) as Values;

/** The operation's names as one world's own: the owner's request, for reads. */
export const ownValues = (operation: MatrixOperation, world: World): Values =>
  valuesOf(operation.names, (_, r) => world.ids[r]);

/**
 * The requests that must look missing: (1) every name organisation 1's; (2) with two or more,
 * each inner one (a sub-resource id, a body's customer) organisation 1's under organisation 2's
 * own outer ones, so a lookup that forgets the organisation below the customer shows; (3) for
 * operations that admit customers:admin, (1) again with organisation 2's admin token.
 */
export function variantsOf(
  t: TestApp,
  operation: MatrixOperation,
  permissions: string[],
  worlds: Worlds,
): Variant[] {
  const { owner, caller, missing } = worlds;
  const isShared = (r: Resource) => SHARED_RESOURCES.includes(r);
  const partner = t.issuer.partner(caller.organisationId);
  const all = {
    foreign: valuesOf(operation.names, (_, r) => owner.ids[r]),
    missing: valuesOf(operation.names, (_, r) => (isShared(r) ? owner.ids[r] : missing[r])),
  };
  const variants: Variant[] = [{ title: "organisation 1's", token: partner, ...all }];
  const scoped = Object.entries(operation.names).filter(([, r]) => !isShared(r));
  for (const [inner] of scoped.slice(1)) {
    const mixed = (value: (r: Resource) => unknown) =>
      valuesOf(operation.names, (name, r) => (name === inner ? value(r) : caller.ids[r]));
    variants.push({
      title: `${inner} of organisation 1 with organisation 2's own`,
      token: partner,
      foreign: mixed((r) => owner.ids[r]),
      missing: mixed((r) => missing[r]),
    });
  }
  if (permissions.includes('customers:admin')) {
    const admin = t.issuer.mint({
      organisationId: caller.organisationId,
      permissions: ['customers:admin'],
      clientId: `admin-${caller.organisationId}`,
    });
    variants.push({ title: "organisation 1's, as organisation 2's admin", token: admin, ...all });
  }
  return variants;
}

function pathOf(operation: MatrixOperation, values: Values): string {
  const template = operation.operation.slice(operation.operation.indexOf(' ') + 1);
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (values[name] === undefined) {
      throw new Error(`${operation.operation}: names says nothing of {${name}}`);
    }
    return encodeURIComponent(String(values[name]));
  });
}

/** Sends one request of `operation` with `values` for its names. */
export function send(
  t: TestApp,
  operation: MatrixOperation,
  token: string,
  values: Values,
): Promise<ApiResponse> {
  const method = operation.operation.slice(0, operation.operation.indexOf(' '));
  const headers = operation.headers;
  const body = operation.body?.(values);
  return t.http.request(method, pathOf(operation, values), {
    token,
    query: operation.query?.(values),
    headers,
    // A raw body keeps the operation's own content type (e.g. merge-patch) intact.
    ...(body === undefined
      ? {}
      : headers?.['content-type']
        ? { rawBody: JSON.stringify(body) }
        : { body }),
  });
}

/** Headers whose value differs between any two requests (or with an id's length): names only. */
const VOLATILE_HEADERS = new Set([
  'date',
  'keep-alive',
  'x-correlation-id',
  'content-length',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
]);

/**
 * Each value of `values` in `text` becomes `{its name}`, so two requests' answers compare: as a
 * whole word in texts, as a path segment or query value in headers (a Link to the successor).
 */
function withPlaceholders(text: string, values: Values, within: 'text' | 'header'): string {
  const [before, after] =
    within === 'text' ? ['(?<![0-9A-Za-z])', '(?![0-9A-Za-z])'] : ['(?<=[/=])', '(?=[/>;&?]|$)'];
  const longestFirst = Object.entries(values).sort(
    ([, a], [, b]) => String(b).length - String(a).length,
  );
  return longestFirst.reduce((result, [name, value]) => {
    const escaped = String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return result.replace(new RegExp(`${before}${escaped}${after}`, 'g'), `{${name}}`);
  }, text);
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') {
    return map(value);
  }
  if (Array.isArray(value)) {
    return value.map((item) => mapStrings(item, map));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]),
    );
  }
  return value;
}

/** Everything of an answer a client can see, minus what differs between any two requests. */
function comparable(res: ApiResponse, values: Values): unknown {
  const headers = [...res.headers.entries()]
    .map(([name, value]) =>
      VOLATILE_HEADERS.has(name) ? [name] : [name, withPlaceholders(value, values, 'header')],
    )
    .sort(([a], [b]) => a.localeCompare(b));
  const body =
    res.body && typeof res.body === 'object'
      ? { ...(res.body as Record<string, unknown>), correlationId: undefined, instance: undefined }
      : res.body;
  return {
    status: res.status,
    headers,
    body: mapStrings(body, (text) => withPlaceholders(text, values, 'text')),
  };
}

/** Asserts that the variant's foreign request answers exactly as its missing one, with a 404. */
export async function expectLooksMissing(
  t: TestApp,
  operation: MatrixOperation,
  variant: Variant,
): Promise<void> {
  const foreign = await send(t, operation, variant.token, variant.foreign);
  const missing = await send(t, operation, variant.token, variant.missing);
  const label = `${operation.operation}, ${variant.title}`;
  const type = foreign.headers.get('content-type')?.split(';')[0];
  expect(`${label}: ${foreign.status} ${type}`).toBe(`${label}: 404 application/problem+json`);
  expect({ label, answer: comparable(foreign, variant.foreign) }).toEqual({
    label,
    answer: comparable(missing, variant.missing),
  });
}
