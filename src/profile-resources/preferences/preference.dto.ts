import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { OptionalNotNull } from '../resource-routes';
import { ResourceDefinition, Row, toIso } from '../resource-definition';

export class PreferenceRequestDto {
  @ApiProperty({
    example: 'WHEELCHAIR',
    maxLength: 50,
    description: "The organisation's code of the preference; one entry per code and customer",
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

  @ApiPropertyOptional({ default: true })
  @OptionalNotNull()
  @IsBoolean()
  isActive?: boolean = true;
}

export class PreferenceResponseDto {
  @ApiProperty({ example: 1, format: 'int64' }) id: number;
  @ApiProperty({ example: 10000001, format: 'int64' }) customerNumber: number;
  @ApiProperty({ example: 'WHEELCHAIR' }) preferenceCode: string;
  @ApiProperty({ example: 'ASSISTANCE' }) preferenceType: string;
  @ApiProperty({ type: String, nullable: true, example: 'Needs a wheelchair space' })
  preferenceDescription: string | null;
  @ApiProperty({ example: true }) isActive: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

export const PREFERENCES: ResourceDefinition<PreferenceResponseDto> = {
  table: 'preferences',
  noun: 'Preference',
  auditName: 'PREFERENCE',
  columns: {
    preferenceCode: 'preference_code',
    preferenceType: 'preference_type',
    preferenceDescription: 'preference_description',
    isActive: 'is_active',
  },
  toResponse: (row: Row) => ({
    id: Number(row.id),
    customerNumber: Number(row.customer_number),
    preferenceCode: row.preference_code,
    preferenceType: row.preference_type,
    preferenceDescription: row.preference_description,
    isActive: row.is_active,
    createdAt: toIso(row.created_at)!,
    changedAt: toIso(row.changed_at)!,
  }),
};
