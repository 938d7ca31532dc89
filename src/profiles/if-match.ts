import { ValidationDomainException } from '../common/errors/domain.exception';

/**
 * The version an `If-Match` header asks for: `"3"`, `W/"3"` or `3`; undefined when the header is
 * absent or `*` (any current version). Anything else is a 400.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') {
    return undefined;
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    const message = 'If-Match must be the ETag of the profile, e.g. "3"';
    throw new ValidationDomainException(message, [{ field: 'If-Match', message }]);
  }
  return Number(match[1]);
}
