import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  CUSTOMER_REF_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  IsCalendarDate,
  IsCountryCode,
  IsInvoiceOrganisationId,
  IsPhoneNumber,
  IsPhoneNumberWithoutCountryCode,
  NAME_MAX_LENGTH,
} from './profile-field-rules';

export const MAX_RESULT_SET_DEFAULT = 100;
export const MAX_RESULT_SET_LIMIT = 1000;

/** `true`/`false` in any case; anything else stays and fails validation. */
const toBoolean = ({ value }: { value: unknown }) => {
  const text = typeof value === 'string' ? value.toLowerCase() : value;
  return text === 'true' ? true : text === 'false' ? false : value;
};

/** Search parameters; a profile matches when it matches every given one. */
export class SearchProfilesQueryDto {
  @ApiPropertyOptional({
    example: 'Ola',
    description: 'Case-insensitive; a trailing * matches a prefix',
  })
  @IsOptional()
  @IsString()
  @MaxLength(NAME_MAX_LENGTH + 1)
  firstName?: string;

  @ApiPropertyOptional({
    example: 'Nord*',
    description: 'Case-insensitive; a trailing * matches a prefix',
  })
  @IsOptional()
  @IsString()
  @MaxLength(NAME_MAX_LENGTH + 1)
  surname?: string;

  @ApiPropertyOptional({
    example: 'ola.nordmann@example.com',
    description: 'Case-insensitive, exact',
  })
  @IsOptional()
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  email?: string;

  @ApiPropertyOptional({ example: '10000001' })
  @IsOptional()
  @IsString()
  @MaxLength(CUSTOMER_REF_MAX_LENGTH)
  customerRef?: string;

  @ApiPropertyOptional({
    example: '+47',
    description:
      'Used only together with telephoneNumberNoCountryCode, or as the default country of telephoneNumber',
  })
  @IsOptional()
  @IsCountryCode()
  countryCode?: string;

  @ApiPropertyOptional({
    example: '98 76 54 32',
    description:
      'Used only together with countryCode; any written form, matched as the same E.164 number',
  })
  @IsOptional()
  @IsPhoneNumberWithoutCountryCode()
  telephoneNumberNoCountryCode?: string;

  @ApiPropertyOptional({
    example: '+4798765432',
    description:
      'Ignored when countryCode and telephoneNumberNoCountryCode are both given. Any written form (`+47 987 65 432`, `004798765432`, `98765432`); matched as the same E.164 number (country from countryCode, else Norway)',
  })
  @IsOptional()
  @IsPhoneNumber()
  telephoneNumber?: string;

  @ApiPropertyOptional({
    example: '22 33 44 55',
    description: 'Any written form; matched as the same E.164 number',
  })
  @IsOptional()
  @IsPhoneNumber()
  landlineNumber?: string;

  @ApiPropertyOptional({ example: 'vipps-8a7f', description: 'Exact' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  vippsId?: string;

  @ApiPropertyOptional({
    example: '987654321',
    description: 'Norwegian organisation number (9 digits) of invoice profiles',
  })
  @IsOptional()
  @IsInvoiceOrganisationId()
  invoiceOrganisationId?: string;

  @ApiPropertyOptional({
    example: 'Storgata 1*',
    description:
      'Profiles with a postal address whose first address line matches; case-insensitive, a trailing * matches a prefix',
  })
  @IsOptional()
  @IsString()
  @MaxLength(101)
  postalAddress?: string;

  @ApiPropertyOptional({
    example: '10000001',
    maxLength: 100,
    description:
      "Entur's personnel-ticket filter (owner of a ticket right). Accepted for compatibility: this " +
      'service keeps no personnel-ticket rights, so a search naming it matches no profile',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ticketRightOwner?: string;

  @ApiPropertyOptional({
    example: '10000002',
    maxLength: 100,
    description:
      "Entur's personnel-ticket filter (bearer of a ticket right). Accepted for compatibility: " +
      'this service keeps no personnel-ticket rights, so a search naming it matches no profile',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ticketRightBearer?: string;

  @ApiPropertyOptional({ example: '1990-05-17', format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  dateOfBirth?: string;

  @ApiPropertyOptional({
    example: '0155',
    description: 'Profiles with a postal address in this post code',
  })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  postCode?: string;

  @ApiPropertyOptional({
    enum: ['A', 'P', 'D'],
    description: 'Default: A and P; deactivated (D) profiles only when asked for',
  })
  @IsOptional()
  @IsIn(['A', 'P', 'D'])
  status?: 'A' | 'P' | 'D';

  @ApiPropertyOptional({
    enum: ['S', 'P', 'T'],
    description:
      'Only profiles of this type: S standard, P personnel-ticket customer, T temporary (T ' +
      'matches only with includeTemporary=true). A filter: it needs another criterion',
  })
  @IsOptional()
  @IsIn(['S', 'P', 'T'])
  profileType?: 'S' | 'P' | 'T';

  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Include temporary profiles that have not expired',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeTemporary?: boolean;

  @ApiPropertyOptional({
    type: Number,
    default: MAX_RESULT_SET_DEFAULT,
    minimum: 1,
    maximum: MAX_RESULT_SET_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_RESULT_SET_LIMIT)
  maxResultSet?: number;

  @ApiPropertyOptional({
    type: Number,
    description: "Optional; another organisation than the token's matches nothing (empty result)",
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  organisationId?: number;

  @ApiPropertyOptional({
    description:
      'The next page: the cursor of the previous full page, as its `Link: <…>; rel="next"` gives it',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;

  @ApiPropertyOptional({
    enum: ['strong', 'eventual'],
    default: 'strong',
    description:
      '`eventual` lets a read replica answer, which may miss changes of the last second or so ' +
      '(at most REPLICA_MAX_LAG_MS); `strong` (the default) reads the primary, so a profile is ' +
      'found as soon as it is created',
  })
  @IsOptional()
  @IsIn(['strong', 'eventual'])
  consistency?: 'strong' | 'eventual';
}
