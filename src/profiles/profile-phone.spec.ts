import { mergePhonePatch, patchTouchesPhone, phoneColumnsOf } from './profile-phone';

const STORED = {
  country_code: '+47',
  telephone_number_no_country_code: '98765432',
  telephone_number: '+4798765432',
};

describe('profile phone columns', () => {
  it('should normalise every phone field of a full body, the landline by the same country', () => {
    expect(
      phoneColumnsOf({
        countryCode: '46',
        telephoneNumberNoCountryCode: '070-123 45 67',
        landlineNumber: '08-123 456 78',
      }),
    ).toEqual({
      country_code: '+46',
      telephone_number_no_country_code: '701234567',
      telephone_number: '+46701234567',
      landline_number: '+46812345678',
    });
  });

  it('should merge a patch of one half of the pair with the stored other half', () => {
    expect(mergePhonePatch({ countryCode: '+46' }, STORED)).toEqual({
      country_code: '+46',
      telephone_number_no_country_code: '98765432',
      telephone_number: '+4698765432',
    });
    expect(mergePhonePatch({ telephoneNumberNoCountryCode: '41 23 45 67' }, STORED)).toMatchObject({
      telephone_number: '+4741234567',
    });
  });

  it('should let a new telephoneNumber alone replace the number, and null clear it', () => {
    expect(mergePhonePatch({ telephoneNumber: '+46 70 123 45 67' }, STORED)).toEqual({
      country_code: '+46',
      telephone_number_no_country_code: '701234567',
      telephone_number: '+46701234567',
    });
    expect(mergePhonePatch({ telephoneNumberNoCountryCode: null }, STORED)).toEqual({
      country_code: '+47',
      telephone_number_no_country_code: null,
      telephone_number: null,
    });
  });

  it('should touch only the landline when only the landline is patched', () => {
    expect(mergePhonePatch({ landlineNumber: '22 33 44 55' }, STORED)).toEqual({
      landline_number: '+4722334455',
    });
    expect(patchTouchesPhone({ landlineNumber: null })).toBe(true);
    expect(patchTouchesPhone({})).toBe(false);
  });
});
