import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MaxLength } from 'class-validator';
import { decodeCursor } from './page-cursor';

export const PAGE_SIZE_LIMIT = 1000;

/** A page of a list in id order: its size, and where the previous page ended. */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: Number,
    minimum: 1,
    maximum: PAGE_SIZE_LIMIT,
    description: 'Page size; a full page carries `Link: <…>; rel="next"`',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_SIZE_LIMIT)
  maxResultSet?: number;

  @ApiPropertyOptional({
    description: 'The next page: the cursor that the previous full page gave in its `Link`',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;
}

/** The keyset of a page request: rows after `after`, at most `limit`. */
export interface Page {
  after: bigint;
  limit: number;
}

export function pageOf(query: PageQueryDto, defaultSize: number): Page {
  return {
    after: query.cursor === undefined ? 0n : decodeCursor('cursor', query.cursor),
    limit: query.maxResultSet ?? defaultSize,
  };
}
