import { canonicalJson, requestHash } from './request-hash';

describe('requestHash', () => {
  it('should ignore key order but not values, paths or methods', () => {
    const a = requestHash('POST', '/p', { a: 1, b: { c: [1, 2], d: null } });
    expect(requestHash('POST', '/p', { b: { d: null, c: [1, 2] }, a: 1 })).toBe(a);
    expect(requestHash('POST', '/p', { a: 2, b: { c: [1, 2], d: null } })).not.toBe(a);
    expect(requestHash('POST', '/q', { a: 1, b: { c: [1, 2], d: null } })).not.toBe(a);
    expect(requestHash('PUT', '/p', { a: 1, b: { c: [1, 2], d: null } })).not.toBe(a);
  });

  it('should write canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: [true, 'x'] })).toBe('{"a":[true,"x"],"b":1}');
  });
});
