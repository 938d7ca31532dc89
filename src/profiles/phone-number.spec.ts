import { ValidationDomainException } from '../common/errors/domain.exception';
import { normalisePhone, normaliseSingleNumber, searchedPhoneNumber } from './phone-number';

const NORWEGIAN = {
  country_code: '+47',
  telephone_number_no_country_code: '98765432',
  telephone_number: '+4798765432',
};
const SWEDISH = {
  country_code: '+46',
  telephone_number_no_country_code: '701234567',
  telephone_number: '+46701234567',
};

describe('normalisePhone', () => {
  it.each([
    [{ telephoneNumber: '+4798765432' }],
    [{ telephoneNumber: '004798765432' }],
    [{ telephoneNumber: '98 76 54 32' }],
    [{ telephoneNumber: '+47 987 65 432' }],
    [{ telephoneNumber: '987-65-432' }],
    [{ countryCode: '+47', telephoneNumberNoCountryCode: '98765432' }],
    [{ countryCode: '47', telephoneNumberNoCountryCode: '98765432' }],
    [{ countryCode: '0047', telephoneNumberNoCountryCode: '98 76 54 32' }],
    [{ telephoneNumberNoCountryCode: '98765432' }],
    [
      {
        countryCode: '+47',
        telephoneNumberNoCountryCode: '98765432',
        telephoneNumber: '+4798765432',
      },
    ],
  ])('should store every written form of a Norwegian number alike: %j', (input) => {
    expect(normalisePhone(input)).toEqual(NORWEGIAN);
  });

  it.each([
    [{ telephoneNumber: '+46 70 123 45 67' }],
    [{ telephoneNumber: '0046701234567' }],
    [{ countryCode: '+46', telephoneNumber: '070-123 45 67' }],
    [{ countryCode: '+46', telephoneNumberNoCountryCode: '070-123 45 67' }],
    [{ countryCode: '46', telephoneNumberNoCountryCode: '70 123 45 67' }],
    [{ countryCode: '+47', telephoneNumberNoCountryCode: '+46701234567' }],
  ])('should store every written form of a Swedish number alike: %j', (input) => {
    expect(normalisePhone(input)).toEqual(SWEDISH);
  });

  it('should keep a country code without a number, and store nothing for nothing', () => {
    expect(normalisePhone({ countryCode: '47' })).toEqual({
      country_code: '+47',
      telephone_number_no_country_code: null,
      telephone_number: null,
    });
    expect(normalisePhone({})).toEqual({
      country_code: null,
      telephone_number_no_country_code: null,
      telephone_number: null,
    });
  });

  it('should refuse impossible numbers, unknown country codes and two different numbers', () => {
    const refused = (input: Parameters<typeof normalisePhone>[0]) => {
      try {
        normalisePhone(input);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationDomainException);
        return (error as ValidationDomainException).errors;
      }
      throw new Error('expected a refusal');
    };
    expect(refused({ telephoneNumber: '123' })).toEqual([
      expect.objectContaining({ field: 'telephoneNumber', errorCode: 605 }),
    ]);
    expect(refused({ countryCode: '+999', telephoneNumberNoCountryCode: '98765432' })).toEqual([
      expect.objectContaining({ field: 'countryCode', errorCode: 605 }),
    ]);
    expect(
      refused({
        countryCode: '+47',
        telephoneNumberNoCountryCode: '98765432',
        telephoneNumber: '+46701234567',
      }),
    ).toEqual([expect.objectContaining({ field: 'telephoneNumber' })]);
  });
});

describe('normaliseSingleNumber and searchedPhoneNumber', () => {
  it('should normalise a landline with the default country', () => {
    expect(normaliseSingleNumber('landlineNumber', '22 33 44 55')).toBe('+4722334455');
    expect(normaliseSingleNumber('landlineNumber', '08-123 456 78', '+46')).toBe('+46812345678');
    expect(normaliseSingleNumber('landlineNumber', null)).toBeNull();
  });

  it('should follow the reference: the pair only together, then telephoneNumber', () => {
    expect(
      searchedPhoneNumber({ countryCode: '+46', telephoneNumberNoCountryCode: '0701234567' }),
    ).toBe('+46701234567');
    expect(searchedPhoneNumber({ telephoneNumberNoCountryCode: '98765432' })).toBeNull();
    expect(searchedPhoneNumber({ countryCode: '+46', telephoneNumber: '070 123 45 67' })).toBe(
      '+46701234567',
    );
  });
});
