import {
  DomainException,
  PreconditionFailedDomainException,
  ValidationDomainException,
} from '../common/errors/domain.exception';
import { profileEtag } from './profile.mapper';

/**
 * The version an `If-Match` header asks for: `"3"`, `W/"3"` or `3`; undefined when the header is
 * absent or `*` (any current version). Anything else is a 400.
 */
export function parseIfMatch(header: string | undefined, resource = 'profile'): number | undefined {
  if (header === undefined || header.trim() === '*') {
    return undefined;
  }
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    const message = `If-Match must be the ETag of the ${resource}, e.g. "3"`;
    throw new ValidationDomainException(message, [{ field: 'If-Match', message }]);
  }
  return Number(match[1]);
}

/** The 412 of a stale `If-Match`, with the current version in the body and as the ETag. */
export function staleVersion(
  expectedVersion: number,
  currentVersion: number,
  resource = 'profile',
): DomainException {
  return new PreconditionFailedDomainException(
    `The ${resource} has changed: If-Match asked for version ${expectedVersion}, the current version is ${currentVersion}; read it again and retry`,
    { extra: { currentVersion }, headers: { etag: profileEtag(currentVersion) } },
  );
}

/** Throws the 412 when `If-Match` asked for another version than the current one. */
export function assertVersion(
  expectedVersion: number | undefined,
  currentVersion: number,
  resource = 'profile',
): void {
  if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
    throw staleVersion(expectedVersion, currentVersion, resource);
  }
}
