import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ example: 'email must be an email' }) message: string;
  @ApiPropertyOptional({
    example: 603,
    description: 'Legacy error code of this field, where one fits',
  })
  errorCode?: number;
}

/** The one error body of the service: RFC 9457 problem details (`application/problem+json`). */
export class ProblemResponseDto {
  @ApiProperty({ example: 'https://api.customers.local/problems/404' }) type: string;
  @ApiProperty({ example: 'Not Found' }) title: string;
  @ApiProperty({ example: 404 }) status: number;
  @ApiProperty({ example: 'Profile 10000001 was not found' }) detail: string;
  @ApiProperty({ example: '/customers/v2/profiles/10000001' }) instance: string;
  @ApiProperty({ example: '5b0f7e0e-3c1b-4f0e-9a57-0c6a3c1d2e4f' }) correlationId: string;
  @ApiProperty({
    example: 617,
    description:
      'Legacy error code where one fits (600 password format, 602 e-mail exists, 603 e-mail, 604 post code, 605 phone, 606 name, 613 cannot restore, 614 already active, 617 not found, 621 personnel-ticket customer cannot be deactivated, 624 customer-account alias exists, 625 profile deactivated and waiting for its purge), else the HTTP status',
  })
  errorCode: number;
  @ApiProperty({ type: [FieldErrorDto] }) errors: FieldErrorDto[];
}
