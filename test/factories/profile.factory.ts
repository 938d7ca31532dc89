import { randomBytes } from 'node:crypto';
import { CreateProfileDto } from '../../src/profiles/dto/create-profile.dto';
import { TestApp } from '../utils/test-app';

/** A short random token, so suites sharing one PostgreSQL never collide. */
export function unique(prefix = ''): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

export function uniqueEmail(): string {
  return `${unique('ola.')}@example.com`;
}

/** The seed's example body, with a unique e-mail. */
export function profileBody(overrides: Partial<CreateProfileDto> = {}): CreateProfileDto {
  return {
    firstName: 'Ola',
    surname: 'Nordmann',
    email: uniqueEmail(),
    languagePreference: 'NO',
    createdBy: 'test',
    createdByChannel: 'test',
    organisationId: 1,
    password: 'abcD123',
    ...overrides,
  } satisfies CreateProfileDto;
}

/** Creates a profile over HTTP as organisation `organisationId` and returns the response body. */
export async function createProfile(
  t: TestApp,
  overrides: Partial<CreateProfileDto> = {},
  organisationId = 1,
): Promise<Record<string, any>> {
  // No password unless asked for: argon2 is deliberately slow.
  const body = profileBody({ organisationId, password: undefined, ...overrides });
  const res = await t.http.post('/customers/v2/profiles', {
    token: t.issuer.partner(organisationId),
    body,
  });
  if (res.status !== 201) {
    throw new Error(`create profile failed: ${res.status} ${res.text}`);
  }
  return res.body;
}

/** Counts rows of profiles matching a condition, straight from the database. */
export async function countProfiles(t: TestApp, where: string, params: unknown[]): Promise<number> {
  const rows: { n: string }[] = await t.dataSource.query(
    `SELECT count(*)::text AS n FROM profiles WHERE ${where}`,
    params,
  );
  return Number(rows[0].n);
}
