import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { IsPassword } from '../../credentials/password-policy';
import {
  AUDIT_FIELD_MAX_LENGTH,
  CUSTOMER_REF_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  IsCalendarDate,
  IsCountryCode,
  IsCustomerRef,
  IsInvoiceOrganisationId,
  IsLanguagePreference,
  IsPhoneNumber,
  IsPhoneNumberWithoutCountryCode,
  IsProfileEmail,
  IsProfileName,
  IsShortText,
  NAME_MAX_LENGTH,
} from './profile-field-rules';

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
    description: 'Telephone country code, + and 1–3 digits (errorCode 605)',
  })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: '98765432',
    maxLength: 20,
    description: 'Mobile number without the country code (errorCode 605)',
  })
  @IsOptional()
  @IsPhoneNumberWithoutCountryCode()
  telephoneNumberNoCountryCode?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: '+4798765432',
    maxLength: 25,
    deprecated: true,
    description: 'Deprecated: use countryCode + telephoneNumberNoCountryCode',
  })
  @IsOptional()
  @IsPhoneNumber()
  telephoneNumber?: string;

  @ApiPropertyOptional({ nullable: true, example: '22334455', maxLength: 25 })
  @IsOptional()
  @IsPhoneNumber()
  landlineNumber?: string;

  @ApiPropertyOptional({ nullable: true, example: '1990-05-17', format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  dateOfBirth?: string;

  @ApiPropertyOptional({
    nullable: true,
    example: 'NO',
    maxLength: 3,
    description: '2- or 3-letter language code',
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
