import {
  registerDecorator,
  ValidationArguments,
  ValidationOptions,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { ErrorCode } from '../common/errors/error-codes';
import { withErrorCode } from '../common/http/validation-exception.factory';

/** Post code formats of the countries the platform sells in; anything else gets a loose check. */
const POST_CODE_FORMATS: Record<string, { pattern: RegExp; description: string }> = {
  NO: { pattern: /^\d{4}$/, description: '4 digits' },
  DK: { pattern: /^\d{4}$/, description: '4 digits' },
  SE: { pattern: /^\d{3} ?\d{2}$/, description: '5 digits, optionally as "123 45"' },
  FI: { pattern: /^\d{5}$/, description: '5 digits' },
  DE: { pattern: /^\d{5}$/, description: '5 digits' },
  GB: {
    pattern: /^(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$/i,
    description: 'a UK postcode such as "SW1A 1AA"',
  },
};
const OTHER_COUNTRIES = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9]$/,
  description: '3 to 10 letters or digits',
};

/** The expected format of a post code in `countryCode` (ISO 3166 alpha-2). */
export function postCodeFormat(countryCode: string): { pattern: RegExp; description: string } {
  return POST_CODE_FORMATS[countryCode.toUpperCase()] ?? OTHER_COUNTRIES;
}

export function isValidPostCode(postCode: unknown, countryCode: string): boolean {
  return typeof postCode === 'string' && postCodeFormat(countryCode).pattern.test(postCode);
}

@ValidatorConstraint({ name: 'isPostCode' })
class PostCodeConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return isValidPostCode(value, countryOf(args));
  }

  defaultMessage(args: ValidationArguments): string {
    const country = countryOf(args);
    return `postCode must be ${postCodeFormat(country).description} for country ${country}`;
  }
}

function countryOf(args: ValidationArguments): string {
  const country = (args.object as { countryCode?: unknown }).countryCode;
  return typeof country === 'string' && country ? country : DEFAULT_COUNTRY;
}

export const DEFAULT_COUNTRY = 'NO';

/** The post code matches its country's format (the object's `countryCode`, default NO); errorCode 604. */
export function IsPostCode(options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      target: target.constructor,
      propertyName: propertyName as string,
      options: { ...withErrorCode(ErrorCode.InvalidPostCode), ...options },
      validator: PostCodeConstraint,
    });
}
