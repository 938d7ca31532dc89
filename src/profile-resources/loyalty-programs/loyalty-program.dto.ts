import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateBy,
} from 'class-validator';
import { ResourceDefinition, Row, toIso } from '../resource-definition';

export const LOYALTY_PROGRAM_TYPES = ['TIMED', 'COUPONS', 'POINTS'] as const;
export type LoyaltyProgramType = (typeof LOYALTY_PROGRAM_TYPES)[number];

/** validTo, when given, lies after validFrom. */
function IsAfterValidFrom(): PropertyDecorator {
  return ValidateBy({
    name: 'isAfterValidFrom',
    validator: {
      validate: (value: unknown, args) => {
        const from = Date.parse(String((args?.object as { validFrom?: unknown }).validFrom));
        return typeof value !== 'string' || Number.isNaN(from) || Date.parse(value) > from;
      },
      defaultMessage: () => 'validTo must be after validFrom',
    },
  });
}

export class LoyaltyProgramRequestDto {
  @ApiProperty({
    enum: LOYALTY_PROGRAM_TYPES,
    example: 'TIMED',
    description:
      'TIMED: a period with benefits (e.g. a customer card); COUPONS: a number of uses; POINTS: a balance of points',
  })
  @IsIn(LOYALTY_PROGRAM_TYPES, {
    message: `loyaltyProgramType must be one of ${LOYALTY_PROGRAM_TYPES.join(', ')}`,
  })
  loyaltyProgramType: LoyaltyProgramType;

  @ApiProperty({
    example: 'STUDENT-2026',
    maxLength: 60,
    description: 'The program; a customer is enrolled once per program',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  programId: string;

  @ApiPropertyOptional({
    type: String,
    example: 'Student discount 2026',
    maxLength: 100,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  programName?: string | null;

  @ApiProperty({ example: '2026-01-01T00:00:00Z', format: 'date-time' })
  @IsISO8601({ strict: true })
  validFrom: string;

  @ApiPropertyOptional({
    type: String,
    example: '2026-12-31T23:59:59Z',
    format: 'date-time',
    nullable: true,
    description: 'After validFrom; open-ended when absent',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsAfterValidFrom()
  validTo?: string | null;
}

export class LoyaltyProgramResponseDto {
  @ApiProperty({ example: 1, format: 'int64' }) id: number;
  @ApiProperty({ example: 10000001, format: 'int64' }) customerNumber: number;
  @ApiProperty({ enum: LOYALTY_PROGRAM_TYPES, example: 'TIMED' })
  loyaltyProgramType: LoyaltyProgramType;
  @ApiProperty({ example: 'STUDENT-2026' }) programId: string;
  @ApiProperty({ type: String, nullable: true, example: 'Student discount 2026' })
  programName: string | null;
  @ApiProperty({ format: 'date-time' }) validFrom: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) validTo: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

export const LOYALTY_PROGRAMS: ResourceDefinition<LoyaltyProgramResponseDto> = {
  table: 'loyalty_programs',
  noun: 'Loyalty program',
  auditName: 'LOYALTY_PROGRAM',
  columns: {
    loyaltyProgramType: 'loyalty_program_type',
    programId: 'program_id',
    programName: 'program_name',
    validFrom: 'valid_from',
    validTo: 'valid_to',
  },
  notForTemporaryProfiles: true,
  toResponse: (row: Row) => ({
    id: Number(row.id),
    customerNumber: Number(row.customer_number),
    loyaltyProgramType: row.loyalty_program_type,
    programId: row.program_id,
    programName: row.program_name,
    validFrom: toIso(row.valid_from)!,
    validTo: toIso(row.valid_to),
    createdAt: toIso(row.created_at)!,
    changedAt: toIso(row.changed_at)!,
  }),
};
