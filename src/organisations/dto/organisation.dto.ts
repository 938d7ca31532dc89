import { ApiProperty } from '@nestjs/swagger';
import {
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MAX_ORGANISATION_ID } from '../../config/app-config';
import { Organisation } from '../organisation.entity';

export class CreateOrganisationDto {
  @ApiProperty({
    type: 'integer',
    format: 'int32',
    minimum: 1,
    maximum: MAX_ORGANISATION_ID,
    example: 3,
    description: "The id used in tokens' organisation claim",
  })
  @IsInt()
  @Min(1)
  @Max(MAX_ORGANISATION_ID)
  id: number;

  @ApiProperty({ example: 'Vy', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}

export class UpdateOrganisationDto {
  @ApiProperty({ example: 'Vy', maxLength: 200, required: false })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiProperty({
    example: false,
    required: false,
    description: "An inactive organisation's tokens get 403",
  })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class OrganisationResponseDto {
  @ApiProperty({ type: 'integer', format: 'int32', example: 1 }) id: number;
  @ApiProperty({ example: 'Entur' }) name: string;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

export function toOrganisationResponse(organisation: Organisation): OrganisationResponseDto {
  return {
    id: organisation.id,
    name: organisation.name,
    active: organisation.active,
    createdAt: organisation.createdAt.toISOString(),
    changedAt: organisation.changedAt.toISOString(),
  };
}
