import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { IsPassword } from '../../passwords/password-policy';
import {
  AUDIT_FIELD_MAX_LENGTH,
  CUSTOMER_REF_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  IsBirthDate,
  IsCountryCode,
  IsCustomerRef,
  IsInvoiceOrganisationId,
  IsPermanentProfileType,
  IsLanguagePreference,
  IsPhoneNumber,
  IsPhoneNumberWithoutCountryCode,
  IsProfileEmail,
  IsProfileName,
  IsShortText,
  NAME_MAX_LENGTH,
  PERMANENT_PROFILE_TYPES,
  PermanentProfileType,
} from './profile-field-rules';
import { PERSONNEL_TICKET_RULE } from '../profile-lifecycle';

/**
 * The contact fields a partner may set on a permanent profile (create, replace and patch). Each may
 * be null: none on create and replace, cleared by a merge patch.
 */
export class ProfileContactFieldsDto {
  @ApiPropertyOptional({
    nullable: true,
    example: 'Nordmann-1',
    maxLength: CUSTOMER_REF_MAX_LENGTH,
    description:
      "The organisation's own reference, unique in the organisation; defaults to the customer number",
  })
  @IsOptional()
  @IsCustomerRef()
  customerRef?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: 'ola.nordmann@example.com',
    maxLength: EMAIL_MAX_LENGTH,
    description:
      'Stored in normal form (NFKC, trimmed, lower case; İ becomes i), in which it is unique among active profiles of the organisation and found by search and sign-in; errorCode 603 when malformed, 602 when taken',
  })
  @IsOptional()
  @IsProfileEmail()
  email?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: '+47',
    maxLength: 4,
    description:
      'Telephone country code (`+47`, `47` or `0047`; errorCode 605). Stored and returned as + and digits, derived from the normalised number',
  })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: '98765432',
    maxLength: 30,
    description:
      'Mobile number without the country code, in any written form (`98 76 54 32`, `070-123 45 67`); its country comes from countryCode, else Norway. Stored in E.164 with countryCode and returned as the national number (errorCode 605)',
  })
  @IsOptional()
  @IsPhoneNumberWithoutCountryCode()
  telephoneNumberNoCountryCode?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: '+4798765432',
    maxLength: 31,
    deprecated: true,
    description:
      'Deprecated: use countryCode + telephoneNumberNoCountryCode. Any written form (`+47 987 65 432`, `004798765432`); normalised to E.164. When the pair is given too, both must name the same number',
  })
  @IsOptional()
  @IsPhoneNumber()
  telephoneNumber?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: '22334455',
    maxLength: 31,
    description:
      'Landline number in any written form; normalised to E.164 (country from countryCode, else Norway; errorCode 605)',
  })
  @IsOptional()
  @IsPhoneNumber()
  landlineNumber?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: '1990-05-17',
    format: 'date',
    description: 'Not in the future',
  })
  @IsOptional()
  @IsBirthDate()
  dateOfBirth?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: 'NO',
    minLength: 2,
    maxLength: 2,
    description: 'ISO 639-1 language code, in either case (`NO`, `nb`, `EN`)',
  })
  @IsOptional()
  @IsLanguagePreference()
  languagePreference?: string;

  @ApiPropertyOptional({ nullable: true, example: 'vipps-8a7f', maxLength: 100 })
  @IsOptional()
  @IsShortText(100)
  vippsId?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: '987654321',
    description: 'Norwegian organisation number (9 digits), for invoice profiles',
  })
  @IsOptional()
  @IsInvoiceOrganisationId()
  invoiceOrganisationId?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: 'acc-1',
    maxLength: 60,
    deprecated: true,
    description:
      'Deprecated and not stored: accepted for compatibility and ignored; use /profiles/{customerNumber}/customer-accounts',
  })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  customerAccountId?: string;
}

export class CreateProfileDto extends ProfileContactFieldsDto {
  @ApiProperty({
    example: 'Ola',
    maxLength: NAME_MAX_LENGTH,
    description: 'First and middle names (errorCode 606)',
  })
  @IsProfileName()
  firstName: string;

  @ApiProperty({
    example: 'Nordmann',
    maxLength: NAME_MAX_LENGTH,
    description: 'Last name (errorCode 606)',
  })
  @IsProfileName()
  surname: string;

  @ApiProperty({
    example: 'web',
    maxLength: AUDIT_FIELD_MAX_LENGTH,
    description: 'Who creates the profile (user, employee or system)',
  })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  createdBy: string;

  @ApiProperty({
    example: 'web',
    maxLength: AUDIT_FIELD_MAX_LENGTH,
    description: 'The sales channel or system, e.g. web, app, crm',
  })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  createdByChannel: string;

  @ApiPropertyOptional({
    example: 1,
    description: "Optional; when given it must be the token's organisation (else 403)",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  organisationId?: number;

  @ApiPropertyOptional({
    enum: PERMANENT_PROFILE_TYPES,
    example: 'S',
    description:
      'S standard (default) or P personnel-ticket customer; T is refused (400): temporary ' +
      'profiles are created at POST /profiles/temporary. ' +
      PERSONNEL_TICKET_RULE,
  })
  @IsPermanentProfileType()
  profileType?: PermanentProfileType;

  @ApiPropertyOptional({
    example: 'abcD123',
    minLength: 7,
    maxLength: 128,
    writeOnly: true,
    description: 'Login password, stored only as an argon2id hash (errorCode 600)',
  })
  @IsOptional()
  @IsPassword()
  password?: string;
}
