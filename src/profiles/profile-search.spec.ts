import { ValidationDomainException } from '../common/errors/domain.exception';
import { buildProfileSearch, escapeLike } from './profile-search';

const NOW = new Date('2026-01-01T00:00:00Z');

function build(criteria: Parameters<typeof buildProfileSearch>[1]) {
  const query = buildProfileSearch(7, criteria, NOW);
  if (!query) {
    throw new Error('expected a query');
  }
  return { ...query, where: query.sql.slice(query.sql.indexOf(' WHERE ')) };
}

describe('buildProfileSearch', () => {
  it('should scope by organisation and exclude deactivated and temporary profiles by default', () => {
    const { where, params } = build({ email: 'A@B.no' });
    expect(params[0]).toBe(7);
    expect(where).toContain('p.organisation_id = $1');
    expect(where).toContain("p.status <> 'D'");
    expect(where).toContain("p.profile_type <> 'T'");
    expect(where).toContain('p.email IS NOT NULL AND lower(p.email) = lower($2)');
    expect(where).toMatch(/ORDER BY p.customer_number LIMIT \$3$/);
    expect(params).toEqual([7, 'a@b.no', 100]);
  });

  it('should search the e-mail in its normal form, as profiles store it', () => {
    expect(build({ email: ' İVAR@Example.no ' }).params[1]).toBe('ivar@example.no');
  });

  it('should match a trailing * as an escaped, case-insensitive prefix', () => {
    const { where, params } = build({ surname: 'Nord_%*', firstName: 'Ola' });
    expect(where).toContain('lower(p.surname) LIKE lower($3)');
    expect(where).toContain('lower(p.first_name) = lower($2)');
    expect(params).toContain('Nord\\_\\%%');
  });

  it('should refuse a name that is only *', () => {
    expect(() => build({ surname: '*' })).toThrow(ValidationDomainException);
  });

  it('should match every phone parameter as one E.164 number, the pair winning', () => {
    const pair = build({
      countryCode: '+47',
      telephoneNumberNoCountryCode: '98 76 54 32',
      telephoneNumber: '+4699999999',
    });
    expect(pair.where).toContain('p.telephone_number = $2');
    expect(pair.params).toContain('+4798765432');
    expect(pair.params).not.toContain('+4699999999');
    const swedish = build({ countryCode: '+46', telephoneNumber: '070-123 45 67' });
    expect(swedish.where).toContain('p.telephone_number = $2');
    expect(swedish.params[1]).toBe('+46701234567');
    expect(build({ telephoneNumber: '004798765432' }).params[1]).toBe('+4798765432');
    expect(() => build({ telephoneNumberNoCountryCode: '123' })).toThrow(/only together/);
    expect(() => build({ telephoneNumber: '12' })).toThrow(ValidationDomainException);
  });

  it('should search landline, Vipps id, invoice organisation and address line', () => {
    const { where, params } = build({
      landlineNumber: '22 33 44 55',
      vippsId: 'v-1',
      invoiceOrganisationId: '987654321',
      postalAddress: 'Storg_*',
    });
    expect(where).toContain('p.landline_number = $2');
    expect(where).toContain('p.vipps_id = $3');
    expect(where).toContain('p.invoice_organisation_id = $4');
    expect(where).toContain('lower(a.address_line1) LIKE lower($5)');
    expect(params.slice(1, 5)).toEqual(['+4722334455', 'v-1', '987654321', 'Storg\\_%']);
    expect(build({ postalAddress: 'Storgata 1' }).where).toContain(
      'lower(a.address_line1) = lower($2)',
    );
    expect(() => build({ postalAddress: '*' })).toThrow(/before \*/);
  });

  it('should refuse a search without criteria', () => {
    expect(() => build({})).toThrow(ValidationDomainException);
    expect(() => build({ status: 'D', includeTemporary: true, maxResultSet: 5 })).toThrow(
      /at least one search criterion/,
    );
  });

  it('should ask for a status and include live temporaries when told', () => {
    const { where, params } = build({
      surname: 'X',
      status: 'D',
      includeTemporary: true,
      maxResultSet: 5,
    });
    expect(where).toContain('p.status = $3');
    expect(where).toContain("(p.profile_type <> 'T' OR p.expires_at > $4)");
    expect(params).toEqual([7, 'X', 'D', NOW, 5]);
  });

  it('should filter by profileType, which alone is no criterion', () => {
    const { where, params } = build({ surname: 'X', profileType: 'P' });
    expect(where).toContain('p.profile_type = $3');
    expect(params).toEqual([7, 'X', 'P', 100]);
    expect(() => build({ profileType: 'P' })).toThrow(/at least one search criterion/);
  });

  it('should cover both e-mail indexes when temporaries are included', () => {
    const { where } = build({ email: 'a@b.no', includeTemporary: true });
    expect(where).toContain(
      "(p.profile_type <> 'T' AND p.email IS NOT NULL AND lower(p.email) = lower($2))",
    );
    expect(where).toContain("(p.profile_type = 'T' AND lower(p.email) = lower($2))");
  });

  it('should filter post codes through postal_addresses of the same organisation', () => {
    const { where } = build({ postCode: '0155', dateOfBirth: '1990-01-01', customerRef: 'r' });
    expect(where).toContain('p.customer_ref = $2');
    expect(where).toContain('p.date_of_birth = $3::date');
    expect(where).toContain('a.organisation_id = p.organisation_id');
    expect(where).toContain('a.post_code = $4');
  });

  it('should match nothing when another organisation is named', () => {
    expect(buildProfileSearch(7, { email: 'a@b.no', organisationId: 8 }, NOW)).toBeNull();
    expect(buildProfileSearch(7, { email: 'a@b.no', organisationId: 7 }, NOW)).not.toBeNull();
  });

  it('should match nothing for a personnel-ticket right, alone or with other criteria', () => {
    expect(buildProfileSearch(7, { ticketRightOwner: '10000001' }, NOW)).toBeNull();
    expect(buildProfileSearch(7, { ticketRightBearer: '10000002' }, NOW)).toBeNull();
    expect(buildProfileSearch(7, { email: 'a@b.no', ticketRightOwner: '1' }, NOW)).toBeNull();
    // A malformed criterion next to it is still refused.
    expect(() => buildProfileSearch(7, { surname: '*', ticketRightOwner: '1' }, NOW)).toThrow(
      'surname needs at least one character before *',
    );
  });

  it('should escape LIKE wildcards and the escape character', () => {
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
  });
});
