import { Injectable } from '@nestjs/common';

export interface JwksFetchState {
  /** Whether the last fetch of the issuer's JWKS got an answer; undefined before the first. */
  reachable?: boolean;
  lastFetchAt?: string;
  lastError?: string;
}

/**
 * The outcome of the last JWKS fetch, for readiness. Keys are fetched on demand (a token with a
 * `kid` not in the cache), so this says nothing until the first token arrives.
 */
@Injectable()
export class JwksStatus {
  private state: JwksFetchState = {};
  /** Per key id, when a fetched JWKS last listed it (ms). */
  private readonly keysSeenAt = new Map<string, number>();

  current(): JwksFetchState {
    return { ...this.state };
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

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
}
