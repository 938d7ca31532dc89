import { jsonDepthExceeds } from './json-body-parser';

describe('jsonDepthExceeds', () => {
  it('should count arrays and objects, not brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 2)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[{{{{"}', 1)).toBe(false);
    expect(jsonDepthExceeds('{"a":"\\"[[[["}', 1)).toBe(false);
  });

  it('should stop at the limit on a body nested far deeper than recursion survives', () => {
    expect(jsonDepthExceeds('['.repeat(1_000_000), 32)).toBe(true);
    expect(jsonDepthExceeds(`${'['.repeat(32)}${']'.repeat(32)}`, 32)).toBe(false);
  });
});
