import { ApiPropertyOptional } from '@nestjs/swagger';
import { ProfileContactFieldsDto } from './create-profile.dto';
import { IsBodyOrganisationId } from '../../common/errors/own-organisation';
import {
  IsIgnoredText,
  IsPermanentProfileType,
  PERMANENT_PROFILE_TYPES,
  PermanentProfileType,
} from './profile-field-rules';
import { PERSONNEL_TICKET_RULE } from '../profile-lifecycle';

/** The contact fields, plus what Entur's PUT and PATCH bodies also carry. */
export class ProfileReplaceFieldsDto extends ProfileContactFieldsDto {
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

  @ApiPropertyOptional({
    enum: PERMANENT_PROFILE_TYPES,
    example: 'S',
    description:
      'S standard or P personnel-ticket customer; left out, it keeps its value (not null; T ' +
      'is refused). ' +
      PERSONNEL_TICKET_RULE,
  })
  @IsPermanentProfileType()
  profileType?: PermanentProfileType;
}
