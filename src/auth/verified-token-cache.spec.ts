import { VerifiedTokenCache, VerifiedToken } from './verified-token-cache';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const JWKS_CACHE_MS = 600_000;

function setup(options: { tolerance?: number; maxEntries?: number } = {}) {
  let now = T0;
  const seen = new Map<string, number>([['k1', T0]]);
  const cache = new VerifiedTokenCache({
    clockToleranceSeconds: options.tolerance ?? 0,
    jwksCacheMs: JWKS_CACHE_MS,
    keySeenAt: (kid) => seen.get(kid),
    now: () => now,
    maxEntries: options.maxEntries,
  });
  return {
    cache,
    seen,
    advance: (ms: number) => (now += ms),
  };
}

const verified = (claims: Partial<VerifiedToken> = {}): VerifiedToken => ({
  context: { clientId: 'c', subject: 'c', organisationId: 1, permissions: new Set(['r']) },
  exp: T0 / 1000 + 3600,
  kid: 'k1',
  ...claims,
});

describe('VerifiedTokenCache', () => {
  it('should serve a verified token again', () => {
    const { cache } = setup();
    cache.put('a.b.c', verified());
    expect(cache.get('a.b.c')?.context.organisationId).toBe(1);
    expect(cache.get('a.b.d')).toBeUndefined();
  });

  it('should refuse a cached token once it has expired, with the clock tolerance', () => {
    const { cache, advance } = setup({ tolerance: 60 });
    cache.put('t', verified({ exp: T0 / 1000 + 10 }));
    advance(69_000);
    expect(cache.get('t')).toBeDefined();
    advance(1_000);
    expect(cache.get('t')).toBeUndefined();
  });

  it('should not keep a token that is not yet valid or already expired', () => {
    const { cache } = setup();
    cache.put('early', verified({ nbf: T0 / 1000 + 5 }));
    cache.put('late', verified({ exp: T0 / 1000 }));
    expect(cache.get('early')).toBeUndefined();
    expect(cache.get('late')).toBeUndefined();
  });

  it('should not keep a token whose key was never seen in the JWKS', () => {
    const { cache } = setup();
    cache.put('t', verified({ kid: 'unknown' }));
    expect(cache.get('t')).toBeUndefined();
  });

  it('should send a token back to the full check once its key was not seen for the JWKS cache time', () => {
    const { cache, seen, advance } = setup();
    cache.put('t', verified());
    advance(JWKS_CACHE_MS - 1);
    expect(cache.get('t')).toBeDefined();
    advance(1);
    expect(cache.get('t')).toBeUndefined();
    // Seen again in a later fetch: a new put is served for another JWKS cache time.
    seen.set('k1', T0 + JWKS_CACHE_MS);
    cache.put('t', verified());
    advance(JWKS_CACHE_MS - 1);
    expect(cache.get('t')).toBeDefined();
  });

  it('should refuse a token at its recheck once its key left the JWKS', () => {
    const { cache, seen, advance } = setup();
    cache.put('t', verified());
    seen.delete('k1');
    advance(JWKS_CACHE_MS);
    expect(cache.get('t')).toBeUndefined();
  });

  it('should keep at most maxEntries tokens, dropping the oldest', () => {
    const { cache } = setup({ maxEntries: 2 });
    cache.put('1', verified());
    cache.put('2', verified());
    cache.put('3', verified());
    expect(cache.size).toBe(2);
    expect(cache.get('1')).toBeUndefined();
    expect(cache.get('3')).toBeDefined();
  });

  it('should key entries by a hash, never by the token itself', () => {
    expect(VerifiedTokenCache.keyOf('secret.token.value')).not.toContain('secret');
  });
});
