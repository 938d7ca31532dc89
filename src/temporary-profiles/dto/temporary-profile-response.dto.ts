import { ApiProperty } from '@nestjs/swagger';

/** `TemporaryCustomerResponse`. Optional fields are present as null when not set. */
export class TemporaryProfileResponseDto {
  @ApiProperty({ example: 10000042, format: 'int64' }) customerNumber: number;
  @ApiProperty({ example: '3f9c0a7e5b2d4c8e9a1b6d0f2e4c7a93', minLength: 32, maxLength: 32 })
  uuid: string;
  @ApiProperty({ example: 1 }) organisationId: number;
  @ApiProperty({ example: '10000042' }) customerRef: string;
  @ApiProperty({ example: 'A', enum: ['A', 'P', 'D'] }) status: string;
  @ApiProperty({ example: 'T', enum: ['T'] }) profileType: string;
  @ApiProperty({ example: '2026-12-31', format: 'date' }) expirationDate: string;
  @ApiProperty({ example: 'Kari', type: String, nullable: true }) firstName: string | null;
  @ApiProperty({ example: 'Nordmann', type: String, nullable: true }) surname: string | null;
  @ApiProperty({ example: 'kari@example.com', type: String, nullable: true }) email: string | null;
  @ApiProperty({ example: '+47', type: String, nullable: true }) countryCode: string | null;
  @ApiProperty({ example: '98765432', type: String, nullable: true })
  telephoneNumberNoCountryCode: string | null;
  @ApiProperty({ example: null, type: String, nullable: true, deprecated: true })
  telephoneNumber: string | null;
  @ApiProperty({ example: null, type: String, nullable: true }) landlineNumber: string | null;
  @ApiProperty({ example: '1990-05-17', type: String, format: 'date', nullable: true })
  dateOfBirth: string | null;
  @ApiProperty({ example: 'NO', type: String, nullable: true }) languagePreference: string | null;
  @ApiProperty({ example: 1, description: 'Increases with every change' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: 'ticket-office-3' }) createdBy: string;
  @ApiProperty({ example: 'web' }) createdByChannel: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiProperty({ example: 'ticket-office-3' }) changedBy: string;
  @ApiProperty({ example: 'web' }) changedByChannel: string;
}
