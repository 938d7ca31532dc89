import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsBodyOrganisationId } from '../../common/errors/own-organisation';
import { AUDIT_FIELD_MAX_LENGTH, IsShortText } from '../../profiles/dto/profile-field-rules';

/** Who asks for a connect or a merge, as every Entur write names it. */
class ProfileJoinChangeDto {
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
}

/** A customer number in a body: a positive integer below 2^53, as the path parameter. */
function IsCustomerNumber() {
  const message = 'customerNumber must be a positive integer';
  return applyDecorators(
    IsInt({ message }),
    Min(1, { message }),
    // Customer numbers stay below 2^53; a larger one names no customer and is not exact in JSON.
    Max(Number.MAX_SAFE_INTEGER, { message }),
  );
}

/** The body of a connect: the permanent profile the temporary one joins. */
export class ConnectTemporaryProfileDto extends ProfileJoinChangeDto {
  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 1,
    example: 10000001,
    description:
      'The permanent profile of your organisation that receives the temporary profile and survives',
  })
  @IsCustomerNumber()
  customerNumber: number;
}

/** The body of a merge: the permanent profile merged into the one of the path. */
export class MergeProfilesDto extends ProfileJoinChangeDto {
  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 1,
    example: 10000002,
    description:
      'The permanent profile of your organisation merged into the one of the path and then deactivated',
  })
  @IsCustomerNumber()
  customerNumber: number;
}
