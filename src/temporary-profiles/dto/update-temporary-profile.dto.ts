import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_FIELD_MAX_LENGTH, IsShortText } from '../../profiles/dto/profile-field-rules';
import { TemporaryProfileFieldsDto } from './temporary-profile-fields.dto';

/** `TemporaryCustomerPutRequest`: every field is overwritten; one left out is cleared. */
export class UpdateTemporaryProfileDto extends TemporaryProfileFieldsDto {
  @ApiProperty({ example: 'crm-user-17', maxLength: AUDIT_FIELD_MAX_LENGTH })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  changedBy: string;

  @ApiProperty({ example: 'crm', maxLength: AUDIT_FIELD_MAX_LENGTH })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  changedByChannel: string;
}
