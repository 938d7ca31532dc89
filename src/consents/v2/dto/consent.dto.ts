import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBodyOrganisationId } from '../../../common/errors/own-organisation';
import { ConsentBaseResponseDto } from './consent-base.dto';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateIf,
} from 'class-validator';

const toDate = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : value;

/** 'true'/'false' query strings to booleans; anything else stays and fails validation. */
export const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class CreateConsentDto {
  @ApiProperty({ example: 'ENT_INFO_SMS', maxLength: 20 })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,20}$/, { message: 'consentCode must be 1-20 letters, digits, _ or -' })
  consentCode: string;

  @ApiPropertyOptional({ example: 1, description: 'Base version; the latest active if absent' })
  @IsOptional()
  @IsInt()
  @Min(1)
  consentBaseVersion?: number;

  @ApiPropertyOptional({ example: true, default: false })
  @IsOptional()
  @IsBoolean()
  isSmsSupported?: boolean;

  @ApiPropertyOptional({ example: false, default: false })
  @IsOptional()
  @IsBoolean()
  isEmailSupported?: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'From when it applies; now if absent' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'validFrom must be an ISO 8601 date-time' })
  validFrom?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Until when; open-ended if absent' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'validTo must be an ISO 8601 date-time' })
  validTo?: Date;

  @ApiPropertyOptional({
    nullable: true,
    example: 1,
    deprecated: true,
    description:
      "Accepted for compatibility: the consent belongs to the token's organisation; another one answers 403",
  })
  @IsBodyOrganisationId()
  organisationId?: number;
}

export class UpdateConsentDto {
  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  isSmsSupported?: boolean;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  isEmailSupported?: boolean;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'validFrom must be an ISO 8601 date-time' })
  validFrom?: Date;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Set it to retire the consent; null makes it open-ended again',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @Transform(toDate)
  @IsDate({ message: 'validTo must be an ISO 8601 date-time' })
  validTo?: Date | null;

  @ApiPropertyOptional({
    nullable: true,
    example: 1,
    deprecated: true,
    description:
      "Accepted for compatibility: the consent belongs to the token's organisation; another one answers 403",
  })
  @IsBodyOrganisationId()
  organisationId?: number;
}

export class ListConsentsQueryDto {
  @ApiPropertyOptional({
    example: '1',
    deprecated: true,
    description:
      "Accepted for compatibility (comma-separated organisation ids): only the token's organisation is ever listed, so a list without it finds nothing",
  })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
          .map((v) => (/^\d{1,15}$/.test(v) ? Number(v) : v))
      : value,
  )
  @IsArray()
  @ArrayMaxSize(100)
  @IsInt({ each: true, message: 'organisationIds must be comma-separated organisation ids' })
  organisationIds?: number[];

  @ApiPropertyOptional({
    example: 'ENT_INFO_SMS,ENT_INFO_EMAIL',
    description: 'Comma-separated consent codes; all when absent',
  })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : value,
  )
  @ArrayMaxSize(100)
  @Matches(/^[A-Za-z0-9_-]{1,20}$/, { each: true, message: 'consentCodes must be consent codes' })
  consentCodes?: string[];

  @ApiPropertyOptional({
    example: 'CURRENT',
    default: 'CURRENT',
    description:
      '`CURRENT` (per code, the consent on the highest base version), `ALL`, or comma-separated base versions',
  })
  @IsOptional()
  @Matches(/^(ALL|CURRENT|\d{1,6}(,\d{1,6})*)$/, {
    message: 'versions must be ALL, CURRENT or comma-separated version numbers',
  })
  versions?: string;

  @ApiPropertyOptional({
    example: false,
    default: false,
    description: 'Include consents outside their validFrom/validTo window',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeInactive?: boolean;
}

export class ConsentResponseDto {
  @ApiProperty({ example: 1001 }) id: number;
  @ApiProperty({ example: 1 }) organisationId: number;
  @ApiProperty({ example: 'ENT_INFO_SMS' }) consentCode: string;
  @ApiProperty({ example: 1 }) consentBaseVersion: number;
  @ApiProperty({ example: true }) isSmsSupported: boolean;
  @ApiProperty({ example: false }) isEmailSupported: boolean;
  @ApiProperty({ format: 'date-time' }) validFrom: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) validTo: string | null;
  @ApiProperty({ example: true, description: 'Within validFrom/validTo now' }) active: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiProperty({
    type: () => ConsentBaseResponseDto,
    description:
      'The base version this consent uses: the terms the customer agrees to (internalDescription only for its owner)',
  })
  consentBase: ConsentBaseResponseDto;
}
