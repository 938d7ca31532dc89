import { JwksStatus } from './jwks-status';

/** A fetch of the JWKS as the jwks-rsa fetcher makes it, answered by `respond`. */
async function fetchWith(status: JwksStatus, respond: () => Promise<Response>): Promise<void> {
  const original = global.fetch;
  global.fetch = respond;
  try {
    await status.fetcher(1_000)('https://idp.example/.well-known/jwks.json');
  } catch {
    // The outcome is what the status recorded.
  } finally {
    global.fetch = original;
  }
}

const listing =
  (...kids: string[]) =>
  async () =>
    Response.json({ keys: kids.map((kid) => ({ kid })) });
const failing = async () => new Response('', { status: 500 });

const unavailable = Object.assign(new Error('HTTP 500'), { isEndpointUnavailable: true });
const notFound = Object.assign(new Error('no key k9'), { name: 'SigningKeyNotFoundError' });
const rateLimited = Object.assign(new Error('Too many requests'), { name: 'JwksRateLimitError' });

describe('JwksStatus.keysUnavailable', () => {
  it('should call a failed fetch unavailable, and a key the fetched JWKS does not list wrong', async () => {
    const status = new JwksStatus();
    await fetchWith(status, listing('k1'));
    expect(status.keysUnavailable(unavailable, 'k9')).toBe(true);
    expect(status.keysUnavailable(notFound, 'k9')).toBe(false);
    expect(status.keysUnavailable(new Error('invalid signature'), 'k1')).toBe(false);
    expect(status.keysUnavailable(undefined, 'k1')).toBe(false);
  });

  it('should call a rate-limited lookup wrong only when the last fetch succeeded without the key', async () => {
    const status = new JwksStatus();
    // Before any fetch nobody has said no.
    expect(status.keysUnavailable(rateLimited, 'k9')).toBe(true);

    await fetchWith(status, listing('k1'));
    expect(status.keysUnavailable(rateLimited, 'k9')).toBe(false);
    expect(status.keysUnavailable(rateLimited, undefined)).toBe(false);
    // A listed key whose cached copy ran out while fetches were used up.
    expect(status.keysUnavailable(rateLimited, 'k1')).toBe(true);

    await fetchWith(status, failing);
    expect(status.keysUnavailable(rateLimited, 'k9')).toBe(true);

    await fetchWith(status, listing('k1', 'k9'));
    await fetchWith(status, listing('k1'));
    expect(status.keysUnavailable(rateLimited, 'k9')).toBe(false);
  });
});
