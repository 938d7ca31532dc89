import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { OptionalNotNull } from '../resource-routes';

/** `true`/`false` in any case; anything else stays and fails validation. */
const toBoolean = ({ value }: { value: unknown }) => {
  const text = typeof value === 'string' ? value.toLowerCase() : value;
  return text === 'true' ? true : text === 'false' ? false : value;
};

/** Entur's "Add preference" body; a replace sets every field (a description left out is cleared). */
export class PreferenceDefinitionRequestDto {
  @ApiProperty({
    example: 'WHEELCHAIR',
    maxLength: 50,
    description:
      "Unique in the catalogue (409 when taken); the code a customer's preference refers to",
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  preferenceCode: string;

  @ApiProperty({ example: 'ASSISTANCE', maxLength: 50 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  preferenceType: string;

  @ApiPropertyOptional({
    type: String,
    example: 'Needs a wheelchair space',
    maxLength: 200,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  preferenceDescription?: string | null;

  @ApiPropertyOptional({
    default: true,
    description:
      "An inactive definition stays listed, but customers' preferences can no longer be written with its code (409)",
  })
  @OptionalNotNull()
  @IsBoolean()
  isActive?: boolean = true;
}

export class ListPreferenceDefinitionsQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Only active (true) or only inactive (false) definitions; all when left out',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  isActive?: boolean;
}

export class PreferenceDefinitionResponseDto {
  @ApiProperty({ example: 1, format: 'int64' }) id: number;
  @ApiProperty({ example: true }) isActive: boolean;
  @ApiProperty({ example: 'WHEELCHAIR' }) preferenceCode: string;
  @ApiProperty({ example: 'ASSISTANCE' }) preferenceType: string;
  @ApiProperty({ type: String, nullable: true, example: 'Needs a wheelchair space' })
  preferenceDescription: string | null;
  @ApiProperty({ example: 1, description: 'Increases with every change; also sent as the ETag' })
  version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}
