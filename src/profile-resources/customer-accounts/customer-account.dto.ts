import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ResourceDefinition, Row, toIso } from '../resource-definition';

export class CustomerAccountRequestDto {
  @ApiProperty({
    example: 'ACC-0042',
    maxLength: 60,
    description: 'The account id; unique within the organisation',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(60)
  accountId: string;

  @ApiPropertyOptional({
    type: String,
    example: 'family',
    maxLength: 100,
    nullable: true,
    description: 'Unique within the organisation, whatever its case; a clash answers errorCode 624',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  alias?: string | null;
}

export class CustomerAccountResponseDto {
  @ApiProperty({ example: 1, format: 'int64' }) id: number;
  @ApiProperty({ example: 10000001, format: 'int64' }) customerNumber: number;
  @ApiProperty({ example: 'ACC-0042' }) accountId: string;
  @ApiProperty({ type: String, nullable: true, example: 'family' }) alias: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

export const CUSTOMER_ACCOUNTS: ResourceDefinition<CustomerAccountResponseDto> = {
  table: 'customer_accounts',
  noun: 'Customer account',
  auditName: 'CUSTOMER_ACCOUNT',
  columns: { accountId: 'account_id', alias: 'alias' },
  toResponse: (row: Row) => ({
    id: Number(row.id),
    customerNumber: Number(row.customer_number),
    accountId: row.account_id,
    alias: row.alias,
    createdAt: toIso(row.created_at)!,
    changedAt: toIso(row.changed_at)!,
  }),
};
