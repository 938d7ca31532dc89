import { validateSync } from 'class-validator';
import { IsPostCode, isValidPostCode } from './post-code';

describe('post code rules', () => {
  it.each([
    ['0150', 'NO'],
    ['9990', 'no'],
    ['2100', 'DK'],
    ['11122', 'SE'],
    ['111 22', 'SE'],
    ['00100', 'FI'],
    ['10115', 'DE'],
    ['SW1A 1AA', 'GB'],
    ['sw1a1aa', 'GB'],
    ['M1 1AE', 'GB'],
    ['GIR 0AA', 'GB'],
    ['12345-6789', 'US'],
    ['K1A 0B1', 'CA'],
    ['1011', 'NL'],
  ])('should accept %p in %s', (postCode, country) => {
    expect(isValidPostCode(postCode, country)).toBe(true);
  });

  it.each([
    ['150', 'NO'],
    ['01500', 'NO'],
    ['O150', 'NO'],
    ['210', 'DK'],
    ['1112', 'SE'],
    ['1112 2', 'SE'],
    ['111  22', 'SE'],
    ['0010', 'FI'],
    ['101150', 'DE'],
    ['SW1A', 'GB'],
    ['1AA SW1', 'GB'],
    ['12', 'US'],
    ['12345678901', 'US'],
    ['12_45', 'US'],
    [' 1234', 'NL'],
    ['', 'NO'],
  ])('should reject %p in %s', (postCode, country) => {
    expect(isValidPostCode(postCode, country)).toBe(false);
  });

  it('should reject a non-string post code', () => {
    expect(isValidPostCode(1234, 'NO')).toBe(false);
  });

  describe('@IsPostCode', () => {
    class Address {
      @IsPostCode() postCode: unknown;
      countryCode?: string;
    }
    const check = (postCode: unknown, countryCode?: string) =>
      validateSync(Object.assign(new Address(), { postCode, countryCode }));

    it('should check against the NO format when no country is given', () => {
      expect(check('0150')).toHaveLength(0);
      expect(check('11122')).toHaveLength(1);
    });

    it('should name the expected format and carry errorCode 604', () => {
      const [error] = check('1234', 'SE');
      expect(error.constraints?.isPostCode).toBe(
        'postCode must be 5 digits, optionally as "123 45" for country SE',
      );
      expect(error.contexts?.isPostCode).toEqual({ errorCode: 604 });
    });
  });
});
