import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { SearchProfilesQueryDto } from '../../profiles/dto/search-profiles-query.dto';

/** The search's filters, all optional, without paging; plus changedSince for incremental feeds. */
export class ExportProfilesQueryDto extends OmitType(SearchProfilesQueryDto, [
  'maxResultSet',
  'cursor',
  'consistency',
]) {
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-11-01T00:00:00Z',
    description: 'Only profiles changed at or after this moment (ISO 8601 with a time zone)',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  changedSince?: string;
}
