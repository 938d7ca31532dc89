import { charsetOf } from './body-parsers';

describe('charsetOf', () => {
  it.each([
    ['application/json', undefined],
    ['application/json; charset=utf-8', 'utf-8'],
    ['application/json;charset=UTF-16', 'utf-16'],
    ['application/json; charset="utf-16le"', 'utf-16le'],
    ['application/json; boundary=x; Charset = ISO-8859-1', 'iso-8859-1'],
  ])('should read the charset of %j', (contentType, charset) => {
    expect(charsetOf(contentType)).toBe(charset);
  });
});
