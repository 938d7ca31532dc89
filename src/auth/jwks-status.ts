import { Global, Injectable, Module } from '@nestjs/common';

export interface JwksFetchState {
  /** Whether the last fetch of the issuer's JWKS got an answer; undefined before the first. */
  reachable?: boolean;
  lastFetchAt?: string;
  lastError?: string;
}

/**
 * The outcome of the last JWKS fetch, for readiness and to tell an issuer this instance cannot
 * read from a key it does not list. Keys are fetched on demand (a token with a `kid` not in the
 * cache), so this says nothing until the first token arrives.
 */
@Injectable()
export class JwksStatus {
  private state: JwksFetchState = {};
  /** Per key id, when a fetched JWKS last listed it (ms). */
  private readonly keysSeenAt = new Map<string, number>();
  private unverifiable = 0;

  current(): JwksFetchState {
    return { ...this.state };
  }

  /**
   * Whether a failed key lookup means this instance could not read the issuer's keys, rather
   * than that the token is wrong: the fetch failed (issuer down, timeout, an error status, no
   * JSON), or it was not made because fetches are rate limited and the last one does not settle
   * the question. A rate-limited lookup is a wrong key only when the last fetch got the JWKS and
   * it did not list this `kid`: the issuer said so less than a fetch interval ago, and a flood of
   * random `kid`s keeps its 401. After a failed fetch, before the first one, or for a `kid` the
   * last JWKS listed (its cached key ran out while fetches were used up), nobody has said no.
   */
  keysUnavailable(lookupError: unknown, kid: string | undefined): boolean {
    const error = (lookupError ?? {}) as { name?: unknown; isEndpointUnavailable?: unknown };
    if (error.isEndpointUnavailable === true) {
      return true;
    }
    if (error.name === 'JwksRateLimitError') {
      const listed = kid !== undefined && this.keysSeenAt.has(kid);
      return this.state.reachable !== true || listed;
    }
    return false;
  }

  /** Counts a request answered 503 because its token's key could not be read. */
  countUnverifiable(): void {
    this.unverifiable++;
  }

  /** Requests answered 503 so far because their token's key could not be read. */
  unverifiableCount(): number {
    return this.unverifiable;
  }

  /** When the issuer's JWKS last listed this key id (ms since the epoch), if ever. */
  keySeenAt(kid: string): number | undefined {
    return this.keysSeenAt.get(kid);
  }

  /** A jwks-rsa `fetcher` that records each outcome (the default one has no hook for it). */
  fetcher(timeoutMs: number): (uri: string) => Promise<{ keys: unknown }> {
    return async (uri) => {
      const at = new Date().toISOString();
      try {
        const response = await fetch(uri, { signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) {
          throw new Error(`HTTP ${response.status}`);
        }
        const body = (await response.json()) as { keys: unknown };
        this.state = { reachable: true, lastFetchAt: at };
        this.recordKeys(body.keys);
        return body;
      } catch (error) {
        this.state = { reachable: false, lastFetchAt: at, lastError: describe(error) };
        throw error;
      }
    };
  }

  /** Keys the issuer no longer lists are forgotten: their cached tokens then go stale in time. */
  private recordKeys(keys: unknown): void {
    const now = Date.now();
    const listed = new Set(
      (Array.isArray(keys) ? keys : [])
        .map((key) => (key as { kid?: unknown } | null)?.kid)
        .filter((kid): kid is string => typeof kid === 'string'),
    );
    for (const kid of this.keysSeenAt.keys()) {
      if (!listed.has(kid)) {
        this.keysSeenAt.delete(kid);
      }
    }
    for (const kid of [...listed].slice(0, 100)) {
      this.keysSeenAt.set(kid, now);
    }
  }
}

/** Global, so /metrics can read the counts wherever the auth module is loaded. */
@Global()
@Module({ providers: [JwksStatus], exports: [JwksStatus] })
export class JwksStatusModule {}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
}
