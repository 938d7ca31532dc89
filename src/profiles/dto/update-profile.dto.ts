import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AUDIT_FIELD_MAX_LENGTH,
  IsProfileName,
  IsBodyOrganisationId,
  IsIgnoredText,
  IsShortText,
  NAME_MAX_LENGTH,
} from './profile-field-rules';
import { ProfileContactFieldsDto } from './create-profile.dto';

/**
 * PUT: the full set of editable fields. An optional field left out is cleared, except
 * `customerRef`, which keeps its value when left out.
 */
export class UpdateProfileDto extends ProfileContactFieldsDto {
  @ApiProperty({ example: 'Ola', maxLength: NAME_MAX_LENGTH })
  @IsProfileName()
  firstName: string;

  @ApiProperty({ example: 'Nordmann', maxLength: NAME_MAX_LENGTH })
  @IsProfileName()
  surname: string;

  @ApiProperty({
    example: 'crm-user-17',
    maxLength: AUDIT_FIELD_MAX_LENGTH,
    description: 'Who makes the change',
  })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  changedBy: string;

  @ApiProperty({
    example: 'crm',
    maxLength: AUDIT_FIELD_MAX_LENGTH,
    description: 'The channel or system making the change',
  })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  changedByChannel: string;

  @ApiPropertyOptional({
    nullable: true,
    example: 1,
    deprecated: true,
    description:
      "Accepted for compatibility; when given it must be the token's organisation (else 403)",
  })
  @IsBodyOrganisationId()
  organisationId?: number;

  @ApiPropertyOptional({
    nullable: true,
    maxLength: 128,
    writeOnly: true,
    deprecated: true,
    description:
      'Accepted for compatibility and ignored: the password is changed with PUT /profiles/{customerNumber}/password',
  })
  @IsIgnoredText(128)
  password?: string;
}
