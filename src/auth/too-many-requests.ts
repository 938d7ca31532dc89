import { DomainException, TooManyRequestsDomainException } from '../common/errors/domain.exception';

/** The one 429 of the rate limits: problem+json with Retry-After, naming no component. */
export function tooManyRequests(retryAfterSeconds: number): DomainException {
  const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
  return new TooManyRequestsDomainException(
    `Too many requests; retry after ${retryAfter} seconds`,
    { headers: { 'retry-after': String(retryAfter) } },
  );
}
