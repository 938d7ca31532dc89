import { normaliseEmail } from './normalise-email';

describe('normaliseEmail', () => {
  it('should lower-case and trim', () => {
    expect(normaliseEmail('  Ola.Nordmann@Example.COM \t')).toBe('ola.nordmann@example.com');
  });

  it('should make İ (U+0130) and I the same letter as i', () => {
    expect(normaliseEmail('İvar@example.com')).toBe('ivar@example.com');
    expect(normaliseEmail('IVAR@EXAMPLE.COM')).toBe('ivar@example.com');
    expect(normaliseEmail('i\u0307var@example.com')).toBe('ivar@example.com');
  });

  it('should keep ß, and lower-case capital ẞ to it, but not turn it into ss', () => {
    expect(normaliseEmail('STRAẞE@example.com')).toBe('straße@example.com');
    expect(normaliseEmail('straße@example.com')).toBe('straße@example.com');
    expect(normaliseEmail('strasse@example.com')).toBe('strasse@example.com');
  });

  it('should fold full-width letters and signs to their ASCII forms', () => {
    expect(normaliseEmail('ＯＬＡ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('ola@example.com');
  });

  it('should fold compatibility forms that become capitals before lower-casing', () => {
    // U+3381 SQUARE NA decomposes to "nA"; U+FB00 is the ligature ff.
    expect(normaliseEmail('\u3381@example.com')).toBe('na@example.com');
    expect(normaliseEmail('e\uFB00ect@example.com')).toBe('effect@example.com');
  });

  it('should trim the ideographic space and compose accents', () => {
    expect(normaliseEmail('\u3000JOSE\u0301@example.com\u3000')).toBe('jos\u00e9@example.com');
  });

  it('should be idempotent', () => {
    const samples = [
      'İvar@Example.com',
      ' STRAẞE@x.no ',
      'ＯＬＡ＠ｅｘａｍｐｌｅ．ｃｏｍ',
      '\u3381\uFB00@x.no',
      'ΟΔΟΣ@x.gr',
      'ǅemal@x.ba',
      'JOSE\u0301@x.es',
    ];
    for (const sample of samples) {
      const once = normaliseEmail(sample);
      expect(normaliseEmail(once)).toBe(once);
    }
  });
});
