import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-codes';

/** The one 429 of the rate limits: problem+json with Retry-After, naming no component. */
export function tooManyRequests(retryAfterSeconds: number): DomainException {
  const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
  return new DomainException(
    429,
    ErrorCode.TooManyRequests,
    'Too Many Requests',
    `Too many requests; retry after ${retryAfter} seconds`,
    [],
    {},
    { 'retry-after': String(retryAfter) },
  );
}
