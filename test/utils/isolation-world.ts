import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { createProfile } from '../factories/profile.factory';
import { ApiResponse } from './http-client';
import { TestApp } from './test-app';
import { eventually } from './eventually';

/**
 * One of everything an organisation can hold that a path (or a body) names by id: the data the
 * isolation matrix acts on. Every organisation of the matrix gets the same world, so a request can
 * mix one organisation's id with another's (its own customer, the other's address).
 */
export const RESOURCES = [
  'profile',
  'customerRef',
  'accountId',
  'postalAddress',
  'preference',
  'ecard',
  'loyaltyProgram',
  'customerAccount',
  'note',
  'secondProfile',
  'deactivatedProfile',
  'temporaryProfile',
  'consent',
  'givenConsent',
  'consentCode',
  'importJob',
  'webhook',
  'webhookDelivery',
] as const;
export type Resource = (typeof RESOURCES)[number];

/** Resources every organisation shares (a consent base's code): never another's, never missing. */
export const SHARED_RESOURCES: readonly Resource[] = ['consentCode'];

export interface World {
  organisationId: number;
  /** The e-mail and password `profile` signs in with. */
  email: string;
  password: string;
  ids: Record<Resource, number | string>;
}

export const PROFILES = '/customers/v2/profiles';
export const TEMPORARY = '/customers/v2/profiles/temporary';
const CONSENTS = '/customers/v2/consents';
const WEBHOOKS = '/customers/v2/webhooks';

const unique = () => randomBytes(5).toString('hex').toUpperCase();
export const change = { changedBy: 'isolation-test', changedByChannel: 'test' };
export const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const ecardNumber = () => String(Math.floor(Math.random() * 9e15) + 1e15);

/** A valid body for adding (or replacing) each kind of profile sub-resource. */
export const SUB_RESOURCE_BODIES = {
  'postal-addresses': () => ({ addressLine1: 'Storgata 1', postCode: '0150', city: 'Oslo' }),
  preferences: () => ({ preferenceCode: `QUIET-${unique()}`, preferenceType: 'COMFORT' }),
  ecards: () => ({
    ecardNumber16digits: ecardNumber(),
    ecardOperator: 'RUTER',
    startOfOwnership: '2026-01-15T10:00:00.000Z',
  }),
  'loyalty-programs': () => ({
    loyaltyProgramType: 'TIMED',
    programId: `STUDENT-${unique()}`,
    validFrom: '2026-01-01T00:00:00.000Z',
  }),
  'customer-accounts': () => ({ accountId: `ISO-${unique()}`, alias: `family-${unique()}` }),
  notes: () => ({ text: 'Isolation note', createdBy: 'isolation-test' }),
};
export type SubResourcePath = keyof typeof SUB_RESOURCE_BODIES;

/** Which resource of the world each sub-resource path holds. */
export const SUB_RESOURCES = {
  'postal-addresses': 'postalAddress',
  preferences: 'preference',
  ecards: 'ecard',
  'loyalty-programs': 'loyaltyProgram',
  'customer-accounts': 'customerAccount',
  notes: 'note',
} as const satisfies Record<SubResourcePath, Resource>;
type SubResource = (typeof SUB_RESOURCES)[SubResourcePath];

function expectStatus(res: ApiResponse, status: number, what: string): ApiResponse {
  if (res.status !== status) {
    throw new Error(`${what} answered ${res.status}, not ${status}: ${res.text}`);
  }
  return res;
}

/** An active consent base, the code every organisation's consent and v1 choice is about. */
export async function seedConsentBase(t: TestApp): Promise<string> {
  const admin = t.issuer.admin();
  const code = `ISO_${unique()}`;
  const terms = [{ language: 'eng', shortText: 'Isolation', longText: 'Isolation terms' }];
  expectStatus(
    await t.http.post(`${CONSENTS}/consent-bases`, {
      token: admin,
      body: { consentCode: code, terms },
    }),
    201,
    'creating a consent base',
  );
  expectStatus(
    await t.http.post(`${CONSENTS}/consent-bases/${code}/versions/1/activate`, { token: admin }),
    200,
    'activating a consent base',
  );
  return code;
}

