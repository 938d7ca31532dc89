import { ApiProperty } from '@nestjs/swagger';
import {
  AUDIT_FIELD_MAX_LENGTH,
  IsProfileName,
  IsShortText,
  NAME_MAX_LENGTH,
} from './profile-field-rules';
import { ProfileReplaceFieldsDto } from './profile-replace-fields.dto';

/**
 * PUT: the full set of editable fields. An optional field left out is cleared, except
 * `customerRef`, which keeps its value when left out.
 */
export class UpdateProfileDto extends ProfileReplaceFieldsDto {
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
}
