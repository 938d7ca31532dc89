import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export const IMPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** `true`/`false` in any case; anything else stays and fails validation. */
const toBoolean = ({ value }: { value: unknown }) => {
  const text = typeof value === 'string' ? value.toLowerCase() : value;
  return text === 'true' ? true : text === 'false' ? false : value;
};

export class StartImportQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Validate every line and report as a real import would, writing no profile',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  dryRun?: boolean;
}

export class GetImportQueryDto {
  @ApiPropertyOptional({
    description:
      'The next page of the line report: the cursor of the previous full page, as its `Link: <…>; rel="next"` gives it',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;
}

export class ImportProgressDto {
  @ApiProperty({ example: 10000, description: 'Lines in the uploaded file (blank ones included)' })
  linesTotal: number;
  @ApiProperty({ example: 4200, description: 'Lines processed so far' })
  linesRead: number;
  @ApiProperty({ example: 4116, description: 'Profiles written so far (0 in a dry run)' })
  linesWritten: number;
}

export class ImportCountsDto {
  @ApiProperty({ example: 9800, description: 'Profiles created (in a dry run: that would be)' })
  created: number;
  @ApiProperty({
    example: 0,
    description:
      'Lines whose e-mail or customerRef already exists (in the organisation or earlier in the file)',
  })
  duplicates: number;
  @ApiProperty({ example: 200, description: 'Lines refused by validation or a rule of the create' })
  invalid: number;
}

export class ImportLineErrorDto {
  @ApiProperty({ example: 17, description: 'Line number in the uploaded file, from 1' })
  line: number;
  @ApiProperty({ enum: ['invalid', 'duplicate'], example: 'invalid' })
  kind: 'invalid' | 'duplicate';
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'email',
    description: 'The field, with the paths of validation errors (`postalAddresses[0].postCode`)',
  })
  field: string | null;
  @ApiProperty({ example: 603, description: 'The legacy errorCode the single create would give' })
  errorCode: number;
  @ApiProperty({ example: 'email must be a valid e-mail address' })
  message: string;
}

export class ImportJobResponseDto {
  @ApiProperty({ format: 'uuid', example: '0b6a3c2e-8f3e-4a53-9d55-0c5c1f0f6a11' })
  id: string;
  @ApiProperty({ enum: IMPORT_STATUSES, example: 'running' })
  status: ImportStatus;
  @ApiProperty({ example: false })
  dryRun: boolean;
  @ApiProperty({ type: ImportProgressDto })
  progress: ImportProgressDto;
  @ApiProperty({ type: ImportCountsDto })
  counts: ImportCountsDto;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why a failed job stopped (the lines before it stay as reported)',
  })
  failure: string | null;
  @ApiProperty({
    type: [ImportLineErrorDto],
    description:
      'The per-line report, in line order, at most 1,000 entries per page (Link rel="next" for more)',
  })
  errors: ImportLineErrorDto[];
}
