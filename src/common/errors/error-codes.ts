/** Stable, documented error codes. Numeric ones are the legacy codes partners already handle. */
export enum ErrorCode {
  InvalidPassword = 600,
  /** Connecting or merging two profiles was refused; the detail says why. */
  MergeFailed = 601,
  EmailExists = 602,
  InvalidEmail = 603,
  InvalidPostCode = 604,
  InvalidTelephoneNumber = 605,
  InvalidName = 606,
  CannotRestore = 613,
  AlreadyActive = 614,
  NotFound = 617,
  /** A personnel-ticket customer (profileType P) cannot be deactivated, nor merged away. */
  PersonnelTicketCustomer = 621,
  CustomerAccountAliasExists = 624,
  /** Not among the legacy codes: the profile is deactivated and waits for its purge. */
  ProfileDeactivated = 625,
  BadRequest = 400,
  Unauthenticated = 401,
  Forbidden = 403,
  MethodNotAllowed = 405,
  Conflict = 409,
  PreconditionFailed = 412,
  PayloadTooLarge = 413,
  UnsupportedMediaType = 415,
  Unprocessable = 422,
  PreconditionRequired = 428,
  TooManyRequests = 429,
  Internal = 500,
  Unavailable = 503,
}
