import { randomBytes, randomInt } from 'node:crypto';
import { TestApp } from '../utils/test-app';

const ALL_PERMISSIONS = [
  'customers:read',
  'customers:write',
  'consents:read',
  'consents:write',
  'customers:admin',
];

/** Real resources of a fresh organisation, so fuzzed requests reach past "not found". */
export interface FuzzFixtures {
  organisationId: number;
  token: string;
  /** Path parameter values that name an existing resource, by path template and name. */
  pathValues(template: string, name: string): string[];
}

function expectStatus(what: string, res: { status: number; text: string }, status: number): void {
  if (res.status !== status) {
    throw new Error(`fuzz fixture ${what} answered ${res.status}: ${res.text}`);
  }
}

/**
 * An organisation of its own (suites on PostgreSQL share the database), with a token holding every
 * permission, a profile with each kind of sub-resource, a temporary profile, a consent base, a
 * consent and a given consent.
 */
export async function createFuzzFixtures(t: TestApp): Promise<FuzzFixtures> {
  const admin = t.issuer.admin();
  const organisationId = randomInt(1_000_000, 2_000_000_000);
  const suffix = randomBytes(4).toString('hex').toUpperCase();
  expectStatus(
    'organisation',
    await t.http.post('/customers/v2/organisations', {
      token: admin,
      body: { id: organisationId, name: `Fuzz ${suffix}` },
    }),
    201,
  );
  const token = t.issuer.mint({ organisationId, permissions: ALL_PERMISSIONS, clientId: 'fuzz' });
  const post = async (path: string, body: unknown, what: string) => {
    const res = await t.http.post(path, { token, body });
    expectStatus(what, res, 201);
    return res.body as Record<string, any>;
  };

  const profile = await post(
    '/customers/v2/profiles',
    {
      firstName: 'Fuzz',
      surname: 'Nordmann',
      email: `fuzz.${suffix.toLowerCase()}@example.com`,
      password: 'abcD1234',
      createdBy: 'fuzz',
      createdByChannel: 'test',
    },
    'profile',
  );
  const customerNumber = String(profile.customerNumber);
  const temporary = await post(
    '/customers/v2/profiles/temporary',
    {
      expirationDate: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
      createdBy: 'fuzz',
      createdByChannel: 'test',
    },
    'temporary profile',
  );
  const base = `/customers/v2/profiles/${customerNumber}`;
  const subResources: Record<string, string> = {
    'customer-accounts': String(
      (await post(`${base}/customer-accounts`, { accountId: `ACC-${suffix}` }, 'account')).id,
    ),
    ecards: String(
      (
        await post(
          `${base}/ecards`,
          {
            ecardNumber16digits: `90${String(randomInt(10 ** 13, 10 ** 14 - 1))}`,
            ecardOperator: 'RUTER',
            startOfOwnership: '2026-01-15T10:00:00Z',
          },
          'ecard',
        )
      ).id,
    ),
    'loyalty-programs': String(
      (
        await post(
          `${base}/loyalty-programs`,
          { loyaltyProgramType: 'TIMED', programId: 'P1', validFrom: '2026-01-01T00:00:00Z' },
          'loyalty program',
        )
      ).id,
    ),
    'postal-addresses': String(
      (
        await post(
          `${base}/postal-addresses`,
          { addressLine1: 'Storgata 1', postCode: '0150', city: 'Oslo', countryCode: 'NO' },
          'postal address',
        )
      ).id,
    ),
    preferences: String(
      (
        await post(
          `${base}/preferences`,
          {
            preferenceCode: `WHEELCHAIR-${randomBytes(4).toString('hex')}`,
            preferenceType: 'ASSISTANCE',
          },
          'preference',
        )
      ).id,
    ),
    notes: String(
      (await post(`${base}/notes`, { text: 'Fuzz note', createdBy: 'fuzz' }, 'note')).id,
    ),
  };

  const consentCode = `FUZZ_${suffix}`;
  expectStatus(
    'consent base',
    await t.http.post('/customers/v2/consents/consent-bases', {
      token: admin,
      body: {
        consentCode,
        terms: [{ language: 'nob', shortText: 'Nyheter', longText: 'Nyheter på e-post' }],
      },
    }),
    201,
  );
  expectStatus(
    'consent base activation',
    await t.http.post(`/customers/v2/consents/consent-bases/${consentCode}/versions/1/activate`, {
      token: admin,
    }),
    200,
  );
  const consent = await post(
    '/customers/v2/consents/consents',
    { consentCode, isSmsSupported: true, isEmailSupported: true },
    'consent',
  );
  const given = await post(
    '/customers/v2/consents/given-consents',
    {
      customerNumber: Number(customerNumber),
      consentId: consent.id,
      consentChoice: true,
      distributionChannel: 'app',
    },
    'given consent',
  );

  return {
    organisationId,
    token,
    pathValues(template, name) {
      switch (name) {
        case 'customerNumber':
          return template.includes('/temporary/')
            ? [String(temporary.customerNumber), customerNumber]
            : [customerNumber, String(temporary.customerNumber)];
        case 'customerRef':
          return [String(profile.customerRef), customerNumber];
        case 'accountId':
          return [`ACC-${suffix}`];
        case 'consentCode':
          return [consentCode];
        case 'version':
          return ['1', '2'];
        case 'id': {
          const resource = Object.keys(subResources).find((r) => template.includes(`/${r}/`));
          if (resource) {
            return [subResources[resource]];
          }
          if (template.includes('/organisations/')) {
            return [String(organisationId)];
          }
          if (template.includes('/given-consents/')) {
            return [String(given.id)];
          }
          return [String(consent.id)];
        }
        default:
          return ['1'];
      }
    },
  };
}
