import { ifNoneMatchHits } from './conditional-get';

describe('ifNoneMatchHits', () => {
  it('should compare weakly, within a list, and match any tag with *', () => {
    expect(ifNoneMatchHits('"3"', '"3"')).toBe(true);
    expect(ifNoneMatchHits('W/"3"', '"3"')).toBe(true);
    expect(ifNoneMatchHits('"1", "3"', '"3"')).toBe(true);
    expect(ifNoneMatchHits(' * ', '"3"')).toBe(true);
  });

  it('should not match another tag or a missing header', () => {
    expect(ifNoneMatchHits('"2"', '"3"')).toBe(false);
    expect(ifNoneMatchHits('"33"', '"3"')).toBe(false);
    expect(ifNoneMatchHits(undefined, '"3"')).toBe(false);
    expect(ifNoneMatchHits('', '"3"')).toBe(false);
  });
});
