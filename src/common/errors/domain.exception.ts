import { RETRY_AFTER_SECONDS } from '../http/retry-after';
import { ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
  errorCode?: number;
}

/** Everything a problem+json answer carries beyond its status and title. */
export interface ProblemDetails {
  /** The legacy errorCode; by default the one of the status. */
  errorCode?: ErrorCode;
  errors?: FieldError[];
  /** Extra members of the problem document, e.g. `currentVersion`. */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface DomainExceptionOptions extends ProblemDetails {
  status: number;
  errorCode: ErrorCode;
  title: string;
  detail: string;
}

/**
 * A rule of the domain was broken. Services throw the named subclasses below (no HTTP types in
 * services); the one global filter turns them into problem+json with their status.
 */
export class DomainException extends Error {
  readonly status: number;
  readonly errorCode: ErrorCode;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(options: DomainExceptionOptions) {
    super(options.detail);
    this.status = options.status;
    this.errorCode = options.errorCode;
    this.title = options.title;
    this.detail = options.detail;
    this.errors = options.errors ?? [];
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

/** A subclass per status: its title and default errorCode, the rest from the call site. */
function statusException(status: number, title: string, defaultCode: ErrorCode) {
  return class extends DomainException {
    constructor(detail: string, details: ProblemDetails = {}) {
      super({ ...details, status, title, detail, errorCode: details.errorCode ?? defaultCode });
    }
  };
}

export class UnauthorizedDomainException extends statusException(
  401,
  'Unauthorized',
  ErrorCode.Unauthenticated,
) {}

export class ForbiddenDomainException extends statusException(
  403,
  'Forbidden',
  ErrorCode.Forbidden,
) {}

export class MethodNotAllowedDomainException extends statusException(
  405,
  'Method Not Allowed',
  ErrorCode.MethodNotAllowed,
) {}

export class ConflictDomainException extends statusException(409, 'Conflict', ErrorCode.Conflict) {}

export class PreconditionFailedDomainException extends statusException(
  412,
  'Precondition Failed',
  ErrorCode.PreconditionFailed,
) {}

export class PayloadTooLargeDomainException extends statusException(
  413,
  'Payload Too Large',
  ErrorCode.PayloadTooLarge,
) {}

export class UnsupportedMediaTypeDomainException extends statusException(
  415,
  'Unsupported Media Type',
  ErrorCode.UnsupportedMediaType,
) {}

export class UnprocessableDomainException extends statusException(
  422,
  'Unprocessable Content',
  ErrorCode.Unprocessable,
) {}

export class TooManyRequestsDomainException extends statusException(
  429,
  'Too Many Requests',
  ErrorCode.TooManyRequests,
) {}

export class NotFoundDomainException extends DomainException {
  constructor(what: string) {
    super({
      status: 404,
      errorCode: ErrorCode.NotFound,
      title: 'Not Found',
      detail: `${what} was not found`,
    });
  }
}

/** 400 naming the fields at fault. */
export class ValidationDomainException extends DomainException {
  constructor(detail: string, errors: FieldError[] = [], details: ProblemDetails = {}) {
    super({
      ...details,
      status: 400,
      title: 'Bad Request',
      detail,
      errors,
      errorCode: details.errorCode ?? ErrorCode.BadRequest,
    });
  }
}

/** The service cannot answer now (overloaded, closing, too slow); the client may retry. */
export class UnavailableDomainException extends DomainException {
  constructor(detail: string) {
    super({
      status: 503,
      errorCode: ErrorCode.Unavailable,
      title: 'Service Unavailable',
      detail,
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    });
  }
}
