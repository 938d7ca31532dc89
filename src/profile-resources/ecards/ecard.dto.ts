import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ResourceDefinition, Row, toIso } from '../resource-definition';

export class EcardRequestDto {
  @ApiProperty({ example: '1234567890123456', pattern: '^[0-9]{16}$' })
  @IsString()
  @Matches(/^\d{16}$/, { message: 'ecardNumber16digits must be exactly 16 digits' })
  ecardNumber16digits: string;

  @ApiProperty({
    example: 'RUTER',
    maxLength: 50,
    description: 'The operator that issued the card',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  ecardOperator: string;

  @ApiPropertyOptional({
    type: String,
    example: 'My travel card',
    maxLength: 100,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  ecardName?: string | null;

  @ApiProperty({ example: '2026-01-15T10:00:00Z', format: 'date-time' })
  @IsISO8601({ strict: true })
  startOfOwnership: string;

  @ApiPropertyOptional({
    type: String,
    example: '2026-01-10T08:30:00Z',
    format: 'date-time',
    nullable: true,
    description: 'When a physical card was ordered',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  bookingDate?: string | null;
}

export class EcardResponseDto {
  @ApiProperty({ example: 1, format: 'int64' }) id: number;
  @ApiProperty({ example: 10000001, format: 'int64' }) customerNumber: number;
  @ApiProperty({ example: '1234567890123456' }) ecardNumber16digits: string;
  @ApiProperty({ example: 'RUTER' }) ecardOperator: string;
  @ApiProperty({ type: String, nullable: true, example: 'My travel card' }) ecardName:
    string | null;
  @ApiProperty({ format: 'date-time' }) startOfOwnership: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) bookingDate: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

export const ECARDS: ResourceDefinition<EcardResponseDto> = {
  table: 'ecards',
  noun: 'Ecard',
  auditName: 'ECARD',
  columns: {
    ecardNumber16digits: 'ecard_number_16digits',
    ecardOperator: 'ecard_operator',
    ecardName: 'ecard_name',
    startOfOwnership: 'start_of_ownership',
    bookingDate: 'booking_date',
  },
  notForTemporaryProfiles: true,
  toResponse: (row: Row) => ({
    id: Number(row.id),
    customerNumber: Number(row.customer_number),
    ecardNumber16digits: row.ecard_number_16digits,
    ecardOperator: row.ecard_operator,
    ecardName: row.ecard_name,
    startOfOwnership: toIso(row.start_of_ownership)!,
    bookingDate: toIso(row.booking_date),
    createdAt: toIso(row.created_at)!,
    changedAt: toIso(row.changed_at)!,
  }),
};
