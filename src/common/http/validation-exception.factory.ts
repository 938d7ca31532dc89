import { ValidationError } from 'class-validator';
import { ErrorCode } from '../errors/error-codes';
import { FieldError, ValidationDomainException } from '../errors/domain.exception';

/**
 * Attach a legacy error code to a validation decorator: `@IsEmail({}, errorCode(ErrorCode.InvalidEmail))`.
 */
export function withErrorCode(code: ErrorCode): { context: { errorCode: ErrorCode } } {
  return { context: { errorCode: code } };
}

/**
 * Flattens class-validator's tree into one entry per invalid field (`addresses[0].postCode`): a
 * field that breaks several rules gets their messages joined, and the first legacy code among them.
 */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    const code = constraints
      .map(
        ([constraint]) =>
          (error.contexts?.[constraint] as { errorCode?: number } | undefined)?.errorCode,
      )
      .find((c) => c !== undefined);
    const own: FieldError[] = constraints.length
      ? [
          {
            field,
            message: constraints.map(([, message]) => message).join('; '),
            ...(code ? { errorCode: code } : {}),
          },
        ]
      : [];
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

export function validationExceptionFactory(errors: ValidationError[]): ValidationDomainException {
  const fieldErrors = toFieldErrors(errors);
  const codes = new Set(fieldErrors.map((e) => e.errorCode ?? ErrorCode.BadRequest));
  const errorCode = codes.size === 1 ? [...codes][0] : ErrorCode.BadRequest;
  const detail =
    fieldErrors.length === 1
      ? fieldErrors[0].message
      : `${fieldErrors.length} fields are invalid: ${fieldErrors.map((e) => e.field).join(', ')}`;
  return new ValidationDomainException(detail, fieldErrors, { errorCode: errorCode });
}
