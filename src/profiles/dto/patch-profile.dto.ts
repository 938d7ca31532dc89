import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import {
  AUDIT_FIELD_MAX_LENGTH,
  IsProfileName,
  IsShortText,
  NAME_MAX_LENGTH,
} from './profile-field-rules';
import { ProfileReplaceFieldsDto } from './profile-replace-fields.dto';

const present = (_: object, value: unknown) => value !== undefined;

/**
 * PATCH (JSON Merge Patch, RFC 7396): a member left out keeps its value, a member set to `null`
 * is cleared (`customerRef` then returns to the customer number). `firstName` and `surname` may be
 * changed but not cleared; `changedBy` and `changedByChannel` are required on every change.
 */
@ApiSchema({
  description:
    'JSON Merge Patch (RFC 7396): a member left out keeps its value; null clears a nullable ' +
    'member (customerRef then returns to the customer number). firstName, surname, changedBy ' +
    'and changedByChannel cannot be null (400).',
})
export class PatchProfileDto extends ProfileReplaceFieldsDto {
  @ApiPropertyOptional({
    example: 'Kari',
    maxLength: NAME_MAX_LENGTH,
    description: 'Cannot be null',
  })
  @ValidateIf(present)
  @IsProfileName()
  firstName?: string;

  @ApiPropertyOptional({
    example: 'Nordmann',
    maxLength: NAME_MAX_LENGTH,
    description: 'Cannot be null',
  })
  @ValidateIf(present)
  @IsProfileName()
  surname?: string;

  @ApiProperty({ example: 'crm-user-17', maxLength: AUDIT_FIELD_MAX_LENGTH })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  changedBy: string;

  @ApiProperty({ example: 'crm', maxLength: AUDIT_FIELD_MAX_LENGTH })
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  changedByChannel: string;
}
