import { ValidationDomainException } from '../errors/domain.exception';
import { StorableTextPipe, unstorableStrings } from './storable-text.pipe';

describe('StorableTextPipe', () => {
  const pipe = new StorableTextPipe();

  it('should name each member holding a NUL or half a surrogate pair', () => {
    expect(
      unstorableStrings({ a: 'ok', b: 'x\u0000y', c: [{ d: '\ud800' }], e: 'emoji 👍' }),
    ).toEqual([
      { field: 'b', message: 'b must not contain the NUL character (U+0000)' },
      {
        field: 'c[0].d',
        message: 'c[0].d must be valid Unicode (it contains half of a surrogate pair)',
      },
    ]);
  });

  it('should refuse a path or query parameter by its name, and pass good values through', () => {
    expect(() => pipe.transform('a\u0000b', { type: 'param', data: 'customerRef' })).toThrow(
      ValidationDomainException,
    );
    try {
      pipe.transform({ surname: 'a\u0000b' }, { type: 'query' });
    } catch (error) {
      expect((error as ValidationDomainException).errors).toEqual([
        { field: 'surname', message: 'surname must not contain the NUL character (U+0000)' },
      ]);
    }
    expect(pipe.transform({ surname: 'Ærø' }, { type: 'query' })).toEqual({ surname: 'Ærø' });
  });

  it('should refuse a NUL in a member name', () => {
    expect(unstorableStrings({ 'a\u0000': 1 })).toHaveLength(1);
  });
});
