import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const MAX_INTERNAL_DESCRIPTIONS = 20;
const MAX_DESCRIPTION_MEMBERS = 10;

/**
 * Entur sends internalDescription as a list of InternalDescriptionRequest objects; a list whose
 * items are objects of text members becomes one line per item. Anything else is left as it came,
 * so validation names it.
 */
function internalDescriptionText({ value }: { value: unknown }): unknown {
  if (!Array.isArray(value) || value.length > MAX_INTERNAL_DESCRIPTIONS) {
    return value;
  }
  const lines: string[] = [];
  for (const item of value as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return value;
    }
    const members = Object.values(item as Record<string, unknown>);
    if (
      members.length > MAX_DESCRIPTION_MEMBERS ||
      !members.every((member) => typeof member === 'string')
    ) {
      return value;
    }
    lines.push(members.join(': '));
  }
  return lines.join('\n');
}

export class ConsentTermDto {
  @ApiProperty({ example: 'nob', maxLength: 10, description: 'Language of this text' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10)
  language: string;

  @ApiProperty({ example: 'Nyheter på SMS', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  shortText: string;

  @ApiProperty({
    example: 'Vi sender deg tilbud og nyheter på SMS. Markdown er tillatt.',
    maxLength: 20000,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  longText: string;
}

export class UpdateConsentBaseDto {
  @ApiProperty({ type: [ConsentTermDto], description: 'The terms in one or more languages' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ConsentTermDto)
  terms: ConsentTermDto[];

  @ApiPropertyOptional({
    description:
      "Use cases, for the organisation only. Text, or Entur's list of InternalDescriptionRequest " +
      'objects (at most 20, each with up to 10 text members, e.g. {"language": "nob", "description": "…"}); ' +
      'a list is stored as text, one line per object with its members joined by ": ", and ' +
      'answered as that text. At most 2000 characters either way.',
    oneOf: [
      { type: 'string', maxLength: 2000 },
      {
        type: 'array',
        maxItems: MAX_INTERNAL_DESCRIPTIONS,
        items: {
          type: 'object',
          maxProperties: MAX_DESCRIPTION_MEMBERS,
          additionalProperties: { type: 'string', maxLength: 2000 },
        },
      },
    ],
  })
  @IsOptional()
  @Transform(internalDescriptionText)
  @IsString({
    message:
      'internalDescription must be a string or a list of at most 20 objects with text members',
  })
  @MaxLength(2000)
  internalDescription?: string;
}

export class CreateConsentBaseDto extends UpdateConsentBaseDto {
  @ApiProperty({
    example: 'ENT_INFO_SMS',
    maxLength: 20,
    pattern: '^[A-Za-z0-9_-]{1,20}$',
    description: 'Unique system-wide; prefix it with your codespace',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,20}$/, {
    message: 'consentCode must be 1-20 letters, digits, _ or -',
  })
  consentCode: string;

  @ApiPropertyOptional({
    nullable: true,
    example: 1,
    deprecated: true,
    description:
      "Accepted for compatibility: the base belongs to the token's organisation; another one answers 403",
  })
  @IsOptional()
  @IsInt({ message: 'consentOwnerOrgId must be an integer' })
  @Min(1)
  consentOwnerOrgId?: number;

  @ApiPropertyOptional({
    nullable: true,
    maxLength: 100,
    deprecated: true,
    description: 'Accepted for compatibility and ignored: terms are stored as written',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  orgNameSubstitutionPattern?: string;
}

export class ConsentBaseResponseDto {
  @ApiProperty({ example: 'ENT_INFO_SMS' }) consentCode: string;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ enum: ['DRAFT', 'ACTIVE'], description: 'Drafts are editable; active is final' })
  status: 'DRAFT' | 'ACTIVE';
  @ApiProperty({ example: 1, description: 'Organisation that owns the terms' })
  consentOwnerOrgId: number;
  @ApiProperty({ type: [ConsentTermDto] }) terms: ConsentTermDto[];
  @ApiProperty({ type: String, nullable: true }) internalDescription: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) activatedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}
