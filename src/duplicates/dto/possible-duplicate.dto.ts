import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ProfileResponseDto } from '../../profiles/dto/profile-response.dto';

export const DUPLICATE_SIGNALS = ['EMAIL', 'TELEPHONE_NUMBER', 'NAME_AND_DATE_OF_BIRTH'] as const;
export type DuplicateSignal = (typeof DUPLICATE_SIGNALS)[number];

export const MAX_DUPLICATES_DEFAULT = 20;
export const MAX_DUPLICATES_LIMIT = 100;

export class PossibleDuplicatesQueryDto {
  @ApiPropertyOptional({
    type: Number,
    default: MAX_DUPLICATES_DEFAULT,
    minimum: 1,
    maximum: MAX_DUPLICATES_LIMIT,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_DUPLICATES_LIMIT)
  maxResultSet?: number;
}

/** Another profile of the organisation that is likely the same person, and why. */
export class PossibleDuplicateDto {
  @ApiProperty({
    minimum: 0,
    maximum: 1,
    example: 0.94,
    description: 'Likelihood that both profiles are one person, from the signals combined',
  })
  score: number;

  @ApiProperty({
    enum: DUPLICATE_SIGNALS,
    isArray: true,
    example: ['TELEPHONE_NUMBER', 'NAME_AND_DATE_OF_BIRTH'],
    description:
      'EMAIL: the same address (normal form); TELEPHONE_NUMBER: the same number (E.164); ' +
      'NAME_AND_DATE_OF_BIRTH: the same date of birth and a similar full name (trigrams)',
  })
  signals: DuplicateSignal[];

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 1,
    example: 0.82,
    description: 'Trigram similarity of the full names when the dates of birth are the same',
  })
  nameSimilarity: number | null;

  @ApiProperty({ type: ProfileResponseDto }) profile: ProfileResponseDto;
}
