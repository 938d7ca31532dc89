import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export const LEGACY_CHOICES = ['approved', 'declined'] as const;
export type LegacyChoice = (typeof LEGACY_CHOICES)[number];

export class PutCustomerConsentV1Dto {
  @ApiProperty({ enum: LEGACY_CHOICES, example: 'approved' })
  @IsIn(LEGACY_CHOICES, { message: 'consentChoice must be approved or declined' })
  consentChoice: LegacyChoice;

  @ApiProperty({ example: 'kundesenter-ola', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  changedBy: string;

  @ApiProperty({ example: 'web', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  changedByChannel: string;
}

/** The legacy `CustomerConsent`: one choice per customer and consent code. */
export class CustomerConsentV1Dto {
  @ApiProperty({ example: 10000001, description: 'The customer number' }) customerId: number;
  @ApiProperty({ example: 'ENT_INFO_SMS' }) consentCode: string;
  @ApiProperty({ enum: LEGACY_CHOICES, example: 'approved' }) consentChoice: LegacyChoice;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}
