import { applyDecorators } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { ErrorCode } from '../common/errors/error-codes';
import { withErrorCode } from '../common/http/validation-exception.factory';

export const PASSWORD_MIN_LENGTH = 7;
export const PASSWORD_MAX_LENGTH = 128;

/** The password policy (7–128 characters); a breach answers errorCode 600. */
export function IsPassword() {
  return applyDecorators(
    IsString(withErrorCode(ErrorCode.InvalidPassword)),
    Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, {
      ...withErrorCode(ErrorCode.InvalidPassword),
      message: `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
    }),
  );
}
