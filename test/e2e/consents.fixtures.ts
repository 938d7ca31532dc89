import { randomBytes } from 'node:crypto';
import { TestApp } from '../utils/test-app';

export const unique = () => randomBytes(5).toString('hex').toUpperCase();

export const terms = (text: string) => [
  { language: 'nob', shortText: `${text} (nb)`, longText: `Lang tekst: ${text}` },
  { language: 'eng', shortText: `${text} (en)`, longText: `Long text: ${text}` },
];

/** A permanent customer of the organisation, created through the profiles API. */
export async function createProfile(
  t: TestApp,
  organisationId: number,
  options: { email?: string } = {},
): Promise<number> {
  const res = await t.http.post('/customers/v2/profiles', {
    token: t.issuer.partner(organisationId),
    body: {
      firstName: 'Kari',
      surname: 'Nordmann',
      email: options.email,
      createdBy: 'consents-test',
      createdByChannel: 'test',
    },
  });
  if (res.status !== 201) {
    throw new Error(`profile create answered ${res.status}: ${res.text}`);
  }
  return res.body.customerNumber;
}

/** A temporary customer whose last day is tomorrow, created through the temporary-profiles API. */
export async function createTemporaryProfile(t: TestApp, organisationId: number): Promise<number> {
  const res = await t.http.post('/customers/v2/profiles/temporary', {
    token: t.issuer.partner(organisationId),
    body: {
      expirationDate: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
      createdBy: 'consents-test',
      createdByChannel: 'test',
    },
  });
  if (res.status !== 201) {
    throw new Error(`temporary profile create answered ${res.status}: ${res.text}`);
  }
  return res.body.customerNumber;
}

/** A temporary customer, inserted by SQL so the expiry moment is under the test's control. */
export async function insertTemporaryProfile(
  t: TestApp,
  organisationId: number,
  expiresAt: Date,
): Promise<number> {
  const rows: { customer_number: string }[] = await t.dataSource.query(
    `INSERT INTO profiles (organisation_id, uuid, customer_ref, profile_type, first_name, surname,
       expires_at, expiration_date, created_by, created_by_channel, changed_by, changed_by_channel)
     VALUES ($1, $2, $3, 'T', 'Kari', 'Midlertidig', $4, $5, 'test', 'test', 'test', 'test')
     RETURNING customer_number`,
    [
      organisationId,
      randomBytes(16).toString('hex'),
      `consents-${unique()}`,
      expiresAt,
      expiresAt.toISOString().slice(0, 10),
    ],
  );
  return Number(rows[0].customer_number);
}

/** An active consent base with one consent of the token's organisation on it. */
export async function activeConsent(
  t: TestApp,
  organisationToken: string,
): Promise<{ code: string; id: number }> {
  const admin = t.issuer.admin();
  const code = `T_${unique()}`;
  const base = await t.http.post('/customers/v2/consents/consent-bases', {
    token: admin,
    body: { consentCode: code, terms: terms('News') },
  });
  const activated = await t.http.post(
    `/customers/v2/consents/consent-bases/${code}/versions/1/activate`,
    { token: admin },
  );
  const consent = await t.http.post('/customers/v2/consents/consents', {
    token: organisationToken,
    body: { consentCode: code, isSmsSupported: true, isEmailSupported: true },
  });
  if (base.status !== 201 || activated.status !== 200 || consent.status !== 201) {
    throw new Error(`consent setup failed: ${base.status} ${activated.status} ${consent.status}`);
  }
  return { code, id: consent.body.id };
}
