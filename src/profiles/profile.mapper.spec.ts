import { profileEtag, toProfileResponse } from './profile.mapper';
import { ProfileRow } from './profile-row';

const row: ProfileRow = {
  organisation_id: 1,
  customer_number: '10000042',
  uuid: 'A'.repeat(32),
  customer_ref: '10000042',
  profile_type: 'S',
  status: 'A',
  first_name: 'Ola',
  surname: 'Nordmann',
  email: 'ola@example.com',
  email_old: null,
  country_code: '+47',
  telephone_number_no_country_code: '98765432',
  telephone_number: null,
  landline_number: null,
  date_of_birth: '1990-05-17',
  language_preference: 'NO',
  vipps_id: null,
  invoice_organisation_id: null,
  expiration_date: null,
  purge_at: null,
  last_sign_in_from: null,
  last_sign_in_at: null,
  version: 3,
  created_at: new Date('2026-01-01T10:00:00Z'),
  created_by: 'web',
  created_by_channel: 'web',
  changed_at: new Date('2026-01-02T10:00:00Z'),
  changed_by: 'crm',
  changed_by_channel: 'crm',
  postal_addresses: [
    {
      id: 5,
      addressLine1: 'Storgata 1',
      addressLine2: null,
      postCode: '0155',
      city: 'Oslo',
      countryCode: 'NO',
      isPrimary: true,
      createdAt: '2026-01-01T11:00:00.123456+01:00',
      changedAt: '2026-01-01T11:00:00+01:00',
    },
  ],
};

describe('toProfileResponse', () => {
  it('should map a raw row to the response with numbers and ISO timestamps', () => {
    const response = toProfileResponse(row);
    expect(response).toMatchObject({
      customerNumber: 10000042,
      customerRef: '10000042',
      organisationId: 1,
      firstName: 'Ola',
      telephoneNumberNoCountryCode: '98765432',
      dateOfBirth: '1990-05-17',
      version: 3,
      createdAt: '2026-01-01T10:00:00.000Z',
      changedAt: '2026-01-02T10:00:00.000Z',
      purgeAt: null,
      lastSignInAt: null,
    });
    expect(response.postalAddresses).toEqual([
      {
        id: 5,
        addressLine1: 'Storgata 1',
        addressLine2: null,
        postCode: '0155',
        city: 'Oslo',
        countryCode: 'NO',
        isPrimary: true,
        createdAt: '2026-01-01T10:00:00.123Z',
        changedAt: '2026-01-01T10:00:00.000Z',
      },
    ]);
  });

  it('should never carry a password or its hash, even when the row has one', () => {
    const response = toProfileResponse({ ...row, password_hash: '$argon2id$v=19$x' } as ProfileRow);
    expect(JSON.stringify(response)).not.toMatch(/password|argon2/i);
  });

  it('should quote the version as a strong ETag', () => {
    expect(profileEtag(3)).toBe('"3"');
  });
});
