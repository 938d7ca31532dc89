import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsISO8601,
  IsNotEmpty,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { normaliseEmail } from '../../common/email/normalise-email';
import { ErrorCode } from '../../common/errors/error-codes';
import { withErrorCode } from '../../common/http/validation-exception.factory';

/**
 * The format rules of profile fields, shared by create, replace and merge-patch bodies so the
 * three cannot drift apart. Each breach carries its legacy error code where one exists.
 */
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

export const EMAIL_MAX_LENGTH = 80;
export const NAME_MAX_LENGTH = 100;
export const AUDIT_FIELD_MAX_LENGTH = 100;
export const CUSTOMER_REF_MAX_LENGTH = 40;

export function IsProfileName() {
  const code = withErrorCode(ErrorCode.InvalidName);
  return applyDecorators(
    IsString(code),
    IsNotEmpty(code),
    MaxLength(NAME_MAX_LENGTH, code),
    Matches(NO_CONTROL_CHARACTERS, {
      ...code,
      message: '$property must not contain control characters',
    }),
  );
}

/**
 * An empty e-mail means none (the seed's example body sends `"email": ""`). An address is kept in
 * its normal form (see normaliseEmail), the form its uniqueness is decided in.
 */
export function IsProfileEmail() {
  const code = withErrorCode(ErrorCode.InvalidEmail);
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => {
      const email = typeof value === 'string' ? normaliseEmail(value) : value;
      return email === '' ? null : email;
    }),
    IsString(code),
    MaxLength(EMAIL_MAX_LENGTH, code),
    IsEmail({}, { ...code, message: 'email must be a valid e-mail address' }),
  );
}

export function IsCountryCode() {
  return Matches(/^\+\d{1,3}$/, {
    ...withErrorCode(ErrorCode.InvalidTelephoneNumber),
    message: 'countryCode must be + followed by 1 to 3 digits, e.g. +47',
  });
}

export function IsPhoneNumberWithoutCountryCode() {
  return Matches(/^\d{3,20}$/, {
    ...withErrorCode(ErrorCode.InvalidTelephoneNumber),
    message: '$property must be 3 to 20 digits',
  });
}

export function IsPhoneNumber() {
  return Matches(/^\+?\d{3,24}$/, {
    ...withErrorCode(ErrorCode.InvalidTelephoneNumber),
    message: '$property must be 3 to 24 digits, optionally after a +',
  });
}

export function IsCalendarDate() {
  return applyDecorators(
    Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date (YYYY-MM-DD)' }),
    IsISO8601({ strict: true }, { message: '$property must be a valid date (YYYY-MM-DD)' }),
  );
}

export function IsCustomerRef() {
  return applyDecorators(
    IsString(),
    Length(1, CUSTOMER_REF_MAX_LENGTH),
    Matches(/^\S(?:.*\S)?$/u, { message: 'customerRef must not start or end with whitespace' }),
    Matches(NO_CONTROL_CHARACTERS, { message: 'customerRef must not contain control characters' }),
  );
}

export function IsLanguagePreference() {
  return Matches(/^[A-Za-z]{2,3}$/, {
    message: 'languagePreference must be a 2- or 3-letter language code, e.g. NO or EN',
  });
}

export function IsInvoiceOrganisationId() {
  return Matches(/^\d{9}$/, {
    message: 'invoiceOrganisationId must be a 9-digit organisation number',
  });
}

export function IsShortText(maxLength: number) {
  return applyDecorators(
    IsString(),
    IsNotEmpty(),
    MaxLength(maxLength),
    Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' }),
  );
}
