import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { AUDIT_FIELD_MAX_LENGTH, IsShortText } from './profile-field-rules';

export class DeactivateProfileQueryDto {
  @ApiPropertyOptional({
    example: '2026-12-31',
    description:
      'When the profile is deleted for good: a date (the end of that day in the service time ' +
      'zone) or a date-time; not in the past. Default: now + 72 hours.',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expirationDate?: string;

  @ApiPropertyOptional({
    example: 'crm-user-17',
    description: "Who deactivates; default: the token's client id",
  })
  @IsOptional()
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  changedBy?: string;

  @ApiPropertyOptional({ example: 'crm', description: 'Channel or system; default: api' })
  @IsOptional()
  @IsShortText(AUDIT_FIELD_MAX_LENGTH)
  changedByChannel?: string;
}
