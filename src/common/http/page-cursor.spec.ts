import { DomainException } from '../errors/domain.exception';
import { decodeCursor, encodeCursor, nextPageLink } from './page-cursor';

describe('page cursors', () => {
  it('should carry the last key of a page and read it back', () => {
    expect(decodeCursor('cursor', encodeCursor(10000042))).toBe(10000042n);
    expect(decodeCursor('cursor', encodeCursor('9223372036854775807'))).toBe(9223372036854775807n);
  });

  it.each(['', 'abc', encodeCursor('x1'), encodeCursor('-5'), `${encodeCursor(5)}=`])(
    'should refuse %p with a 400 naming the field',
    (cursor) => {
      try {
        decodeCursor('cursor', cursor);
        throw new Error('accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(DomainException);
        expect((error as DomainException).status).toBe(400);
      }
    },
  );

  it('should link to the same request with the cursor set, keeping the other parameters', () => {
    expect(
      nextPageLink('/customers/v2/profiles-search?surname=Nord*&cursor=old&maxResultSet=2', 'NEW'),
    ).toBe('</customers/v2/profiles-search?surname=Nord*&cursor=NEW&maxResultSet=2>; rel="next"');
  });
});
