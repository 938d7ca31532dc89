import { ValidationDomainException } from '../common/errors/domain.exception';
import { parseIfMatch } from './if-match';
import { ParsePositiveIdPipe } from '../common/http/parse-positive-id.pipe';
import { changedFields, toColumnValues } from './profile-columns';
import { newProfileUuid } from './profile-uuid';

describe('parseIfMatch', () => {
  it('should read strong, weak and bare versions and treat * and absence as any', () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"12"')).toBe(12);
    expect(parseIfMatch('7')).toBe(7);
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch(undefined)).toBeUndefined();
  });

  it('should refuse anything else with 400', () => {
    expect(() => parseIfMatch('"abc"')).toThrow(ValidationDomainException);
  });
});

describe('ParsePositiveIdPipe', () => {
  it('should accept positive integers and refuse the rest', () => {
    const pipe = new ParsePositiveIdPipe('customerNumber');
    expect(pipe.transform('10000001')).toBe(10000001);
    for (const bad of ['abc', '0', '-1', '1.5', '12abc', '9'.repeat(16), '']) {
      expect(() => pipe.transform(bad)).toThrow(ValidationDomainException);
    }
  });
});

describe('profile columns', () => {
  it('should keep present fields (null clears) and drop absent ones', () => {
    expect(toColumnValues({ firstName: 'Ola', email: null, surname: undefined })).toEqual({
      first_name: 'Ola',
      email: null,
    });
  });

  it('should name only the editable fields that changed', () => {
    expect(
      changedFields(
        { email: 'a@b.no', surname: 'X', date_of_birth: '1990-01-01' },
        { email: 'c@d.no', surname: 'X', date_of_birth: '1990-01-01', first_name: 'New' },
      ),
    ).toEqual(['email']);
  });
});

describe('newProfileUuid', () => {
  it('should make 32 random alphanumeric characters', () => {
    const ids = new Set(Array.from({ length: 100 }, newProfileUuid));
    expect(ids.size).toBe(100);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9]{32}$/);
    }
  });
});
