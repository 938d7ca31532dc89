import { ValidationDomainException } from '../common/errors/domain.exception';
import { encodeCursor } from '../common/http/page-cursor';
import { resolveProfileFilter, resolveProfileSearch } from './profile-search';

const NOW = new Date('2026-01-01T00:00:00Z');

function resolve(criteria: Parameters<typeof resolveProfileSearch>[1]) {
  const search = resolveProfileSearch(7, criteria, NOW);
  if (!search) {
    throw new Error('expected a search');
  }
  return search;
}

describe('resolveProfileSearch', () => {
  it('should scope by organisation and leave deactivated and temporary profiles out by default', () => {
    expect(resolve({ email: 'A@B.no' })).toMatchObject({
      organisationId: 7,
      email: 'a@b.no',
      status: undefined,
      includeTemporary: false,
      now: NOW,
      limit: 100,
    });
  });

  it('should search the e-mail in its normal form, as profiles store it', () => {
    expect(resolve({ email: ' İVAR@Example.no ' }).email).toBe('ivar@example.no');
  });

  it('should take a trailing * as a prefix and anything else as the whole value', () => {
    const search = resolve({ surname: 'Nord_%*', firstName: 'Ola' });
    expect(search.surname).toEqual({ text: 'Nord_%', prefix: true });
    expect(search.firstName).toEqual({ text: 'Ola', prefix: false });
  });

  it('should refuse a name that is only *', () => {
    expect(() => resolve({ surname: '*' })).toThrow(ValidationDomainException);
  });

  it('should match every phone parameter as one E.164 number, the pair winning', () => {
    const pair = resolve({
      countryCode: '+47',
      telephoneNumberNoCountryCode: '98 76 54 32',
      telephoneNumber: '+4699999999',
    });
    expect(pair.telephoneNumber).toBe('+4798765432');
    expect(resolve({ countryCode: '+46', telephoneNumber: '070-123 45 67' }).telephoneNumber).toBe(
      '+46701234567',
    );
    expect(resolve({ telephoneNumber: '004798765432' }).telephoneNumber).toBe('+4798765432');
    expect(() => resolve({ telephoneNumberNoCountryCode: '123' })).toThrow(/only together/);
    expect(() => resolve({ telephoneNumber: '12' })).toThrow(ValidationDomainException);
  });

  it('should search landline, Vipps id, invoice organisation and address line', () => {
    expect(
      resolve({
        landlineNumber: '22 33 44 55',
        vippsId: 'v-1',
        invoiceOrganisationId: '987654321',
        postalAddress: 'Storg_*',
      }),
    ).toMatchObject({
      landlineNumber: '+4722334455',
      vippsId: 'v-1',
      invoiceOrganisationId: '987654321',
      postalAddress: { text: 'Storg_', prefix: true },
    });
    expect(resolve({ postalAddress: 'Storgata 1' }).postalAddress).toEqual({
      text: 'Storgata 1',
      prefix: false,
    });
    expect(() => resolve({ postalAddress: '*' })).toThrow(/before \*/);
  });

  it('should refuse a search without criteria', () => {
    expect(() => resolve({})).toThrow(ValidationDomainException);
    expect(() => resolve({ status: 'D', includeTemporary: true, maxResultSet: 5 })).toThrow(
      /at least one search criterion/,
    );
  });

  it('should ask for a status and include live temporaries when told', () => {
    expect(
      resolve({ surname: 'X', status: 'D', includeTemporary: true, maxResultSet: 5 }),
    ).toMatchObject({ status: 'D', includeTemporary: true, now: NOW, limit: 5 });
  });

  it('should filter by profileType, which alone is no criterion', () => {
    expect(resolve({ surname: 'X', profileType: 'P' }).profileType).toBe('P');
    expect(() => resolve({ profileType: 'P' })).toThrow(/at least one search criterion/);
  });

  it('should continue after the customer number of a cursor, and refuse a forged one', () => {
    expect(resolve({ surname: 'X', cursor: encodeCursor('10000042') }).after).toBe(10000042n);
    expect(() => resolve({ surname: 'X', cursor: 'forged' })).toThrow(ValidationDomainException);
  });

  it('should match nothing when another organisation is named', () => {
    expect(resolveProfileSearch(7, { email: 'a@b.no', organisationId: 8 }, NOW)).toBeNull();
    expect(resolveProfileSearch(7, { email: 'a@b.no', organisationId: 7 }, NOW)).not.toBeNull();
  });

  it('should match nothing for a personnel-ticket right, alone or with other criteria', () => {
    expect(resolveProfileSearch(7, { ticketRightOwner: '10000001' }, NOW)).toBeNull();
    expect(resolveProfileSearch(7, { ticketRightBearer: '10000002' }, NOW)).toBeNull();
    expect(resolveProfileSearch(7, { email: 'a@b.no', ticketRightOwner: '1' }, NOW)).toBeNull();
    // A malformed criterion next to it is still refused.
    expect(() => resolveProfileSearch(7, { surname: '*', ticketRightOwner: '1' }, NOW)).toThrow(
      'surname needs at least one character before *',
    );
  });
});

describe('resolveProfileFilter', () => {
  it('should let an export list everything when no criterion is required', () => {
    expect(resolveProfileFilter(7, {}, NOW, { requireCriterion: false })).toMatchObject({
      organisationId: 7,
      includeTemporary: false,
    });
  });
});
