import { RETRY_AFTER_SECONDS } from '../http/retry-after';
import { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
  errorCode?: number;
}

/**
 * A rule of the domain was broken. Services throw these (no HTTP types in services); the one global
 * filter turns them into problem+json with the given status.
 */
export class DomainException extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: ErrorCode,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export class NotFoundDomainException extends DomainException {
  constructor(what: string) {
    super(404, ErrorCode.NotFound, 'Not Found', `${what} was not found`);
  }
}

export class ConflictDomainException extends DomainException {
  constructor(
    detail: string,
    errorCode: ErrorCode = ErrorCode.Conflict,
    errors: FieldError[] = [],
  ) {
    super(409, errorCode, 'Conflict', detail, errors);
  }
}

export class ValidationDomainException extends DomainException {
  constructor(detail: string, errors: FieldError[], errorCode: ErrorCode = ErrorCode.BadRequest) {
    super(400, errorCode, 'Bad Request', detail, errors);
  }
}

/** The service cannot answer now (overloaded, closing, too slow); the client may retry. */
export class UnavailableDomainException extends DomainException {
  constructor(detail: string) {
    super(
      503,
      ErrorCode.Unavailable,
      'Service Unavailable',
      detail,
      [],
      {},
      {
        'retry-after': String(RETRY_AFTER_SECONDS),
      },
    );
  }
}
