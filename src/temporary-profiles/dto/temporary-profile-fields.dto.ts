import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { ProfileContactFieldsDto } from '../../profiles/dto/create-profile.dto';
import {
  IsCalendarDate,
  IsProfileName,
  NAME_MAX_LENGTH,
} from '../../profiles/dto/profile-field-rules';

/** The fields of a temporary profile, shared by create and replace: all optional but the date. */
export class TemporaryProfileFieldsDto extends PickType(ProfileContactFieldsDto, [
  'email',
  'countryCode',
  'telephoneNumberNoCountryCode',
  'telephoneNumber',
  'landlineNumber',
  'dateOfBirth',
  'languagePreference',
  'customerAccountId',
] as const) {
  @ApiProperty({
    example: '2026-12-31',
    format: 'date',
    description:
      'The last day (in the service time zone, TIME_ZONE) on which the profile exists; not in the past. From the first instant after it, the profile answers 404 and is deleted for good.',
  })
  @IsCalendarDate()
  expirationDate: string;

  @ApiPropertyOptional({ example: 'Kari', maxLength: NAME_MAX_LENGTH })
  @IsOptional()
  @IsProfileName()
  firstName?: string;

  @ApiPropertyOptional({ example: 'Nordmann', maxLength: NAME_MAX_LENGTH })
  @IsOptional()
  @IsProfileName()
  surname?: string;

  @ApiPropertyOptional({
    example: 1,
    description: "Optional; when given it must be the token's organisation (else 403)",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  organisationId?: number;
}
