import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LookupFunction } from 'node:net';
import { ForbiddenAddressError, ipLiteralOf, isForbiddenAddress } from './address-policy';

/** An attempt ends after this long, answered or not. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Of a receiver's answer only this much is read; the status is what counts. */
const MAX_RESPONSE_BYTES = 4_096;

export interface WebhookPost {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** How an attempt went: an HTTP status, or why there was none. */
export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export function succeeded(outcome: AttemptOutcome): boolean {
  return outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
}

/**
 * Posts one webhook. The address is checked when the socket connects (the lookup below), so a
 * name that resolved to a public address at registration and to a private one now (DNS rebinding)
 * is refused. Redirects are not followed: a 3xx is a failed attempt like any other non-2xx.
 */
export async function postWebhook(
  post: WebhookPost,
  options: { allowPrivate: boolean; timeoutMs?: number; signal?: AbortSignal },
): Promise<AttemptOutcome> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number((process.hrtime.bigint() - started) / 1_000_000n);
  try {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const statusCode = await send(post, options.allowPrivate, signal);
    return { statusCode, error: null, durationMs: elapsed() };
  } catch (error) {
    return { statusCode: null, error: describe(error), durationMs: elapsed() };
  }
}

function send(post: WebhookPost, allowPrivate: boolean, signal: AbortSignal): Promise<number> {
  const url = new URL(post.url);
  // Node connects to an IP literal without a lookup: check it here.
  const literal = ipLiteralOf(url.hostname);
  if (literal && !allowPrivate && isForbiddenAddress(literal)) {
    return Promise.reject(new ForbiddenAddressError(url.hostname, literal));
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': Buffer.byteLength(post.body) },
        lookup: guardedLookup(allowPrivate),
        // A fresh connection per attempt: a pooled socket would skip the connect-time check.
        agent: false,
        signal,
      },
      (res) => void readLittle(res).then(() => resolve(res.statusCode ?? 0)),
    );
    req.on('error', reject);
    req.end(post.body);
  });
}

/** Reads up to MAX_RESPONSE_BYTES of the answer and drops the rest. */
function readLittle(res: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let read = 0;
    res.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read >= MAX_RESPONSE_BYTES) {
        res.destroy();
        resolve();
      }
    });
    res.on('end', resolve);
    res.on('close', resolve);
    res.on('error', () => resolve());
  });
}

/** dns.lookup that fails when any address of the name is forbidden. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options: LookupOptions, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const forbidden = allowPrivate
        ? undefined
        : addresses.find((a) => isForbiddenAddress(a.address));
      if (forbidden) {
        callback(new ForbiddenAddressError(hostname, forbidden.address), '', 0);
      } else if (options.all) {
        callback(null, addresses);
      } else {
        callback(null, addresses[0].address, addresses[0].family);
      }
    });
  };
}

function describe(error: unknown): string {
  if (error instanceof ForbiddenAddressError) {
    return `Refused: ${error.message}`;
  }
  const e = error as NodeJS.ErrnoException & { cause?: { name?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') {
    return 'No answer in time';
  }
  if (e?.name === 'AbortError') {
    return 'Interrupted: the service stopped during the attempt';
  }
  return (e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? error)).slice(0, 500);
}
