import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ConsentResponseDto } from './consent.dto';
import { PageQueryDto } from '../../../common/http/page-query.dto';
import {
  IsBoolean,
  IsDate,
  IsDateString,
  IsEmail,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { ErrorCode } from '../../../common/errors/error-codes';
import { withErrorCode } from '../../../common/http/validation-exception.factory';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

/**
 * Who made the change: person or system, and through which channel (GDPR traceability). Here and
 * in the contact fields below, null means none (and clears the field on a change).
 */
class ChangedByDto {
  @ApiPropertyOptional({ nullable: true, example: 'kundesenter-ola', maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  changedBy?: string;

  @ApiPropertyOptional({ nullable: true, example: 'crm', maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  changedByChannel?: string;
}

class ContactDto extends ChangedByDto {
  @ApiPropertyOptional({
    nullable: true,
    example: '2030-12-31',
    format: 'date',
    description: 'Last day the consent applies',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'expirationDate must be an ISO 8601 date' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'expirationDate must be an ISO 8601 date' })
  expirationDate?: string;

  @ApiPropertyOptional({ nullable: true, example: 'kari@example.com', maxLength: 80 })
  @IsOptional()
  @IsEmail({}, withErrorCode(ErrorCode.InvalidEmail))
  @MaxLength(80)
  email?: string;

  @ApiPropertyOptional({ nullable: true, example: '+47', maxLength: 4 })
  @IsOptional()
  @Matches(/^\+\d{1,3}$/, {
    message: 'countryCode must be + and 1-3 digits',
    ...withErrorCode(ErrorCode.InvalidTelephoneNumber),
  })
  countryCode?: string;

  @ApiPropertyOptional({ nullable: true, example: '91234567', maxLength: 25 })
  @IsOptional()
  @Matches(/^\d{3,25}$/, {
    message: 'telephoneNumber must be 3-25 digits',
    ...withErrorCode(ErrorCode.InvalidTelephoneNumber),
  })
  telephoneNumber?: string;
}

export class CreateGivenConsentDto extends ContactDto {
  @ApiProperty({ type: 'integer', format: 'int64', example: 10000001 })
  @IsInt()
  @Min(1)
  customerNumber: number;

  @ApiProperty({ example: 1001, description: 'The organisation consent answered' })
  @IsInt()
  @Min(1)
  consentId: number;

  @ApiProperty({ example: true, description: 'true: approved; false: declined' })
  @IsBoolean()
  consentChoice: boolean;

  @ApiProperty({ example: 'app', maxLength: 100, description: 'Where the customer answered' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  distributionChannel: string;
}

/** Leaves an absent member unchanged; a null is validated (and refused), as it cannot be cleared. */
const present = (_: object, value: unknown) => value !== undefined;

export class ChangeGivenConsentDto extends ContactDto {
  @ApiPropertyOptional({
    example: false,
    description: 'false withdraws the consent; cannot be null',
  })
  @ValidateIf(present)
  @IsBoolean()
  consentChoice?: boolean;

  @ApiPropertyOptional({ example: 'web', maxLength: 100, description: 'Cannot be null' })
  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  distributionChannel?: string;
}

export class WithdrawGivenConsentQueryDto extends ChangedByDto {}

export class GetGivenConsentQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Answer as the consent stood at this moment (404 before it was given)',
  })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : value,
  )
  @IsDate({ message: 'at must be an ISO 8601 date-time' })
  at?: Date;
}

export class ListGivenConsentsQueryDto extends PageQueryDto {
  @ApiProperty({ example: 10000001 })
  @Transform(toInt)
  @IsInt({ message: 'customerNumber must be a positive integer' })
  @Min(1)
  customerNumber: number;
}

export class GivenConsentResponseDto {
  @ApiProperty({ example: 1000001 }) id: number;
  @ApiProperty({ type: 'integer', example: 10000001, format: 'int64' }) customerNumber: number;
  @ApiProperty({ example: 1001 }) consentId: number;
  @ApiProperty({ example: 'ENT_INFO_SMS' }) consentCode: string;
  @ApiProperty({ example: true }) consentChoice: boolean;
  @ApiProperty({ example: 'app' }) distributionChannel: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) expirationDate: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) countryCode: string | null;
  @ApiProperty({ type: String, nullable: true }) telephoneNumber: string | null;
  @ApiProperty({ example: 1, description: 'Organisation through which it was given' })
  createdByOrgId: number;
  @ApiProperty({ example: 1, description: 'Number of the latest history entry' })
  revision: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true }) createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiProperty({ type: String, nullable: true }) changedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) changedByChannel: string | null;
  @ApiProperty({
    type: () => ConsentResponseDto,
    description: 'The consent answered, with its base version (the terms)',
  })
  consent: ConsentResponseDto;
}

export class GivenConsentHistoryEntryDto {
  @ApiProperty({ example: 1 }) revision: number;
  @ApiProperty({ enum: ['GIVEN', 'DECLINED', 'WITHDRAWN', 'CHANGED'] }) event: string;
  @ApiProperty({ example: true }) consentChoice: boolean;
  @ApiProperty({ example: 'app' }) distributionChannel: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) expirationDate: string | null;
  @ApiProperty({ type: String, nullable: true }) changedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) changedByChannel: string | null;
  @ApiProperty({ example: 'partner-crm', description: 'OAuth client that made the change' })
  clientId: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}
