import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import { toBoolean } from './consent.dto';
import { PageQueryDto } from '../../../common/http/page-query.dto';

export class CrmQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    type: String,
    example: '1001,1002',
    description: 'Comma-separated consent ids; all when absent',
  })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string'
      ? value.split(',').map((v) => (/^\d{1,15}$/.test(v.trim()) ? Number(v) : v))
      : value,
  )
  @ArrayMaxSize(1000)
  @IsInt({ each: true, message: 'consentIds must be comma-separated integers' })
  @Min(1, { each: true })
  consentIds?: number[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeEmail?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeTelephoneNumber?: boolean;
}

export class ConsentCrmResponseDto {
  @ApiProperty({ example: 1000001 }) givenConsentId: number;
  @ApiProperty({ example: 1001 }) consentId: number;
  @ApiProperty({ example: 'ENT_INFO_SMS' }) consentCode: string;
  @ApiProperty({ example: 1 }) consentBaseVersion: number;
  @ApiProperty({ example: 1 }) consentOrganisationId: number;
  @ApiProperty({ example: 1 }) createdByOrgId: number;
  @ApiProperty({ type: 'integer', example: 10000001, format: 'int64' }) customerNumber: number;
  @ApiProperty({ example: '10000001' }) customerRef: string;
  @ApiProperty({ example: true }) consentChoice: boolean;
  @ApiProperty({ example: 'app' }) distributionChannel: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'With includeEmail=true' })
  email?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'With includeTelephoneNumber=true',
  })
  countryCode?: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'With includeTelephoneNumber=true',
  })
  telephoneNumber?: string | null;
}
