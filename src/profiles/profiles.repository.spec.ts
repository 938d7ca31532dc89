import { ProfileSearch } from './profile-search';
import { escapeLike, profileSearchStatement } from './profiles.repository';

const NOW = new Date('2026-01-01T00:00:00Z');

/** The statement of a search of organisation 7, its WHERE clause apart. */
function statement(search: Partial<ProfileSearch>) {
  const { sql, params } = profileSearchStatement({
    organisationId: 7,
    includeTemporary: false,
    now: NOW,
    limit: 100,
    ...search,
  });
  return { sql, params, where: sql.slice(sql.indexOf(' WHERE ')) };
}

describe('profileSearchStatement', () => {
  it('should scope by organisation and leave deactivated and temporary profiles out by default', () => {
    const { where, params } = statement({ email: 'a@b.no' });
    expect(where).toContain('p.organisation_id = $1');
    expect(where).toContain("p.status <> 'D'");
    expect(where).toContain("p.profile_type <> 'T'");
    expect(where).toContain('p.email IS NOT NULL AND lower(p.email) = lower($2)');
    expect(where).toMatch(/ORDER BY p.customer_number LIMIT \$3$/);
    expect(params).toEqual([7, 'a@b.no', 100]);
  });

  it('should match a prefix with LIKE, its wildcards escaped, and a whole value with =', () => {
    const { where, params } = statement({
      firstName: { text: 'Ola', prefix: false },
      surname: { text: 'Nord_%', prefix: true },
    });
    expect(where).toContain('lower(p.first_name) = lower($2)');
    expect(where).toContain('lower(p.surname) LIKE lower($3)');
    expect(params).toContain('Nord\\_\\%%');
  });

  it('should number the parameters of every criterion in order', () => {
    const { where, params } = statement({
      customerRef: 'r',
      telephoneNumber: '+4798765432',
      landlineNumber: '+4722334455',
      vippsId: 'v-1',
      invoiceOrganisationId: '987654321',
      dateOfBirth: '1990-01-01',
      postCode: '0155',
      postalAddress: { text: 'Storg_', prefix: true },
      after: 10000042n,
      status: 'D',
      profileType: 'P',
      includeTemporary: true,
      limit: 5,
    });
    for (const condition of [
      'p.customer_ref = $2',
      'p.telephone_number = $3',
      'p.landline_number = $4',
      'p.vipps_id = $5',
      'p.invoice_organisation_id = $6',
      'p.date_of_birth = $7::date',
      'a.post_code = $8',
      'lower(a.address_line1) LIKE lower($9)',
      'p.customer_number > $10',
      'p.status = $11',
      'p.profile_type = $12',
      "(p.profile_type <> 'T' OR p.expires_at > $13)",
    ]) {
      expect(where).toContain(condition);
    }
    expect(where).toContain('a.organisation_id = p.organisation_id');
    expect(params).toEqual([
      7,
      'r',
      '+4798765432',
      '+4722334455',
      'v-1',
      '987654321',
      '1990-01-01',
      '0155',
      'Storg\\_%',
      '10000042',
      'D',
      'P',
      NOW,
      5,
    ]);
  });

  it('should cover both e-mail indexes when temporaries are included', () => {
    const { where } = statement({ email: 'a@b.no', includeTemporary: true });
    expect(where).toContain(
      "(p.profile_type <> 'T' AND p.email IS NOT NULL AND lower(p.email) = lower($2))",
    );
    expect(where).toContain("(p.profile_type = 'T' AND lower(p.email) = lower($2))");
  });
});

describe('escapeLike', () => {
  it('should escape LIKE wildcards and the escape character', () => {
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
  });
});
