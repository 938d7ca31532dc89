import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { DEFAULT_COUNTRY, IsPostCode } from '../post-code';
import { OptionalNotNull } from '../resource-routes';
import { ResourceDefinition, Row, toIso } from '../resource-definition';

export class PostalAddressRequestDto {
  @ApiProperty({ example: 'Storgata 1', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  addressLine1: string;

  @ApiPropertyOptional({
    type: String,
    example: 'Leilighet H0201',
    maxLength: 100,
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  addressLine2?: string | null;

  @ApiProperty({
    example: '0150',
    description:
      'Format per country: NO and DK 4 digits; SE 5 digits (optionally "123 45"); FI and DE 5 digits; ' +
      'GB a UK postcode; other countries 3 to 10 letters or digits. A breach answers errorCode 604.',
  })
  @IsString()
  @IsPostCode()
  postCode: string;

  @ApiProperty({ example: 'Oslo', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  city: string;

  @ApiPropertyOptional({
    example: 'NO',
    default: DEFAULT_COUNTRY,
    description: 'ISO 3166-1 alpha-2 country code, upper case',
  })
  @OptionalNotNull()
  @Matches(/^[A-Z]{2}$/, { message: 'countryCode must be two upper-case letters' })
  @IsISO31661Alpha2()
  countryCode?: string = DEFAULT_COUNTRY;

  @ApiPropertyOptional({
    default: false,
    description: 'At most one address per customer is primary; setting it clears the others',
  })
  @OptionalNotNull()
  @IsBoolean()
  isPrimary?: boolean = false;
}

export class PostalAddressResponseDto {
  @ApiProperty({ example: 1, format: 'int64' }) id: number;
  @ApiProperty({ example: 10000001, format: 'int64' }) customerNumber: number;
  @ApiProperty({ example: 'Storgata 1' }) addressLine1: string;
  @ApiProperty({ type: String, nullable: true, example: null }) addressLine2: string | null;
  @ApiProperty({ example: '0150' }) postCode: string;
  @ApiProperty({ example: 'Oslo' }) city: string;
  @ApiProperty({ example: 'NO' }) countryCode: string;
  @ApiProperty({ example: true }) isPrimary: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

export const POSTAL_ADDRESSES: ResourceDefinition<PostalAddressResponseDto> = {
  table: 'postal_addresses',
  noun: 'Postal address',
  auditName: 'POSTAL_ADDRESS',
  columns: {
    addressLine1: 'address_line1',
    addressLine2: 'address_line2',
    postCode: 'post_code',
    city: 'city',
    countryCode: 'country_code',
    isPrimary: 'is_primary',
  },
  exclusiveFlag: { field: 'isPrimary', column: 'is_primary' },
  toResponse: (row: Row) => ({
    id: Number(row.id),
    customerNumber: Number(row.customer_number),
    addressLine1: row.address_line1,
    addressLine2: row.address_line2,
    postCode: row.post_code,
    city: row.city,
    countryCode: String(row.country_code).trim(),
    isPrimary: row.is_primary,
    createdAt: toIso(row.created_at)!,
    changedAt: toIso(row.changed_at)!,
  }),
};
