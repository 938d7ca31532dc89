import { ApiProperty } from '@nestjs/swagger';
import { Equals, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class TokenRequestDto {
  @ApiProperty({ example: 'client_credentials' })
  @Equals('client_credentials', { message: 'grant_type must be client_credentials' })
  grant_type: string;

  @ApiProperty({ example: 'demo-1', required: false, description: 'Or in HTTP Basic auth' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  client_id?: string;

  @ApiProperty({ example: 'demo-1-secret', required: false, description: 'Or in HTTP Basic auth' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  client_secret?: string;

  @ApiProperty({ example: 'https://api.customers.local', required: false })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  audience?: string;

  @ApiProperty({
    required: false,
    description: 'Accepted and ignored: a client gets its permissions',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  scope?: string;
}

export class TokenResponseDto {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'Bearer' }) token_type: 'Bearer';
  @ApiProperty({ example: 86400 }) expires_in: number;
}
