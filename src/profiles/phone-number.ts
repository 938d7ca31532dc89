import { CountryCode, parsePhoneNumberFromString, PhoneNumber } from 'libphonenumber-js';
import metadata from 'libphonenumber-js/metadata.min.json';
import { ValidationDomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-codes';

/** The region a number without a country code belongs to when nothing else says. */
export const DEFAULT_PHONE_REGION: CountryCode = 'NO';

/** Characters people write in phone numbers: digits, a leading + and the usual separators. */
export const PHONE_TEXT_PATTERN = /^\+?[\d\s().\-/]{3,30}$/;
/** A country calling code as clients send it: `+47`, `47` or `0047`. */
export const COUNTRY_CODE_PATTERN = /^(?:\+|00)?\d{1,3}$/;

const callingCodes = (metadata as { country_calling_codes: Record<string, string[]> })
  .country_calling_codes;

/** The phone columns of a profile, all derived from one E.164 number. */
export interface PhoneColumns {
  country_code: string | null;
  telephone_number_no_country_code: string | null;
  telephone_number: string | null;
}

/** Phone fields as a body or a search gives them (undefined and null both mean not given). */
export interface PhoneInput {
  countryCode?: string | null;
  telephoneNumberNoCountryCode?: string | null;
  telephoneNumber?: string | null;
}

function invalid(field: string, message: string): ValidationDomainException {
  return new ValidationDomainException(
    message,
    [{ field, message, errorCode: ErrorCode.InvalidTelephoneNumber }],
    { errorCode: ErrorCode.InvalidTelephoneNumber },
  );
}

/** `+47`, `47` and `0047` → the digits `47`; null when absent. */
export function callingCodeDigits(countryCode: string | null | undefined): string | null {
  if (countryCode === null || countryCode === undefined) {
    return null;
  }
  const digits = countryCode.replace(/^(?:\+|00)/, '');
  if (!/^\d{1,3}$/.test(digits) || !callingCodes[digits]) {
    throw invalid('countryCode', `countryCode ${countryCode} is not a telephone country code`);
  }
  return digits;
}

/** Parses a written phone number: its own +/00 prefix wins, else the calling code, else Norway. */
function parse(text: string, callingCode: string | null): PhoneNumber | undefined {
  const region = callingCode ? callingCodes[callingCode][0] : DEFAULT_PHONE_REGION;
  // Non-geographic codes (+800 …) have no region ("001"); parse them by calling code alone.
  const options = /^[A-Z]{2}$/.test(region)
    ? { defaultCountry: region as CountryCode }
    : { defaultCallingCode: callingCode ?? undefined };
  try {
    return parsePhoneNumberFromString(text, options);
  } catch {
    return undefined;
  }
}

/**
 * One written phone number in E.164 (`+4798765432`); throws 400 (errorCode 605) when it is not a
 * possible number. The default region comes from `countryCode` when given, else Norway.
 */
export function toE164(field: string, text: string, countryCode?: string | null): PhoneNumber {
  if (!PHONE_TEXT_PATTERN.test(text)) {
    throw invalid(field, `${field} must be a telephone number: digits, optionally +, spaces or -`);
  }
  const number = parse(text, callingCodeDigits(countryCode));
  if (!number || !number.isPossible()) {
    throw invalid(field, `${field} is not a possible telephone number`);
  }
  return number;
}

/**
 * The stored form of a body's phone fields: the number in E.164 and the country code and
 * national number derived from it, whichever way it was written. `countryCode` +
 * `telephoneNumberNoCountryCode` win over the deprecated `telephoneNumber`; when both name a
 * number they must name the same one.
 */
export function normalisePhone(input: PhoneInput): PhoneColumns {
  const { countryCode, telephoneNumberNoCountryCode: national, telephoneNumber } = input;
  const fromPair = national ? toE164('telephoneNumberNoCountryCode', national, countryCode) : null;
  const fromCombined = telephoneNumber
    ? toE164('telephoneNumber', telephoneNumber, countryCode)
    : null;
  if (fromPair && fromCombined && fromPair.number !== fromCombined.number) {
    throw invalid(
      'telephoneNumber',
      'telephoneNumber and countryCode + telephoneNumberNoCountryCode name different numbers; send one of them',
    );
  }
  const number = fromPair ?? fromCombined;
  if (!number) {
    const digits = callingCodeDigits(countryCode);
    return {
      country_code: digits ? `+${digits}` : null,
      telephone_number_no_country_code: null,
      telephone_number: null,
    };
  }
  return {
    country_code: `+${number.countryCallingCode}`,
    telephone_number_no_country_code: number.nationalNumber,
    telephone_number: number.number,
  };
}

/** A landline (or any single) number in E.164, with the same default region rules. */
export function normaliseSingleNumber(
  field: string,
  text: string | null | undefined,
  countryCode?: string | null,
): string | null {
  return text ? toE164(field, text, countryCode).number : null;
}

/**
 * The E.164 number a search names, or null when it names none: the pair when both halves are
 * given, else `telephoneNumber` (its default region from `countryCode` when given).
 */
export function searchedPhoneNumber(input: PhoneInput): string | null {
  if (input.countryCode && input.telephoneNumberNoCountryCode) {
    return toE164(
      'telephoneNumberNoCountryCode',
      input.telephoneNumberNoCountryCode,
      input.countryCode,
    ).number;
  }
  if (input.telephoneNumber) {
    return toE164('telephoneNumber', input.telephoneNumber, input.countryCode).number;
  }
  return null;
}
