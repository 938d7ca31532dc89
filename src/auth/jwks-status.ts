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

  current(): JwksFetchState {
    return { ...this.state };
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
        return body;
      } catch (error) {
        this.state = { reachable: false, lastFetchAt: at, lastError: describe(error) };
        throw error;
      }
    };
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return typeof cause?.code === 'string' ? `${message} (${cause.code})` : message;
}
