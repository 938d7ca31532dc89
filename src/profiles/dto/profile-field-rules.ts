import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  isISO6391,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { normaliseEmail } from '../../common/email/normalise-email';
import { ErrorCode } from '../../common/errors/error-codes';
import { withErrorCode } from '../../common/http/validation-exception.factory';
import { COUNTRY_CODE_PATTERN, PHONE_TEXT_PATTERN } from '../phone-number';

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
  return applyDecorators(
    IsString(withErrorCode(ErrorCode.InvalidTelephoneNumber)),
    Matches(COUNTRY_CODE_PATTERN, {
      ...withErrorCode(ErrorCode.InvalidTelephoneNumber),
      message: 'countryCode must be a telephone country code, e.g. +47',
    }),
  );
}

/** Digits with the separators people write (`98 76 54 32`, `070-123 45 67`); normalised on write. */
export function IsPhoneNumberWithoutCountryCode() {
  return IsPhoneNumber();
}

/** Any written form of a phone number (`+47 987 65 432`, `004798765432`); normalised to E.164. */
export function IsPhoneNumber() {
  return applyDecorators(
    IsString(withErrorCode(ErrorCode.InvalidTelephoneNumber)),
    Matches(PHONE_TEXT_PATTERN, {
      ...withErrorCode(ErrorCode.InvalidTelephoneNumber),
      message: '$property must be a telephone number: digits, optionally +, spaces or -',
    }),
  );
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

/** ISO 639-1, in either case: Entur's `NO` (Norwegian) and `EN` are codes of it. */
export function IsLanguagePreference() {
  return ValidateBy({
    name: 'isLanguagePreference',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isISO6391(value.toLowerCase()),
      defaultMessage: () =>
        'languagePreference must be an ISO 639-1 language code (2 letters), e.g. NO, NB or EN',
    },
  });
}

/**
 * Today's date where the day is furthest ahead (UTC+14), so that nobody's own today is ever
 * taken for the future.
 */
export function latestToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3600_000).toISOString().slice(0, 10);
}

/** A calendar date that is not in the future. */
export function IsBirthDate() {
  return applyDecorators(
    IsCalendarDate(),
    ValidateBy({
      name: 'isNotInFuture',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || value <= latestToday(),
        defaultMessage: () => 'dateOfBirth must not be in the future',
      },
    }),
  );
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

/** A field Entur's clients send that means nothing here: accepted, checked for type, ignored. */
export function IsIgnoredText(maxLength: number) {
  return applyDecorators(IsOptional(), IsString(), MaxLength(maxLength));
}

/** The types a permanent profile may have: standard or personnel-ticket customer. */
export const PERMANENT_PROFILE_TYPES = ['S', 'P'] as const;
export type PermanentProfileType = (typeof PERMANENT_PROFILE_TYPES)[number];

/**
 * `S` or `P`; optional, never null. A temporary profile (`T`) has its own routes, so asking for one
 * here is refused rather than quietly made permanent.
 */
export function IsPermanentProfileType() {
  return applyDecorators(
    ValidateIf((_: object, value: unknown) => value !== undefined),
    IsIn(PERMANENT_PROFILE_TYPES, {
      message:
        'profileType must be S (standard) or P (personnel-ticket customer); temporary profiles ' +
        'are created at POST /customers/v2/profiles/temporary',
    }),
  );
}
