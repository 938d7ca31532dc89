import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_FIELD_MAX_LENGTH, IsShortText } from '../../profiles/dto/profile-field-rules';
import { TemporaryProfileFieldsDto } from './temporary-profile-fields.dto';

/** `TemporaryCustomerPostRequest`: `expirationDate`, `createdBy`, `createdByChannel` required. */
export class CreateTemporaryProfileDto extends TemporaryProfileFieldsDto {
  @ApiProperty({ example: 'ticket-office-3', maxLength: AUDIT_FIELD_MAX_LENGTH })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  createdBy: string;

  @ApiProperty({ example: 'web', maxLength: AUDIT_FIELD_MAX_LENGTH })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  createdByChannel: string;
}
