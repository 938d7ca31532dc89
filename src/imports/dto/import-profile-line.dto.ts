import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { CreateGivenConsentDto } from '../../consents/v2/dto/given-consent.dto';
import { passwordHashAlgorithm } from '../../passwords/imported-password-hash';
import { CreateProfileDto } from '../../profiles/dto/create-profile.dto';
import { CustomerAccountRequestDto } from '../../profile-resources/customer-accounts/customer-account.dto';
import { EcardRequestDto } from '../../profile-resources/ecards/ecard.dto';
import { LoyaltyProgramRequestDto } from '../../profile-resources/loyalty-programs/loyalty-program.dto';
import { PostalAddressRequestDto } from '../../profile-resources/postal-addresses/postal-address.dto';
import { PreferenceRequestDto } from '../../profile-resources/preferences/preference.dto';
import { ErrorCode } from '../../common/errors/error-codes';
import { withErrorCode } from '../../common/http/validation-exception.factory';

/** Sub-resources of one imported profile, each at most this many. */
export const MAX_NESTED_ITEMS = 50;

/** A given consent of an imported profile: the create's body without customerNumber. */
export class ImportGivenConsentDto extends OmitType(CreateGivenConsentDto, [
  'customerNumber',
] as const) {}

function nested<T>(type: () => new () => T) {
  return [IsOptional(), IsArray(), ArrayMaxSize(MAX_NESTED_ITEMS), ValidateNested(), Type(type)];
}

function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/**
 * One line of an import file: a profile in the single create's shape (the same rules and error
 * codes), its sub-resources and given consents nested as the access export shows them, and
 * optionally the password hash it had in the system it comes from.
 */
export class ImportProfileLineDto extends CreateProfileDto {
  @ApiPropertyOptional({
    example: '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW',
    maxLength: 500,
    writeOnly: true,
    description:
      'The password hash from the previous system, stored as it is: bcrypt (`$2a$`, `$2b$`, ' +
      '`$2y$`), PBKDF2-SHA256 (PHC `$pbkdf2-sha256$i=…$salt$hash`, passlib ' +
      '`$pbkdf2-sha256$29000$salt$hash` or Django `pbkdf2_sha256$iter$salt$hash`; at most ' +
      '10,000,000 iterations) or argon2 (PHC `$argon2id$…`, `$argon2i$…`, `$argon2d$…`). Sign-in ' +
      'verifies it with its algorithm and replaces it with an argon2id hash on the first success. ' +
      'Not together with password (errorCode 600)',
  })
  @IsOptional()
  @IsString(withErrorCode(ErrorCode.InvalidPassword))
  @MaxLength(500, withErrorCode(ErrorCode.InvalidPassword))
  @ValidateBy(
    {
      name: 'isImportedPasswordHash',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && passwordHashAlgorithm(value) !== undefined,
        defaultMessage: () =>
          'passwordHash must be a bcrypt, PBKDF2-SHA256 or argon2 hash in one of the documented forms',
      },
    },
    withErrorCode(ErrorCode.InvalidPassword),
  )
  passwordHash?: string;

  @ApiPropertyOptional({ type: [PostalAddressRequestDto], maxItems: MAX_NESTED_ITEMS })
  @apply(nested(() => PostalAddressRequestDto))
  postalAddresses?: PostalAddressRequestDto[];

  @ApiPropertyOptional({ type: [PreferenceRequestDto], maxItems: MAX_NESTED_ITEMS })
  @apply(nested(() => PreferenceRequestDto))
  preferences?: PreferenceRequestDto[];

  @ApiPropertyOptional({ type: [EcardRequestDto], maxItems: MAX_NESTED_ITEMS })
  @apply(nested(() => EcardRequestDto))
  ecards?: EcardRequestDto[];

  @ApiPropertyOptional({ type: [LoyaltyProgramRequestDto], maxItems: MAX_NESTED_ITEMS })
  @apply(nested(() => LoyaltyProgramRequestDto))
  loyaltyPrograms?: LoyaltyProgramRequestDto[];

  @ApiPropertyOptional({ type: [CustomerAccountRequestDto], maxItems: MAX_NESTED_ITEMS })
  @apply(nested(() => CustomerAccountRequestDto))
  customerAccounts?: CustomerAccountRequestDto[];

  @ApiPropertyOptional({
    type: [ImportGivenConsentDto],
    maxItems: MAX_NESTED_ITEMS,
    description: "The customer's answers to the organisation's consents (each consent once)",
  })
  @apply(nested(() => ImportGivenConsentDto))
  givenConsents?: ImportGivenConsentDto[];
}
