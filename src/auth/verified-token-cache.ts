import { createHash } from 'node:crypto';
import { AuthContext } from './auth-context';

/** Most tokens kept; past it the oldest go first. One entry is a few hundred bytes. */
export const MAX_CACHED_TOKENS = 10_000;

export interface VerifiedToken {
  /** What validate() made of the claims (the per-request client name is not part of it). */
  context: Omit<AuthContext, 'clientName'>;
  exp: number;
  nbf?: number;
  kid: string;
}

interface Entry extends VerifiedToken {
  /** When the token must be verified again from scratch (ms): its key's JWKS freshness. */
  recheckAt: number;
}

/**
 * Tokens whose signature and claims were verified, by a SHA-256 of the token: a repeated token
 * skips the RSA verification and the claim parsing. A hit is still refused once the token has
 * expired (or is not yet valid, with the same clock tolerance as the full check), and is served
 * only while the signing key's last sight in the issuer's JWKS is younger than the JWKS cache
 * time: after that the token goes through the full verification again, which refetches the JWKS
 * and refuses a key the issuer removed. Tokens refused by the full check are never cached.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: {
      clockToleranceSeconds: number;
      jwksCacheMs: number;
      /** When the issuer's JWKS last listed the key (ms), or undefined if never seen. */
      keySeenAt: (kid: string) => number | undefined;
      now?: () => number;
      maxEntries?: number;
    },
  ) {}

  static keyOf(token: string): string {
    return createHash('sha256').update(token).digest('base64');
  }

  /** The verified context of `token`, or undefined when it must go through the full check. */
  get(token: string): VerifiedToken | undefined {
    const key = VerifiedTokenCache.keyOf(token);
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    const now = this.now();
    if (!this.usable(entry, now)) {
      this.entries.delete(key);
      return undefined;
    }
    if (now >= entry.recheckAt) {
      const seenAt = this.options.keySeenAt(entry.kid);
      if (seenAt === undefined || now >= seenAt + this.options.jwksCacheMs) {
        this.entries.delete(key);
        return undefined;
      }
      entry.recheckAt = seenAt + this.options.jwksCacheMs;
    }
    return entry;
  }

  /** Keeps a token that has just passed the full verification. */
  put(token: string, verified: VerifiedToken): void {
    const seenAt = this.options.keySeenAt(verified.kid);
    if (seenAt === undefined || !this.usable(verified, this.now())) {
      return;
    }
    const key = VerifiedTokenCache.keyOf(token);
    this.entries.delete(key);
    if (this.entries.size >= (this.options.maxEntries ?? MAX_CACHED_TOKENS)) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, { ...verified, recheckAt: seenAt + this.options.jwksCacheMs });
  }

  get size(): number {
    return this.entries.size;
  }

  /** jsonwebtoken's own rules: expired at exp + tolerance, not valid before nbf - tolerance. */
  private usable(token: VerifiedToken, nowMs: number): boolean {
    const now = Math.floor(nowMs / 1000);
    const tolerance = this.options.clockToleranceSeconds;
    return now < token.exp + tolerance && (token.nbf === undefined || now >= token.nbf - tolerance);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