/** A webhook receiver on loopback that takes every delivery (answers 200). */
export async function startReceiver(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/isolation`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A webhook endpoint with one delivery that succeeded, then disabled: it gets no new deliveries,
 * so its state stays as it is unless a request changes it.
 */
async function seedWebhook(t: TestApp, organisationId: number, receiverUrl: string) {
  const token = t.issuer.partner(organisationId);
  const endpoint = expectStatus(
    await t.http.post(WEBHOOKS, {
      token,
      body: { url: receiverUrl, eventTypes: ['customers.customer.changed'] },
    }),
    201,
    'registering a webhook endpoint',
  ).body;
  await createProfile(t, {}, organisationId);
  await eventually(
    async () => (await t.http.get(`${WEBHOOKS}/${endpoint.id}/deliveries`, { token })).body,
    (list: { status: string }[]) => list.some((d) => d.status === 'SUCCEEDED'),
  );
  expectStatus(
    await t.http.patch(`${WEBHOOKS}/${endpoint.id}`, { token, body: { enabled: false } }),
    200,
    'disabling a webhook endpoint',
  );
  // Deliveries made before it was disabled still run: wait until each has finished.
  const deliveries = await eventually(
    async () => (await t.http.get(`${WEBHOOKS}/${endpoint.id}/deliveries`, { token })).body,
    (list: { id: string; status: string }[]) => list.every((d) => d.status === 'SUCCEEDED'),
  );
  return { webhook: String(endpoint.id), webhookDelivery: String(deliveries[0].id) };
}

/** A finished import job of one line (a new customer, not one of the world's). */
async function seedImport(t: TestApp, organisationId: number): Promise<string> {
  const token = t.issuer.partner(organisationId);
  const started = expectStatus(
    await t.http.post('/customers/v2/imports', {
      token,
      headers: { 'content-type': 'application/x-ndjson' },
      rawBody: '{"firstName": "Isolation"}\n',
    }),
    202,
    'starting an import',
  );
  const id = String(started.body.id);
  const job = await eventually(
    async () => (await t.http.get(`/customers/v2/imports/${id}`, { token })).body,
    (body: { status: string }) => body.status === 'succeeded' || body.status === 'failed',
  );
  if (job.status !== 'succeeded') {
    throw new Error(`the import failed: ${JSON.stringify(job)}`);
  }
  return id;
}

async function created(t: TestApp, token: string, path: string, body: unknown, what: string) {
  return expectStatus(await t.http.post(path, { token, body }), 201, what).body;
}

/** One of each sub-resource on the customer; the account id also finds it by account. */
async function seedSubResources(t: TestApp, token: string, customerNumber: number) {
  const subResources = {} as Record<SubResource, number>;
  let accountId = '';
  for (const path of Object.keys(SUB_RESOURCES) as SubResourcePath[]) {
    const body = SUB_RESOURCE_BODIES[path]();
    const url = `${PROFILES}/${customerNumber}/${path}`;
    const added = await created(t, token, url, body, `adding ${path}`);
    subResources[SUB_RESOURCES[path]] = Number(added.id);
    if (path === 'customer-accounts') {
      accountId = String(added.accountId);
    }
  }
  return { subResources, accountId };
}

/** Creates one organisation's world through the API, as that organisation. */
export async function seedWorld(
  t: TestApp,
  organisationId: number,
  shared: { consentCode: string; receiverUrl: string },
): Promise<World> {
  const token = t.issuer.partner(organisationId);
  const password = 'abcD1234';
  const customerRef = `iso-${unique()}`;
  const owner = await createProfile(t, { customerRef, password }, organisationId);
  const profile = Number(owner.customerNumber);
  const { subResources, accountId } = await seedSubResources(t, token, profile);
  const secondProfile = Number((await createProfile(t, {}, organisationId)).customerNumber);
  const deactivatedProfile = Number((await createProfile(t, {}, organisationId)).customerNumber);
  expectStatus(
    await t.http.delete(`${PROFILES}/${deactivatedProfile}`, { token }),
    200,
    'deactivating a profile',
  );
  const temporary = await created(
    t,
    token,
    TEMPORARY,
    { expirationDate: tomorrow(), createdBy: 'isolation-test', createdByChannel: 'test' },
    'creating a temporary profile',
  );
  const consent = await created(
    t,
    token,
    `${CONSENTS}/consents`,
    { consentCode: shared.consentCode, isSmsSupported: true, isEmailSupported: true },
    'creating a consent',
  );
  const given = await created(
    t,
    token,
    `${CONSENTS}/given-consents`,
    {
      customerNumber: profile,
      consentId: consent.id,
      consentChoice: true,
      distributionChannel: 'app',
    },
    'giving a consent',
  );
  return {
    organisationId,
    email: String(owner.email),
    password,
    ids: {
      profile,
      customerRef,
      accountId,
      ...subResources,
      secondProfile,
      deactivatedProfile,
      temporaryProfile: Number(temporary.customerNumber),
      consent: Number(consent.id),
      givenConsent: Number(given.id),
      consentCode: shared.consentCode,
      importJob: await seedImport(t, organisationId),
      ...(await seedWebhook(t, organisationId, shared.receiverUrl)),
    },
  };
}

/** Ids no organisation has: numbers far beyond the sequences of a test run, distinct per kind. */
export function missingIds(shared: { consentCode: string }): Record<Resource, number | string> {
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const number = (n: number) => 987_654_321_000 + n;
  return {
    profile: number(1),
    customerRef: 'iso-missing-ref',
    accountId: 'ISO-MISSING-ACCOUNT',
    postalAddress: number(2),
    preference: number(3),
    ecard: number(4),
    loyaltyProgram: number(5),
    customerAccount: number(6),
    note: number(7),
    secondProfile: number(8),
    deactivatedProfile: number(9),
    temporaryProfile: number(10),
    consent: number(11),
    givenConsent: number(12),
    consentCode: shared.consentCode,
    importJob: uuid(1),
    webhook: uuid(2),
    webhookDelivery: uuid(3),
  };
}

/**
 * Everything of a world its owner can read, as the owner reads it: two snapshots that differ mean
 * a request changed the owner's data. With `signIn`, signing in proves the password is the same
 * (argon2 is slow on purpose, so only where a password could have changed).
 */
export async function readWorld(
  t: TestApp,
  world: World,
  options: { signIn: boolean },
): Promise<Record<string, unknown>> {
  const token = t.issuer.partner(world.organisationId);
  const { ids } = world;
  const paths = [
    `${PROFILES}/${ids.profile}`,
    ...Object.keys(SUB_RESOURCES).map((path) => `${PROFILES}/${ids.profile}/${path}`),
    `${PROFILES}/${ids.secondProfile}`,
    `${PROFILES}/${ids.deactivatedProfile}`,
    `${TEMPORARY}/${ids.temporaryProfile}`,
    `${CONSENTS}/consents/${ids.consent}`,
    `${CONSENTS}/given-consents/${ids.givenConsent}`,
    `${CONSENTS}/given-consents/${ids.givenConsent}/history`,
    `${CONSENTS}/v1/customers/${ids.profile}`,
    `/customers/v2/imports/${ids.importJob}`,
    `${WEBHOOKS}/${ids.webhook}`,
    `${WEBHOOKS}/${ids.webhook}/deliveries/${ids.webhookDelivery}`,
  ];
  const snapshot = Object.fromEntries(
    await Promise.all(
      paths.map(async (path) => {
        const res = await t.http.get(path, { token });
        return [path, { status: res.status, body: withoutSignIn(res.body) }] as const;
      }),
    ),
  );
  if (options.signIn) {
    const signIn = await t.http.post(`${PROFILES}/authenticate`, {
      token,
      body: { email: world.email, password: world.password, lastSignInFrom: 'isolation-test' },
    });
    snapshot['sign-in'] = { status: signIn.status, body: signIn.body?.customerNumber };
  }
  return snapshot;
}

/** Signing in (the snapshot's own check) moves these; nothing else may. */
function withoutSignIn(body: unknown): unknown {
  if (body && typeof body === 'object' && 'lastSignInAt' in body) {
    return { ...body, lastSignInAt: undefined, lastSignInFrom: undefined };
  }
  return body;
}
