import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const EVENT_FEED_MAX_LIMIT = 1000;

export class EventFeedQueryDto {
  @ApiPropertyOptional({
    description: 'The `next` of the previous page; omitted: from the oldest event kept',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after?: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: EVENT_FEED_MAX_LIMIT, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(EVENT_FEED_MAX_LIMIT)
  limit?: number;
}
