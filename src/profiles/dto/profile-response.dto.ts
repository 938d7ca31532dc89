import { ApiProperty } from '@nestjs/swagger';

export class ProfilePostalAddressDto {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'Storgata 1' }) addressLine1: string;
  @ApiProperty({ type: String, nullable: true, example: null }) addressLine2: string | null;
  @ApiProperty({ example: '0155' }) postCode: string;
  @ApiProperty({ example: 'Oslo' }) city: string;
  @ApiProperty({ example: 'NO' }) countryCode: string;
  @ApiProperty({ example: true }) isPrimary: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
}

/** A customer profile as partners see it; never a password or its hash. */
export class ProfileResponseDto {
  @ApiProperty({
    type: 'integer',
    format: 'int64',
    example: 10000001,
    description: 'Global, platform-wide customer number',
  })
  customerNumber: number;
  @ApiProperty({ example: '10000001' }) customerRef: string;
  @ApiProperty({ example: 1 }) organisationId: number;
  @ApiProperty({
    example: 'a8Xk2YXovgDi6rAeLv934Hfh5fdCk6Om',
    minLength: 32,
    maxLength: 32,
    description: '32 random alphanumeric characters',
  })
  uuid: string;
  @ApiProperty({ enum: ['A', 'P', 'D'], description: 'A active, P passive, D deactivated' })
  status: string;
  @ApiProperty({
    enum: ['S', 'P', 'T'],
    description: 'S standard, P personnel-ticket, T temporary',
  })
  profileType: string;
  @ApiProperty({ type: String, nullable: true, example: 'Ola' }) firstName: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Nordmann' }) surname: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'ola.nordmann@example.com' })
  email: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The e-mail a deactivated profile had',
  })
  emailOld: string | null;
  @ApiProperty({ type: String, nullable: true, example: '+47' }) countryCode: string | null;
  @ApiProperty({ type: String, nullable: true, example: '98765432' })
  telephoneNumberNoCountryCode: string | null;
  @ApiProperty({ type: String, nullable: true, deprecated: true }) telephoneNumber: string | null;
  @ApiProperty({ type: String, nullable: true }) landlineNumber: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', example: '1990-05-17' })
  dateOfBirth: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'NO' }) languagePreference: string | null;
  @ApiProperty({ type: String, nullable: true }) vippsId: string | null;
  @ApiProperty({ type: String, nullable: true }) invoiceOrganisationId: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date',
    description: 'Temporary profiles only: the last day the profile exists',
  })
  expirationDate: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'Deactivated profiles: when they are deleted for good',
  })
  purgeAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'app' }) lastSignInFrom: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastSignInAt: string | null;
  @ApiProperty({ example: 1, description: 'Increases with every change; also sent as the ETag' })
  version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: 'web' }) createdBy: string;
  @ApiProperty({ example: 'web' }) createdByChannel: string;
  @ApiProperty({ format: 'date-time' }) changedAt: string;
  @ApiProperty({ example: 'web' }) changedBy: string;
  @ApiProperty({ example: 'web' }) changedByChannel: string;
  @ApiProperty({ type: [ProfilePostalAddressDto] }) postalAddresses: ProfilePostalAddressDto[];
}
